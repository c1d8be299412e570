// fanfold: the one binary users run — the CLI, the workers and the tools.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/version.hpp"

namespace fanfold::cli {
namespace {

void PrintHelp() {
  std::printf(
      "fanfold %s — durable fan-out/fan-in pipelines on Azure Storage\n\n"
      "Usage: fanfold <command> [options]\n\nCommands:\n",
      kVersion);
  for (const auto& command : AllCommands()) {
    std::string name = command.name;
    if (name.size() < 12) name.resize(12, ' ');
    std::printf("  %s %s\n", name.c_str(), command.summary.c_str());
  }
  std::printf(
      "\nRun 'fanfold <command> --help' for a command's options.\n\n"
      "Storage account: AZURE_STORAGE_CONNECTION_STRING (default UseDevelopmentStorage=true,\n"
      "i.e. Azurite on 127.0.0.1:10000-10002).\n");
}

void PrintCommandHelp(const Command& command) {
  std::printf("Usage: fanfold %s %s\n\n%s\n", command.name.c_str(), command.usage.c_str(),
              command.description.c_str());
  if (!command.options.empty()) {
    std::printf("\nOptions:\n%s", FormatOptions(command.options).c_str());
  }
}

int Run(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    if (args.size() > 1) {
      for (const auto& command : AllCommands()) {
        if (command.name == args[1]) {
          PrintCommandHelp(command);
          return kExitOk;
        }
      }
    }
    PrintHelp();
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::printf("fanfold %s (%s)\n", kVersion, kGitCommit);
    return kExitOk;
  }
  for (const auto& command : AllCommands()) {
    if (command.name != args[0]) continue;
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const auto& arg : rest) {
      if (arg == "--help" || arg == "-h") {
        PrintCommandHelp(command);
        return kExitOk;
      }
    }
    auto parsed = Arguments::Parse(rest, command.options);
    if (!parsed.ok()) {
      std::fprintf(stderr, "fanfold %s: %s\nRun 'fanfold %s --help' for usage.\n",
                   command.name.c_str(), parsed.status().message().c_str(), command.name.c_str());
      return kExitUsage;
    }
    return command.run(*parsed);
  }
  std::fprintf(stderr, "fanfold: unknown command '%s'. Run 'fanfold --help' for the list.\n",
               args[0].c_str());
  return kExitUsage;
}

}  // namespace
}  // namespace fanfold::cli

int main(int argc, char** argv) {
  return fanfold::cli::Run(std::vector<std::string>(argv + 1, argv + argc));
}
