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
#include <vector>

#ifndef FANFOLD_SOURCE_DIR
#error "FANFOLD_SOURCE_DIR must name the source tree"
#endif

namespace fanfold::testing {
namespace {

using storage::Result;
using storage::Status;

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

}  // namespace

Result<std::unique_ptr<AzuriteProcess>> AzuriteProcess::Start() {
  const std::string binary = AzuriteBinary();
  if (access(binary.c_str(), X_OK) != 0) {
    return Status::IoError("Azurite is not installed at " + binary +
                           "; run scripts/bootstrap.sh (it runs npm ci in infra/azurite)");
  }
  std::unique_ptr<AzuriteProcess> process(new AzuriteProcess());
  char work_template[] = "/tmp/fanfold-azurite-XXXXXX";
  if (mkdtemp(work_template) == nullptr) return Status::IoError("cannot create a temp directory");
  process->work_dir_ = work_template;

  // Azurite binds the ports itself, so another process could take one between our probe and its
  // bind; a failed start is retried on new ports.
  for (int start_attempt = 0; start_attempt < 3; ++start_attempt) {
    process->blob_port_ = FreeLoopbackPort();
    process->queue_port_ = FreeLoopbackPort();
    process->table_port_ = FreeLoopbackPort();
    const std::string log_path = process->work_dir_ + "/azurite.log";
    const std::vector<std::string> arguments = {binary,
                                                "--blobHost",
                                                "127.0.0.1",
                                                "--blobPort",
                                                std::to_string(process->blob_port_),
                                                "--queueHost",
                                                "127.0.0.1",
                                                "--queuePort",
                                                std::to_string(process->queue_port_),
                                                "--tableHost",
                                                "127.0.0.1",
                                                "--tablePort",
                                                std::to_string(process->table_port_),
                                                "--inMemoryPersistence",
                                                "--disableTelemetry",
                                                "--silent"};
    const pid_t pid = fork();
    if (pid < 0) return Status::IoError("fork failed");
    if (pid == 0) {
      setpgid(0, 0);  // its own group, so Stop() also reaches node's children
      const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (log >= 0) {
        dup2(log, STDOUT_FILENO);
        dup2(log, STDERR_FILENO);
        close(log);
      }
      if (chdir(process->work_dir_.c_str()) != 0) _exit(126);
      std::vector<char*> argv;
      for (const auto& argument : arguments)
        argv.push_back(const_cast<char*>(argument.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    process->pid_ = pid;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool exited = false;
    while (std::chrono::steady_clock::now() < deadline) {
      int wait_status = 0;
      if (waitpid(pid, &wait_status, WNOHANG) == pid) {
        exited = true;
        process->pid_ = -1;
        break;
      }
      if (Accepts(process->blob_port_) && Accepts(process->queue_port_) &&
          Accepts(process->table_port_)) {
        return process;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!exited) {
      process->Stop();
      return Status::Timeout("Azurite did not start listening within 60 s; its log ends: " +
                             Tail(log_path, 2000));
    }
    if (start_attempt == 2) {
      return Status::IoError("Azurite exited during start-up; its log ends: " +
                             Tail(log_path, 2000));
    }
  }
  return Status::IoError("Azurite could not be started");
}

void AzuriteProcess::Stop() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int wait_status = 0;
  while (waitpid(pid_, &wait_status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, &wait_status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
}

AzuriteProcess::~AzuriteProcess() {
  Stop();
  std::error_code ignored;
  if (!work_dir_.empty()) std::filesystem::remove_all(work_dir_, ignored);
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
