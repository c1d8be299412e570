// fanfold_report: regenerates report/REPORT.md and report/figures/*.png from the benchmark
// results. Run through `bash report/generate.sh`, which builds it first.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "report/figures.hpp"
#include "report/results.hpp"
#include "report/template.hpp"
#include "report/test_inventory.hpp"
#include "report/values.hpp"

namespace {

using fanfold::storage::Status;

struct Options {
  std::string root = FANFOLD_SOURCE_DIR;
  std::string results, prices, template_path, output, figures_dir, work_dir;
};

int Fail(const std::string& what) {
  std::fprintf(stderr, "fanfold_report: %s\n", what.c_str());
  return 1;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::stringstream text;
  text << in.rdbuf();
  *out = text.str();
  return true;
}

// Another benchmark's results, or null when the file is absent (the report says so).
nlohmann::json Optional(const std::string& path) {
  if (!std::filesystem::exists(path)) return nullptr;
  auto doc = fanfold::report::LoadJson(path);
  return doc.ok() ? *doc : nlohmann::json(nullptr);
}

std::string Relative(const std::string& path, const std::string& root) {
  std::error_code ec;
  const auto rel = std::filesystem::relative(path, root, ec);
  return ec || rel.empty() || rel.native().rfind("..", 0) == 0 ? path : rel.string();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&](std::string* target) {
      if (i + 1 >= argc) return false;
      *target = argv[++i];
      return true;
    };
    bool ok = true;
    if (arg == "--root")
      ok = next(&o.root);
    else if (arg == "--results")
      ok = next(&o.results);
    else if (arg == "--prices")
      ok = next(&o.prices);
    else if (arg == "--template")
      ok = next(&o.template_path);
    else if (arg == "--output")
      ok = next(&o.output);
    else if (arg == "--figures-dir")
      ok = next(&o.figures_dir);
    else if (arg == "--work-dir")
      ok = next(&o.work_dir);
    else if (arg == "--help" || arg == "-h") {
      std::printf(
          "usage: fanfold_report [--root DIR] [--results FILE] [--prices FILE] [--template FILE]\n"
          "                      [--output FILE] [--figures-dir DIR] [--work-dir DIR]\n"
          "Defaults: bench/results/pipeline-latest.json, report/prices.json,\n"
          "report/template.md -> report/REPORT.md and report/figures/; gnuplot's .dat/.gp files "
          "go\n"
          "to --work-dir (default: a temporary directory).\n");
      return 0;
    } else {
      return Fail("unknown argument " + arg + " (see --help)"), 2;
    }
    if (!ok) return Fail(arg + " needs a value"), 2;
  }
  const std::string& root = o.root;
  if (o.results.empty()) o.results = root + "/bench/results/pipeline-latest.json";
  if (o.prices.empty()) o.prices = root + "/report/prices.json";
  if (o.template_path.empty()) o.template_path = root + "/report/template.md";
  if (o.output.empty()) o.output = root + "/report/REPORT.md";
  if (o.figures_dir.empty()) o.figures_dir = root + "/report/figures";
  if (o.work_dir.empty()) {
    o.work_dir = (std::filesystem::temp_directory_path() / "fanfold-report-gnuplot").string();
  }

  fanfold::report::ReportInputs in;
  auto results = fanfold::report::LoadPipelineResults(o.results);
  if (!results.ok()) return Fail(results.status().ToString());
  in.results = std::move(*results);
  in.results.path = Relative(o.results, root);
  auto prices = fanfold::report::LoadPriceTable(o.prices);
  if (!prices.ok()) return Fail(prices.status().ToString());
  in.prices = std::move(*prices);
  in.prices_path = Relative(o.prices, root);

  const std::string bench = root + "/bench/results/";
  in.parser = Optional(in.parser_path = bench + "parser-latest.json");
  in.engine = Optional(in.engine_path = bench + "engine-latest.json");
  in.storage_bench = Optional(in.storage_path = bench + "storage-latest.json");
  in.tests_results = Optional(in.tests_results_path = bench + "tests-latest.json");
  in.idle = Optional(in.idle_path = bench + "idle-latest.json");
  for (std::string* p : {&in.parser_path, &in.engine_path, &in.storage_path, &in.tests_results_path,
                         &in.idle_path}) {
    *p = Relative(*p, root);
  }
  in.tests = fanfold::report::ScanTests(root + "/tests");

  std::error_code ec;
  std::filesystem::create_directories(o.figures_dir, ec);
  std::filesystem::create_directories(o.work_dir, ec);
  auto figures = fanfold::report::BuildFigures(in.results, in.prices);
  if (!figures.ok()) return Fail(figures.status().ToString());
  for (const auto& f : *figures) {
    const Status s = fanfold::report::RenderFigure(f.figure, o.work_dir, o.figures_dir);
    if (!s.ok()) return Fail(s.ToString());
  }
  in.figures = std::move(*figures);
  in.figures_rel_dir = Relative(o.figures_dir, std::filesystem::path(o.output).parent_path());

  auto values = fanfold::report::ComputeValues(in);
  if (!values.ok()) return Fail(values.status().ToString());
  std::string text;
  if (!ReadFile(o.template_path, &text)) return Fail("cannot read " + o.template_path);
  auto rendered = fanfold::report::RenderTemplate(text, *values);
  if (!rendered.ok()) return Fail(rendered.status().ToString());
  std::ofstream out(o.output);
  out << "<!-- Generated by `bash report/generate.sh` from " << in.results.path
      << " and report/template.md. Do not edit: edit the template or the generator. -->\n"
      << *rendered;
  if (!out) return Fail("cannot write " + o.output);
  std::printf("fanfold_report: wrote %s and %zu figures in %s (from %s)\n", o.output.c_str(),
              in.figures.size(), o.figures_dir.c_str(), in.results.path.c_str());
  return 0;
}
