#include "cli/command.hpp"

namespace fanfold::cli {

const std::vector<Command>& AllCommands() {
  static const std::vector<Command> commands = {DoctorCommand()};
  return commands;
}

}  // namespace fanfold::cli
