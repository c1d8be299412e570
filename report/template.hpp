// Renders report/template.md: every {{key}} is replaced by its computed value. A key without a
// value is an error naming it (and every other missing key), so a report can never ship with a
// hole or a number typed into the prose.
#pragma once

#include <map>
#include <string>

#include "storage/result.hpp"

namespace fanfold::report {

using Values = std::map<std::string, std::string>;

storage::Result<std::string> RenderTemplate(const std::string& text, const Values& values);

}  // namespace fanfold::report
