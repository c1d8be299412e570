// The orchestrations and activities a `fanfold worker` can run.
#pragma once

#include <memory>

#include "orchestrator/registry.hpp"

namespace fanfold::cli {

std::unique_ptr<orchestrator::Registry> BuildWorkerRegistry();

}  // namespace fanfold::cli
