#include "cli/worker_registry.hpp"

#include <cstdlib>
#include <string>

#include "orchestrator/diagnostics.hpp"
#include "pipelines/orchestrated/mean_balance_orchestration.hpp"

namespace fanfold::cli {

std::unique_ptr<orchestrator::Registry> BuildWorkerRegistry(
    std::shared_ptr<const pipelines::PipelineContext> pipelines) {
  auto registry = std::make_unique<orchestrator::Registry>();
  const char* crash = std::getenv("FANFOLD_ENABLE_CRASH_ACTIVITY");
  orchestrator::RegisterDiagnostics(*registry, crash != nullptr && std::string(crash) == "1");
  if (pipelines != nullptr) {
    pipelines::orchestrated::RegisterOrchestratedPipeline(*registry, std::move(pipelines));
  }
  return registry;
}

}  // namespace fanfold::cli
