// Every read-only command on an account where nothing has run yet (this test's --prefix and --hub
// name no table, queue or container): a list is empty or one line saying why, a named job or
// instance is one line saying it is not there, and no command shows storage's 404.
#include <algorithm>

#include "tests/cli/cli_test_support.hpp"

namespace fanfold::cli::test {
namespace {

class CliEmptyAccountTest : public CliTest {
 protected:
  // The engine commands take --prefix as an instance-id filter, so they get only the hub.
  CommandOutput OnHub(std::vector<std::string> arguments) const {
    arguments.insert(arguments.end(), {"--hub", hub_});
    return Fanfold(std::move(arguments), std::chrono::seconds(60), {}, false);
  }
  std::string NoHubYet() const {
    return "no task hub '" + hub_ + "' yet: start a worker --hub " + hub_ +
           ", or `fanfold hub create --hub " + hub_ + "`";
  }
};

// What no answer on an empty account may contain: storage's error, or more than one line of it.
void ExpectNoStorageError(const CommandOutput& output) {
  for (const std::string& text : {output.out, output.err}) {
    EXPECT_EQ(text.find("HTTP "), std::string::npos) << output;
    EXPECT_EQ(text.find("NotFound"), std::string::npos) << output;
  }
  EXPECT_LE(std::count(output.err.begin(), output.err.end(), '\n'), 1) << output;
}

TEST_F(CliEmptyAccountTest, ListsAreEmptyAndExitZero) {
  const auto instances = OnHub({"instances"});
  EXPECT_EQ(instances.exit_code, 0) << instances;
  EXPECT_EQ(instances.out, NoHubYet() + "\n") << instances;
  EXPECT_EQ(instances.err, "") << instances;

  const auto instances_json = OnHub({"instances", "--json", "--status", "Failed"});
  EXPECT_EQ(instances_json.exit_code, 0) << instances_json;
  EXPECT_EQ(instances_json.out, "[]\n") << instances_json;

  const auto purge = OnHub({"purge", "--all-finished"});
  EXPECT_EQ(purge.exit_code, 0) << purge;
  EXPECT_EQ(purge.out, "purged 0 finished instance(s): " + NoHubYet() + "\n") << purge;

  const auto status = Fanfold({"status"});
  EXPECT_EQ(status.exit_code, 0) << status;
  EXPECT_NE(status.out.find("(no jobs yet: 'fanfold upload FILE' starts one)"), std::string::npos)
      << status;
  const auto status_json = Fanfold({"status", "--json"});
  EXPECT_EQ(status_json.exit_code, 0) << status_json;
  EXPECT_EQ(status_json.out, "[]\n") << status_json;
  const auto status_tenant = Fanfold({"status", "--tenant", "acme"});
  EXPECT_EQ(status_tenant.exit_code, 0) << status_tenant;
  EXPECT_NE(status_tenant.out.find("(no jobs yet"), std::string::npos) << status_tenant;
  // --watch on no jobs has nothing to wait for.
  const auto watch = Fanfold({"status", "--watch"});
  EXPECT_EQ(watch.exit_code, 0) << watch;

  const auto tenants = Fanfold({"tenants", "--json"});
  EXPECT_EQ(tenants.exit_code, 0) << tenants;
  EXPECT_EQ(tenants.out, "[]\n") << tenants;
  const auto tenants_text = Fanfold({"tenants"});
  EXPECT_EQ(tenants_text.exit_code, 0) << tenants_text;

  const auto doctor = Fanfold({"doctor"}, std::chrono::seconds(60), {}, false);
  EXPECT_EQ(doctor.exit_code, 0) << doctor;

  for (const auto* output : {&instances, &instances_json, &purge, &status, &status_json,
                             &status_tenant, &watch, &tenants, &tenants_text, &doctor}) {
    ExpectNoStorageError(*output);
  }
}

// A job or instance asked for by id is not there: exit 1 and one line that says so, as when the
// deployment exists but the id does not.
TEST_F(CliEmptyAccountTest, NamedJobsAndInstancesAreMissingInOneLine) {
  const std::string id = "no-such-id-0000";
  for (const std::vector<std::string>& command : {std::vector<std::string>{"instance", id},
                                                  {"instance", id, "--history", "--json"},
                                                  {"purge", id},
                                                  {"terminate", id},
                                                  {"rewind", id}}) {
    const auto output = OnHub(command);
    EXPECT_EQ(output.exit_code, 1) << command.front() << "\n" << output;
    EXPECT_EQ(output.out, "") << output;
    EXPECT_EQ(output.err,
              "fanfold " + command.front() + ": no instance '" + id + "': " + NoHubYet() + "\n")
        << output;
    ExpectNoStorageError(output);
  }
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"status", id}, {"status", id, "--chunks"}, {"result", id}}) {
    const auto output = Fanfold(command);
    EXPECT_EQ(output.exit_code, 1) << command.front() << "\n" << output;
    EXPECT_EQ(output.out, "") << output;
    EXPECT_NE(output.err.find("no job '" + id + "' here"), std::string::npos) << output;
    ExpectNoStorageError(output);
  }
}

// Once the hub exists (a worker started, or `fanfold hub create`), an empty hub is a table with
// no rows and a missing instance is missing from this hub.
TEST_F(CliEmptyAccountTest, ACreatedHubWithNoInstancesListsNone) {
  const auto created = OnHub({"hub", "create"});
  ASSERT_EQ(created.exit_code, 0) << created;

  const auto instances = OnHub({"instances"});
  EXPECT_EQ(instances.exit_code, 0) << instances;
  EXPECT_NE(instances.out.find("(no instances match)"), std::string::npos) << instances;
  const auto purge = OnHub({"purge", "--all-finished"});
  EXPECT_EQ(purge.exit_code, 0) << purge;
  EXPECT_EQ(purge.out, "purged 0 finished instance(s)\n") << purge;
  const auto instance = OnHub({"instance", "no-such-id-0000"});
  EXPECT_EQ(instance.exit_code, 1) << instance;
  EXPECT_EQ(instance.err, "fanfold instance: no instance 'no-such-id-0000' in this hub\n")
      << instance;
  const auto terminate = OnHub({"terminate", "no-such-id-0000"});
  EXPECT_EQ(terminate.exit_code, 1) << terminate;
  EXPECT_EQ(terminate.err, "fanfold terminate: no instance 'no-such-id-0000' in this hub\n")
      << terminate;
  for (const auto* output : {&instances, &purge, &instance, &terminate})
    ExpectNoStorageError(*output);

  EXPECT_EQ(OnHub({"hub", "delete", "--yes"}).exit_code, 0);
}

}  // namespace
}  // namespace fanfold::cli::test
