#include "tests/support/azurite_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#ifndef FANFOLD_SOURCE_DIR
#error "FANFOLD_SOURCE_DIR must name the source tree"
#endif

namespace fanfold::testing {
namespace {

using storage::Result;
using storage::Status;

constexpr int kStartAttempts = 3;
constexpr auto kStartLimit = std::chrono::seconds(60);
constexpr auto kStopGrace = std::chrono::seconds(5);
constexpr size_t kLogTailBytes = 2000;

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

// True for per-service (the default), false for single.
Result<bool> PerServiceFromEnvironment() {
  const char* mode = std::getenv("FANFOLD_AZURITE_MODE");
  if (mode == nullptr || *mode == '\0' || std::string(mode) == "per-service") return true;
  if (std::string(mode) == "single") return false;
  return Status::InvalidArgument("FANFOLD_AZURITE_MODE is single or per-service, not '" +
                                 std::string(mode) + "'");
}

// The `azurite` entry point; npm installs the per-service ones (azurite-blob, ...) beside it.
std::string AzuriteBinary() {
  if (const char* configured = std::getenv("FANFOLD_AZURITE_BIN"); configured && *configured) {
    return configured;
  }
  return std::string(FANFOLD_SOURCE_DIR) + "/infra/azurite/node_modules/.bin/azurite";
}

std::string Tail(const std::string& path, size_t max_bytes) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  return text.size() > max_bytes ? text.substr(text.size() - max_bytes) : text;
}

struct Ports {
  int blob = 0;
  int queue = 0;
  int table = 0;
};

// "--blobHost 127.0.0.1 --blobPort N ...": where a process serving `service` ("all" for the
// single process) listens.
std::vector<std::string> ListenFlags(const std::string& service, const Ports& ports) {
  const std::pair<std::string, int> services[] = {
      {"blob", ports.blob}, {"queue", ports.queue}, {"table", ports.table}};
  std::vector<std::string> flags;
  for (const auto& [name, port] : services) {
    if (service != "all" && service != name) continue;
    flags.insert(flags.end(),
                 {"--" + name + "Host", "127.0.0.1", "--" + name + "Port", std::to_string(port)});
  }
  return flags;
}

// Starts argv[0] in a process group of its own (so a signal to the group also reaches node's
// children), in `work_dir`, with stdout and stderr to `log_path`.
Result<pid_t> SpawnInOwnGroup(const std::vector<std::string>& arguments,
                              const std::string& log_path, const std::string& work_dir) {
  const pid_t pid = fork();
  if (pid < 0) return Status::IoError("fork failed");
  if (pid > 0) {
    setpgid(pid, pid);  // here too, so a Stop() right away cannot miss the group
    return pid;
  }
  setpgid(0, 0);
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (log >= 0) {
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    close(log);
  }
  if (chdir(work_dir.c_str()) != 0) _exit(126);
  std::vector<char*> argv;
  for (const auto& argument : arguments)
    argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  _exit(127);
}

// To the process's group; to the process alone should the group not exist.
void SignalGroup(pid_t pid, int signal) {
  if (kill(-pid, signal) != 0) kill(pid, signal);
}

}  // namespace

Result<std::unique_ptr<AzuriteProcess>> AzuriteProcess::Start() {
  auto per_service = PerServiceFromEnvironment();
  if (!per_service.ok()) return per_service.status();
  std::unique_ptr<AzuriteProcess> process(new AzuriteProcess());
  process->per_service_ = *per_service;
  const std::string binary = AzuriteBinary();
  const std::string bin_dir = std::filesystem::path(binary).parent_path().string();
  if (process->per_service_) {
    for (const char* service : {"blob", "queue", "table"}) {
      process->children_.push_back({service, bin_dir + "/azurite-" + service, -1, ""});
    }
  } else {
    process->children_.push_back({"all", binary, -1, ""});
  }
  for (const Child& child : process->children_) {
    if (access(child.program.c_str(), X_OK) != 0) {
      return Status::IoError("Azurite is not installed at " + child.program +
                             "; run scripts/bootstrap.sh (it runs npm ci in infra/azurite)");
    }
  }
  char work_template[] = "/tmp/fanfold-azurite-XXXXXX";
  if (mkdtemp(work_template) == nullptr) return Status::IoError("cannot create a temp directory");
  process->work_dir_ = work_template;

  // Azurite binds the ports itself, so another process could take one between our probe and its
  // bind; a start in which a process exits is retried, all of it, on new ports.
  for (int attempt = 1;; ++attempt) {
    process->blob_port_ = FreeLoopbackPort();
    process->queue_port_ = FreeLoopbackPort();
    process->table_port_ = FreeLoopbackPort();
    Status started = process->Launch();
    if (started.ok()) started = process->WaitUntilListening();
    if (started.ok()) return process;
    const std::string logs = process->LogTails();
    process->Stop();
    if (started.IsTimeout()) return Status::Timeout(started.message() + logs);
    if (attempt == kStartAttempts) return Status::IoError(started.message() + logs);
  }
}

// Starts every child: one per service, or the one that serves all three.
Status AzuriteProcess::Launch() {
  const Ports ports{blob_port_, queue_port_, table_port_};
  for (Child& child : children_) {
    std::vector<std::string> arguments = {child.program};
    for (const std::string& flag : ListenFlags(child.service, ports))
      arguments.push_back(flag);
    arguments.insert(arguments.end(), {"--inMemoryPersistence", "--disableTelemetry", "--silent"});
    child.log_path = work_dir_ + "/azurite-" + child.service + ".log";
    auto pid = SpawnInOwnGroup(arguments, child.log_path, work_dir_);
    if (!pid.ok()) return pid.status();
    child.pid = *pid;
  }
  return Status::Ok();
}

// OK once all three ports accept; IoError when a process exits first (a port taken, most
// likely), Timeout after kStartLimit.
Status AzuriteProcess::WaitUntilListening() {
  const auto deadline = std::chrono::steady_clock::now() + kStartLimit;
  while (std::chrono::steady_clock::now() < deadline) {
    for (Child& child : children_) {
      int wait_status = 0;
      if (child.pid > 0 && waitpid(child.pid, &wait_status, WNOHANG) == child.pid) {
        child.pid = -1;
        return Status::IoError("Azurite (" + child.service + ") exited during start-up");
      }
    }
    if (Accepts(blob_port_) && Accepts(queue_port_) && Accepts(table_port_)) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Status::Timeout("Azurite did not start listening within 60 s");
}

// "; its log (blob) ends: ..." for every process that logged anything, for a start-up error.
std::string AzuriteProcess::LogTails() const {
  std::string text;
  for (const Child& child : children_) {
    if (child.log_path.empty()) continue;
    const std::string tail = Tail(child.log_path, kLogTailBytes);
    if (!tail.empty()) text += "; its log (" + child.service + ") ends: " + tail;
  }
  return text;
}

// SIGTERM to every group at once (they shut down in parallel), then SIGKILL for any process
// still there after kStopGrace. The children stay listed, so Launch() can start them again.
void AzuriteProcess::Stop() {
  for (const Child& child : children_) {
    if (child.pid > 0) SignalGroup(child.pid, SIGTERM);
  }
  const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
  for (Child& child : children_) {
    if (child.pid <= 0) continue;
    int wait_status = 0;
    while (waitpid(child.pid, &wait_status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        SignalGroup(child.pid, SIGKILL);
        waitpid(child.pid, &wait_status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    child.pid = -1;
  }
}

AzuriteProcess::~AzuriteProcess() {
  Stop();
  std::error_code ignored;
  if (!work_dir_.empty()) std::filesystem::remove_all(work_dir_, ignored);
}

std::vector<pid_t> AzuriteProcess::pids() const {
  std::vector<pid_t> pids;
  for (const Child& child : children_) {
    if (child.pid > 0) pids.push_back(child.pid);
  }
  return pids;
}

std::string AzuriteProcess::connection_string() const {
  const auto endpoint = [](int port) {
    return "http://127.0.0.1:" + std::to_string(port) + "/devstoreaccount1";
  };
  return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
         "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/"
         "K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=" +
         endpoint(blob_port_) + ";QueueEndpoint=" + endpoint(queue_port_) +
         ";TableEndpoint=" + endpoint(table_port_);
}

}  // namespace fanfold::testing
