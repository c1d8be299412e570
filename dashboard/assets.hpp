// The dashboard's pages, scripts and styles, built into the binary from dashboard/assets/ by
// embed_assets.cmake: the dashboard fetches nothing from anywhere, so it works offline and
// behind a firewall, and what it serves is exactly what was built.
#pragma once

#include <string_view>

namespace fanfold::dashboard {

struct Asset {
  std::string_view name;  // "index.html", "app.js"
  std::string_view content_type;
  std::string_view body;
};

// The asset of that file name; nullptr for any other name.
const Asset* FindAsset(std::string_view name);

}  // namespace fanfold::dashboard
