#include "report/results.hpp"

#include <fstream>

namespace fanfold::report {
namespace {

using nlohmann::json;
using storage::Result;
using storage::Status;

// A number that may be absent or null (a driver writes null for what it could not measure).
double Num(const json& j, const char* key, double fallback = 0) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return fallback;
  return j[key].get<double>();
}
int Int(const json& j, const char* key, int fallback = 0) {
  return static_cast<int>(Num(j, key, fallback));
}
uint64_t U64(const json& j, const char* key) {
  return static_cast<uint64_t>(Num(j, key, 0));
}
std::string Str(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return "";
  return j[key].get<std::string>();
}
bool Bool(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_boolean() && j[key].get<bool>();
}
const json& Child(const json& j, const char* key) {
  static const json kNull;
  return j.is_object() && j.contains(key) ? j[key] : kNull;
}

std::map<std::string, uint64_t> KindCounts(const json& j) {
  std::map<std::string, uint64_t> out;
  if (!j.is_object()) return out;
  for (const auto& [kind, value] : j.items()) {
    if (value.is_number()) out[kind] = value.get<uint64_t>();
  }
  return out;
}

Counters ParseCounters(const json& j) {
  Counters c;
  c.attempts = KindCounts(Child(j, "attempts"));
  c.total_attempts = U64(j, "total_attempts");
  c.bytes_sent = Num(j, "bytes_sent");
  c.bytes_received = Num(j, "bytes_received");
  c.throttled = U64(j, "throttled");
  c.transport_failures = U64(j, "transport_failures");
  return c;
}

StorageCounters ParseStorage(const json& j) {
  return {ParseCounters(Child(j, "workers")), ParseCounters(Child(j, "driver")),
          ParseCounters(Child(j, "total"))};
}

std::vector<Process> ParseProcesses(const json& j) {
  std::vector<Process> out;
  if (!j.is_array()) return out;
  for (const json& p : j) {
    out.push_back({Str(p, "role"), Str(p, "name"), Num(p, "cpu_seconds"), Num(p, "peak_rss_kib"),
                   Str(p, "exit")});
  }
  return out;
}

Result<FanoutRun> ParseRun(const json& j) {
  FanoutRun r;
  r.file = Str(j, "file");
  r.pipeline = Str(j, "pipeline");
  r.chunks = Int(j, "chunks");
  r.workers = Int(j, "workers");
  if (r.file.empty() || r.pipeline.empty() || r.chunks <= 0 || r.workers <= 0) {
    return Status::InvalidArgument("fanout run lacks file, pipeline, chunks or workers");
  }
  r.state = Str(j, "state");
  r.exact = Bool(j, "exact");
  r.upload_seconds = Num(j, "upload_seconds");
  r.latency_seconds = Num(j, "latency_seconds");
  r.wall_seconds = Num(j, "wall_seconds");
  r.throughput_mb_per_s = Num(j, "throughput_mb_per_s");
  const json& stages = Child(j, "stages");
  if (stages.is_object()) {
    for (const auto& [name, s] : stages.items())
      r.stages[name] = {Num(s, "start"), Num(s, "end")};
  }
  const json& spans = Child(j, "chunk_spans");
  if (spans.is_array()) {
    for (const json& s : spans) {
      r.chunk_spans.push_back({Int(s, "chunk"), Str(s, "worker"), Num(s, "start"), Num(s, "end"),
                               !s.contains("ok") || Bool(s, "ok")});
    }
  }
  const json& cs = Child(j, "chunk_seconds");
  r.chunk_p50 = Num(cs, "p50");
  r.chunk_max = Num(cs, "max");
  r.chunk_mean = Num(cs, "mean");
  r.straggler_ratio = Num(cs, "straggler_ratio");
  r.requests_total = U64(j, "requests_total");
  r.requests_by_kind = KindCounts(Child(j, "requests_by_kind"));
  r.bytes_moved = Num(j, "bytes_moved");
  r.processes = ParseProcesses(Child(j, "processes"));
  r.storage = ParseStorage(Child(j, "storage"));
  return r;
}

Result<LoadCase> ParseCase(const json& j, const std::string& suite) {
  LoadCase c;
  c.suite = Str(j, "suite").empty() ? suite : Str(j, "suite");
  c.file_set = Str(j, "file_set");
  c.files = Int(j, "files");
  c.bytes = Num(j, "bytes");
  c.mode = Str(j, "mode");
  c.rate_per_s = Num(j, "rate_per_s");
  c.pipeline = Str(j, "pipeline");
  c.workers = Int(j, "workers");
  c.chunks_per_file = Int(j, "chunks_per_file");
  if (c.pipeline.empty() || c.workers <= 0) {
    return Status::InvalidArgument(suite + " case lacks pipeline or workers");
  }
  const json& faults = Child(j, "faults");
  c.fault_rate = Num(faults, "rate");
  c.faults_injected = U64(faults, "injected");
  c.kills = Int(faults, "kills");
  c.kill_every_s = Num(faults, "kill_every_s");
  c.wall_seconds = Num(j, "wall_seconds");
  c.jobs_per_minute = Num(j, "jobs_per_minute");
  c.completed = Int(j, "completed");
  c.exact = Int(j, "exact");
  c.failed = Int(j, "failed");
  c.unfinished = Int(j, "unfinished");
  const json& lat = Child(j, "latency");
  c.latency = {Num(lat, "p50"), Num(lat, "p95"), Num(lat, "p99"), Num(lat, "max"),
               Num(lat, "mean")};
  const json& jobs = Child(j, "jobs");
  if (jobs.is_array()) {
    for (const json& job : jobs) {
      c.jobs.push_back({Str(job, "file"), Num(job, "submitted"), Num(job, "finished"),
                        Num(job, "latency_seconds"), Str(job, "state"), Bool(job, "exact")});
    }
  }
  c.requests_total = U64(j, "requests_total");
  c.requests_per_job = Num(j, "requests_per_job");
  c.requests_by_kind = KindCounts(Child(j, "requests_by_kind"));
  c.bytes_moved = Num(j, "bytes_moved");
  c.processes = ParseProcesses(Child(j, "processes"));
  c.storage = ParseStorage(Child(j, "storage"));
  const json& cpu = Child(j, "cpu");
  c.cpu_workers_seconds = Num(cpu, "workers_seconds");
  c.cpu_azurite_seconds = Num(cpu, "azurite_seconds");
  c.workers_share = Num(cpu, "workers_share");
  c.azurite_share = Num(cpu, "azurite_share");
  return c;
}

Result<std::vector<LoadCase>> ParseCases(const json& doc, const char* suite) {
  std::vector<LoadCase> out;
  const json& cases = Child(doc, suite);
  if (cases.is_null()) return out;
  if (!cases.is_array()) return Status::InvalidArgument(std::string(suite) + " is not an array");
  for (const json& j : cases) {
    Result<LoadCase> c = ParseCase(j, suite);
    if (!c.ok()) return c.status();
    out.push_back(std::move(*c));
  }
  return out;
}

}  // namespace

uint64_t Counters::attempts_of(const std::string& kind) const {
  auto it = attempts.find(kind);
  return it == attempts.end() ? 0 : it->second;
}

const InputFile* PipelineResults::File(const std::string& id) const {
  for (const InputFile& f : files) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

Result<PipelineResults> ParsePipelineResults(const json& doc, const std::string& path) {
  if (!doc.is_object() || Str(doc, "benchmark") != "pipeline") {
    return Status::InvalidArgument(path + ": not a pipeline benchmark result (\"benchmark\")");
  }
  PipelineResults r;
  r.path = path;
  r.size = Str(doc, "size");
  r.command = Str(doc, "command");
  r.started = Str(doc, "started");
  r.finished = Str(doc, "finished");
  r.git_commit = Str(Child(doc, "git"), "commit");
  r.git_dirty = Bool(Child(doc, "git"), "dirty");
  const json& machine = Child(doc, "machine");
  r.nproc = Int(machine, "nproc");
  r.cpu_model = Str(machine, "cpu_model");
  r.memory_total_kib = Num(machine, "memory_total_kib");
  r.storage_kind = Str(Child(doc, "storage"), "kind");
  r.azurite_version = Str(Child(doc, "storage"), "azurite_version");
  r.settings = Child(doc, "settings");
  const json& files = Child(doc, "files");
  if (!files.is_array()) return Status::InvalidArgument(path + ": no \"files\" array");
  for (const json& f : files) {
    InputFile file{Str(f, "id"), Num(f, "bytes"), Num(f, "rows"), Int(f, "parts"),
                   Str(f, "source")};
    if (file.id.empty()) return Status::InvalidArgument(path + ": a file without an id");
    r.files.push_back(std::move(file));
  }
  const json& fanout = Child(doc, "fanout");
  if (fanout.is_array()) {
    for (const json& j : fanout) {
      Result<FanoutRun> run = ParseRun(j);
      if (!run.ok()) return Status::InvalidArgument(path + ": " + run.status().message());
      if (r.File(run->file) == nullptr) {
        return Status::InvalidArgument(path + ": fanout run of unknown file \"" + run->file + "\"");
      }
      r.fanout.push_back(std::move(*run));
    }
  }
  for (auto [target, suite] :
       {std::pair{&r.load, "load"}, std::pair{&r.scale, "scale"}, std::pair{&r.faults, "faults"}}) {
    Result<std::vector<LoadCase>> cases = ParseCases(doc, suite);
    if (!cases.ok()) return Status::InvalidArgument(path + ": " + cases.status().message());
    *target = std::move(*cases);
  }
  const json& baselines = Child(doc, "baselines");
  if (baselines.is_array()) {
    for (const json& b : baselines) {
      Baseline base{Str(b, "file"),
                    Str(b, "method"),
                    Bool(b, "available"),
                    Num(b, "seconds_best"),
                    Num(b, "seconds_median"),
                    Int(b, "repetitions"),
                    std::nullopt,
                    Str(b, "note")};
      if (b.contains("exact") && b["exact"].is_boolean()) base.exact = b["exact"].get<bool>();
      r.baselines.push_back(std::move(base));
    }
  }
  return r;
}

Result<json> LoadJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot open " + path);
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument(path + " is not valid JSON");
  return doc;
}

Result<PipelineResults> LoadPipelineResults(const std::string& path) {
  Result<json> doc = LoadJson(path);
  if (!doc.ok()) return doc.status();
  return ParsePipelineResults(*doc, path);
}

}  // namespace fanfold::report
