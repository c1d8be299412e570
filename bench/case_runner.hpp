// Runs one benchmark case: N threads call an operation in a loop for a fixed time, each timing
// every call. An operation that consumes work (queue gets, deletes) runs in rounds: when its pool
// is exhausted the round ends, an untimed refill gives it new work, and the next round goes on
// until the rounds add up to the case's time. Around each round it takes the storage counters'
// delta and the CPU time of Azurite and of this process, so that a throughput can be read
// against what it cost on the wire and on the CPUs, refills excluded.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bench/latency_recorder.hpp"
#include "storage/counters.hpp"
#include "storage/status.hpp"

namespace fanfold::bench {

enum class OpOutcome {
  kDone,       // completed: counted and timed
  kFailed,     // an error: counted as an error, not timed; the case goes on
  kExhausted,  // no work left (an empty queue, a used-up pool): the round ends, uncounted
};

// Gives an exhausted operation new work between rounds, untimed (e.g. puts the messages the next
// round of gets receives).
using Refill = std::function<storage::Status()>;

// What one call of an operation gets: its thread, a per-thread random source, and where to put
// the text of a failure.
struct OpContext {
  int thread = 0;
  uint64_t iteration = 0;
  std::mt19937_64* random = nullptr;
  std::string* error = nullptr;
};
using Operation = std::function<OpOutcome(OpContext&)>;

struct CaseSpec {
  std::string operation;  // "table_upsert", ...
  std::string client;     // "fanfold" or "simple"
  int threads = 1;
  std::chrono::duration<double> duration{4.0};
  int requests_per_operation = 1;  // storage requests one call makes (3 for a put/get/delete)
};

struct CaseProbes {
  const storage::StorageCounters* counters = nullptr;  // whose delta the result reports
  std::vector<pid_t> azurite_pids;  // a local Azurite's processes, whose CPU to read (or none)
};

struct CaseResult {
  CaseSpec spec;
  uint64_t ops = 0;
  uint64_t errors = 0;
  double seconds = 0;          // timed: the rounds, each until its last thread stopped
  int rounds = 0;              // 1 unless the operation ran out of work and was refilled
  bool stopped_early = false;  // ran out of work with no refill, or the refill failed
  std::string first_error;
  LatencySummary latency;
  storage::CounterSnapshot counters;
  std::optional<double> azurite_cpu_seconds;
  double bench_cpu_seconds = 0;

  double ops_per_second() const { return seconds > 0 ? static_cast<double>(ops) / seconds : 0; }
  nlohmann::json ToJson() const;
  // One line for the terminal.
  std::string Summary() const;
};

// `refill` may be empty: an exhausted operation then ends the case early.
CaseResult RunCase(const CaseSpec& spec, const Operation& operation, const CaseProbes& probes,
                   const Refill& refill = {});

}  // namespace fanfold::bench
