// Command-line arguments of one fanfold command: positionals and --options, parsed against the
// command's declared options so that a typo is an error ("unknown option --wiat") rather than
// silently ignored.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::cli {

struct OptionSpec {
  std::string name;  // without dashes: "workers"
  bool takes_value = false;
  std::string help;
  std::string value_name = "VALUE";
  char short_name = 0;  // a one-letter alias such as 'o' for "-o"; 0 for none
};

class Arguments {
 public:
  // args excludes the program and command names. "--name=value" and "--name value" both work;
  // "--" ends options.
  static storage::Result<Arguments> Parse(const std::vector<std::string>& args,
                                          const std::vector<OptionSpec>& specs);

  bool Has(const std::string& name) const { return values_.count(name) != 0; }
  std::optional<std::string> Value(const std::string& name) const;
  std::string ValueOr(const std::string& name, const std::string& fallback) const;
  // A whole number within [min, max], or an error naming the option.
  storage::Result<long long> IntegerOr(const std::string& name, long long fallback, long long min,
                                       long long max) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positionals_;
};

// "  --workers N    worker processes (default 2)" lines for a command's help.
std::string FormatOptions(const std::vector<OptionSpec>& specs);

}  // namespace fanfold::cli
