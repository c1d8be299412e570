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

// The body of the first block that follows `header` in a Bicep file, braces matched (string
// interpolations `${...}` are balanced too), or "" when the header is absent.
std::string BicepBlock(const std::string& bicep, const std::string& header) {
  const size_t at = bicep.find(header);
  EXPECT_NE(at, std::string::npos) << "no `" << header << "` in main.bicep";
  if (at == std::string::npos) return "";
  const size_t open = bicep.find('{', at + header.size());
  int depth = 0;
  for (size_t i = open; i < bicep.size(); ++i) {
    if (bicep[i] == '{') ++depth;
    if (bicep[i] == '}' && --depth == 0) return bicep.substr(open, i - open + 1);
  }
  ADD_FAILURE() << "unbalanced braces after `" << header << "`";
  return "";
}

// The decorators written directly above `param <name>`.
std::string ParamDecorators(const std::string& bicep, const std::string& name) {
  const size_t at = bicep.find("\nparam " + name + " ");
  EXPECT_NE(at, std::string::npos) << "no `param " << name << "`";
  if (at == std::string::npos) return "";
  const size_t start = bicep.rfind("\n\n", at);
  return bicep.substr(start == std::string::npos ? 0 : start, at - start);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
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
                                   p.chain_results_container, h.large_message_container,
                                   h.lease_container}));
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

// Flex Consumption is the default plan, in the shape Microsoft's schema and samples give it: FC1,
// the runtime and scale in functionAppConfig, the package in a blob container, and none of the
// app settings Flex refuses or manages itself.
TEST(InfraFilesTest, BicepDeploysTheFunctionAppOnFlexConsumption) {
  const std::string bicep = ReadInfra("infra/bicep/main.bicep");
  EXPECT_TRUE(Contains(bicep, "param functionsPlan string = 'flex'"));

  const std::string plan =
      BicepBlock(bicep, "resource flexPlanResource 'Microsoft.Web/serverfarms@");
  EXPECT_TRUE(Contains(plan, "name: 'FC1'"));
  EXPECT_TRUE(Contains(plan, "tier: 'FlexConsumption'"));
  EXPECT_TRUE(Contains(plan, "reserved: true"));

  const std::string app = BicepBlock(bicep, "resource flexFunctionApp 'Microsoft.Web/sites@");
  EXPECT_TRUE(Contains(app, "serverFarmId: flexPlanResource.id"));
  const std::string config = BicepBlock(app, "functionAppConfig:");
  const std::string runtime = BicepBlock(config, "runtime:");
  EXPECT_TRUE(Contains(runtime, "name: 'custom'"));
  EXPECT_TRUE(Contains(runtime, "version: '1.0'"));
  const std::string scale = BicepBlock(config, "scaleAndConcurrency:");
  EXPECT_TRUE(Contains(scale, "maximumInstanceCount: maximumInstanceCount"));
  EXPECT_TRUE(Contains(scale, "instanceMemoryMB: instanceMemoryMB"));
  const std::string storage = BicepBlock(BicepBlock(config, "deployment:"), "storage:");
  EXPECT_TRUE(Contains(storage, "type: 'blobContainer'"));
  EXPECT_TRUE(Contains(storage, "${deploymentContainerName}"));
  EXPECT_TRUE(Contains(storage,
                       "storageAccountConnectionStringName: "
                       "'DEPLOYMENT_STORAGE_CONNECTION_STRING'"));
  // The container the package goes to is created, and the setting the platform reads exists.
  EXPECT_TRUE(Contains(bicep, "resource deploymentContainer "));
  EXPECT_TRUE(Contains(app, "appSettings: flexAppSettings"));
  const std::string settings =
      BicepBlock(bicep, "var flexAppSettings = concat(commonAppSettings, [");
  EXPECT_TRUE(Contains(settings, "name: 'DEPLOYMENT_STORAGE_CONNECTION_STRING'"));

  // Refused or platform-managed on Flex: never in the Flex app or the settings it gets.
  const std::string common = BicepBlock(bicep, "var commonAppSettings = concat([");
  for (const char* banned :
       {"FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "functionAppScaleLimit",
        "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "linuxFxVersion"}) {
    EXPECT_FALSE(Contains(app, banned)) << banned;
    EXPECT_FALSE(Contains(settings, banned)) << banned;
    EXPECT_FALSE(Contains(common, banned)) << banned;
  }
}

// Each plan's documented scale-out ceiling: 1000 on Flex (at least 40 in every region), 100 on
// Linux Consumption.
TEST(InfraFilesTest, BicepScaleLimitsStayWithinEachPlansDocumentedRange) {
  const std::string bicep = ReadInfra("infra/bicep/main.bicep");
  const std::string flex = ParamDecorators(bicep, "maximumInstanceCount");
  EXPECT_TRUE(Contains(flex, "@minValue(40)"));
  EXPECT_TRUE(Contains(flex, "@maxValue(1000)"));
  const std::string consumption = ParamDecorators(bicep, "consumptionScaleLimit");
  EXPECT_TRUE(Contains(consumption, "@maxValue(100)"));
  const std::string app =
      BicepBlock(bicep, "resource consumptionFunctionApp 'Microsoft.Web/sites@");
  EXPECT_TRUE(Contains(app, "functionAppScaleLimit: consumptionScaleLimit"));
  EXPECT_FALSE(Contains(bicep, "@maxValue(200)"));
  // Both plans' resources are in one template: ARM refuses two resources of one type and name
  // even when their conditions exclude each other, so the Flex ones are named apart.
  const std::regex name_line("\\n  name: ('[^']*')");
  std::smatch flex_plan, y1_plan, flex_app, y1_app;
  const std::string fp = BicepBlock(bicep, "resource flexPlanResource ");
  const std::string cp = BicepBlock(bicep, "resource consumptionPlanResource ");
  const std::string fa = BicepBlock(bicep, "resource flexFunctionApp ");
  ASSERT_TRUE(std::regex_search(fp, flex_plan, name_line));
  ASSERT_TRUE(std::regex_search(cp, y1_plan, name_line));
  ASSERT_TRUE(std::regex_search(fa, flex_app, name_line));
  ASSERT_TRUE(std::regex_search(app, y1_app, name_line));
  EXPECT_NE(flex_plan[1].str(), y1_plan[1].str());
  EXPECT_NE(flex_app[1].str(), y1_app[1].str());
  // The example parameters name only parameters the template has.
  const std::string example = ReadInfra("infra/bicep/main.parameters.example.json");
  const std::regex name("\"([A-Za-z]+)\": \\{ \"value\"");
  for (auto it = std::sregex_iterator(example.begin(), example.end(), name);
       it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(Contains(bicep, "\nparam " + (*it)[1].str() + " ")) << (*it)[1].str();
  }
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
  // Scaling to zero is safe only when invisible messages count too: every trigger says
  // queueLengthStrategy "all" (KEDA 2.16 and later) rather than leaning on a default.
  const std::regex strategy("queueLengthStrategy:\\s*all\\b");
  EXPECT_EQ(std::distance(std::sregex_iterator(keda.begin(), keda.end(), strategy),
                          std::sregex_iterator()),
            static_cast<std::ptrdiff_t>(work_queues.size()));
  EXPECT_TRUE(Contains(keda, "KEDA 2.16"));
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
