#include "cli/arguments.hpp"

#include <algorithm>
#include <charconv>

namespace fanfold::cli {

using storage::Result;
using storage::Status;

Result<Arguments> Arguments::Parse(const std::vector<std::string>& args,
                                   const std::vector<OptionSpec>& specs) {
  Arguments out;
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::string name;
    std::optional<std::string> inline_value;
    if (options_ended || arg.size() < 2 || arg.rfind("--", 0) != 0) {
      // "-o": the one-letter alias of a declared option (no "-o=value" form, no bundling).
      const auto alias =
          options_ended || arg.size() != 2 || arg[0] != '-'
              ? specs.end()
              : std::find_if(specs.begin(), specs.end(),
                             [&arg](const OptionSpec& s) { return s.short_name == arg[1]; });
      if (alias != specs.end()) {
        name = alias->name;
      } else if (!options_ended && arg.size() > 1 && arg[0] == '-' && arg != "-") {
        return Status::InvalidArgument("unknown option " + arg + " (options start with --)");
      } else {
        out.positionals_.push_back(arg);
        continue;
      }
    } else if (arg == "--") {
      options_ended = true;
      continue;
    } else {
      name = arg.substr(2);
      if (const auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
    }
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&name](const OptionSpec& s) { return s.name == name; });
    if (spec == specs.end()) return Status::InvalidArgument("unknown option --" + name);
    if (!spec->takes_value) {
      if (inline_value) return Status::InvalidArgument("option --" + name + " takes no value");
      out.values_[name] = "true";
      continue;
    }
    if (inline_value) {
      out.values_[name] = *inline_value;
    } else if (i + 1 < args.size()) {
      out.values_[name] = args[++i];
    } else {
      return Status::InvalidArgument("option --" + name + " needs a value (" + spec->value_name +
                                     ")");
    }
  }
  return out;
}

std::optional<std::string> Arguments::Value(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Arguments::ValueOr(const std::string& name, const std::string& fallback) const {
  return Value(name).value_or(fallback);
}

Result<long long> Arguments::IntegerOr(const std::string& name, long long fallback, long long min,
                                       long long max) const {
  const auto text = Value(name);
  if (!text) return fallback;
  long long value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) {
    return Status::InvalidArgument("option --" + name + " must be a whole number, not '" + *text +
                                   "'");
  }
  if (value < min || value > max) {
    return Status::InvalidArgument("option --" + name + " must be between " + std::to_string(min) +
                                   " and " + std::to_string(max));
  }
  return value;
}

std::string FormatOptions(const std::vector<OptionSpec>& specs) {
  std::string out;
  for (const auto& spec : specs) {
    std::string left =
        std::string(spec.short_name != 0 ? "  -" + std::string(1, spec.short_name) + ", --"
                                         : "  --") +
        spec.name + (spec.takes_value ? " " + spec.value_name : "");
    if (left.size() < 26) left.resize(26, ' ');
    out += left + " " + spec.help + "\n";
  }
  return out;
}

}  // namespace fanfold::cli
