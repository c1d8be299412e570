// The deployment files under infra/ name the same containers, queues and tables as the code. No
// Bicep compiler or Kubernetes cluster can run here (see infra/README.md), so this is what keeps
// the templates from drifting: a renamed queue fails here before it fails in Azure.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "functions/function_app.hpp"
#include "orchestrator/task_hub_names.hpp"
#include "pipelines/pipeline_names.hpp"

namespace fanfold::functions {
namespace {

std::string ReadInfra(const std::string& relative) {
  std::ifstream in(std::filesystem::path(FANFOLD_SOURCE_DIR) / relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << relative << " is missing";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The quoted items of `var <name> = [ ... ]` in a Bicep file.
std::set<std::string> BicepArray(const std::string& bicep, const std::string& name) {
  const std::regex block("var " + name + " = \\[([^\\]]*)\\]");
  std::smatch found;
  EXPECT_TRUE(std::regex_search(bicep, found, block)) << "no `var " << name << "` array";
  std::set<std::string> items;
  if (found.empty()) return items;
  const std::string body = found[1].str();
  const std::regex item("'([^']+)'");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), item); it != std::sregex_iterator();
       ++it) {
    items.insert((*it)[1].str());
  }
  return items;
}

struct CodeNames {
  pipelines::PipelineNames pipeline;
  orchestrator::TaskHubNames hub;
};

CodeNames Defaults() {
  auto hub = orchestrator::TaskHubNames::For("fanfold", 4);
  EXPECT_TRUE(hub.ok());
  return {pipelines::PipelineNames{}, *hub};
}

TEST(InfraFilesTest, BicepCreatesEveryContainerQueueAndTableTheCodeUses) {
  const CodeNames names = Defaults();
  const auto& p = names.pipeline;
  const auto& h = names.hub;
  const std::string bicep = ReadInfra("infra/bicep/main.bicep");
  EXPECT_EQ(BicepArray(bicep, "containerNames"),
            (std::set<std::string>{p.uploads_container, p.chain_spill_container,
                                   p.chain_results_container, h.large_message_container}));
  std::set<std::string> queues = {p.events_queue,       p.events_poison_queue, p.chain_split_queue,
                                  p.chain_chunks_queue, p.chain_merge_queue,   p.chain_poison_queue,
                                  h.work_item_queue,    h.poison_queue};
  for (int partition = 0; partition < h.partition_count; ++partition)
    queues.insert(h.ControlQueue(partition));
  EXPECT_EQ(BicepArray(bicep, "queueNames"), queues);
  EXPECT_EQ(BicepArray(bicep, "tableNames"),
            (std::set<std::string>{p.jobs_table, h.history_table, h.instances_table}));
  // Event Grid delivers BlobCreated events of the uploads container to the events queue.
  EXPECT_NE(bicep.find("queueName: '" + p.events_queue + "'"), std::string::npos);
  EXPECT_NE(bicep.find("/blobServices/default/containers/" + p.uploads_container + "/"),
            std::string::npos);
  EXPECT_NE(bicep.find("Microsoft.Storage.BlobCreated"), std::string::npos);
}

TEST(InfraFilesTest, KedaScalesOnEveryQueueThatCarriesWork) {
  const CodeNames names = Defaults();
  std::set<std::string> work_queues;
  for (const auto& function : QueueFunctions(names.pipeline, names.hub))
    work_queues.insert(function.queue);
  const std::string keda = ReadInfra("infra/k8s/keda-scaledobject.yaml");
  std::set<std::string> scaled;
  const std::regex queue_name("queueName:\\s*([A-Za-z0-9-]+)");
  for (auto it = std::sregex_iterator(keda.begin(), keda.end(), queue_name);
       it != std::sregex_iterator(); ++it) {
    scaled.insert((*it)[1].str());
  }
  EXPECT_EQ(scaled, work_queues);
  EXPECT_NE(keda.find("type: azure-queue"), std::string::npos);
  EXPECT_NE(keda.find("kind: ScaledObject"), std::string::npos);
}

TEST(InfraFilesTest, ContainerRunsTheWorkerWithJsonLogsAndMetrics) {
  const std::string dockerfile = ReadInfra("Dockerfile");
  EXPECT_NE(dockerfile.find("ENTRYPOINT [\"fanfold\"]"), std::string::npos);
  EXPECT_NE(dockerfile.find("\"worker\""), std::string::npos);
  const std::string deployment = ReadInfra("infra/k8s/deployment.yaml");
  EXPECT_NE(deployment.find("--metrics-addr"), std::string::npos);
  EXPECT_NE(deployment.find("AZURE_STORAGE_CONNECTION_STRING"), std::string::npos);
  // The connection string comes from a Secret, never from the manifest itself.
  EXPECT_EQ(deployment.find("AccountKey="), std::string::npos);
}

}  // namespace
}  // namespace fanfold::functions
