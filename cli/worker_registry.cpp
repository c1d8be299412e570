#include "cli/worker_registry.hpp"

#include <cstdlib>
#include <string>

#include "orchestrator/diagnostics.hpp"

namespace fanfold::cli {

std::unique_ptr<orchestrator::Registry> BuildWorkerRegistry() {
  auto registry = std::make_unique<orchestrator::Registry>();
  const char* crash = std::getenv("FANFOLD_ENABLE_CRASH_ACTIVITY");
  orchestrator::RegisterDiagnostics(*registry, crash != nullptr && std::string(crash) == "1");
  return registry;
}

}  // namespace fanfold::cli
