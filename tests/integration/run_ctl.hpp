// Runs a real binary to its end for the integration tests — tekser-ctl (ctl_test, tls_test),
// tekser-gateway --check-config (check_config_test): its exit code, stdout and stderr, with a
// deadline.
#pragma once

#include <spawn.h>
#include <sys/wait.h>

#include <thread>

#include "tests/integration/gateway_fixture.hpp"

namespace tekser::integration {

struct BinaryRun {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr (the progress lines: not a terminal here)
};

using CtlRun = BinaryRun;

// Runs `binary` with `args`, its stdout and stderr into files; kills it at the deadline. Its
// environment is this process's without the variables named in `unset`, with `set` added
// ("NAME=value").
inline BinaryRun run_to_end(const std::string& binary, const std::vector<std::string>& args,
                            std::chrono::milliseconds deadline,
                            const std::vector<std::string>& unset = {},
                            const std::vector<std::string>& set = {}) {
  const auto dir = make_temp_dir();
  const auto out_file = dir / "stdout";
  const auto err_file = dir / "stderr";
  std::vector<std::string> argv_text{binary};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e) {
    const std::string_view entry(*e);
    bool dropped = false;
    for (const auto& name : unset) dropped = dropped || entry.rfind(name + "=", 0) == 0;
    if (!dropped) env_text.emplace_back(entry);
  }
  env_text.insert(env_text.end(), set.begin(), set.end());
  std::vector<char*> env;
  for (auto& e : env_text) env.push_back(e.data());
  env.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + binary);

  BinaryRun result;
  const auto until = std::chrono::steady_clock::now() + deadline;
  int status = 0;
  for (;;) {  // a child's exit is not a file descriptor: poll it, with a deadline
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() > until) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      ADD_FAILURE() << binary << " did not finish within " << deadline.count() << " ms";
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  result.out = read_file(out_file);
  result.err = read_file(err_file);
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return result;
}

// Runs tekser-ctl with `args`. Its environment is this process's with TEKSER_TOKEN set to `token`
// (the test client's by default; nullopt: TEKSER_TOKEN unset).
inline CtlRun run_ctl(const std::vector<std::string>& args,
                      std::chrono::milliseconds deadline = 60s,
                      std::optional<std::string> token = std::string(kTestToken)) {
  std::vector<std::string> set;
  if (token) set.push_back("TEKSER_TOKEN=" + *token);
  return run_to_end(TEKSER_CTL_BINARY, args, deadline, {"TEKSER_TOKEN"}, set);
}

}  // namespace tekser::integration
