// Built-in orchestrations every worker can run, for checking and measuring a deployment:
//   fanfold.fan_out  {"n": N, "work_ms": 0}  → N "fanfold.noop" activities, fan-in; returns
//                    the sum of their indices (so a lost or doubled answer changes the output).
// With allow_crash, also "fanfold.crash": an activity that kills its own process, for poison
// tests. Never enable it in production (the worker enables it only from an environment flag).
#pragma once

#include "orchestrator/registry.hpp"

namespace fanfold::orchestrator {

void RegisterDiagnostics(Registry& registry, bool allow_crash);

}  // namespace fanfold::orchestrator
