// Running a helper program from test/programs as a child process, with its
// output captured and a deadline: the tests of how a process ends (exit,
// panics, stack overflow, deadlock, SIGQUIT).
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace gocxx::test {

using namespace std::chrono_literals;

struct ChildResult {
    bool started = false;
    bool timed_out = false;
    bool exited = false;  // WIFEXITED
    int exit_code = -1;
    int signal = 0;       // WTERMSIG when killed by a signal
    std::string out, err;
    std::chrono::milliseconds elapsed{0};
};

inline std::string program(const char* name) {
    const std::string var = std::string("GOCXX_PROG_") + name;
    const char* p = std::getenv(var.c_str());
    return p ? p : "";
}

// Runs path with args and extra environment entries ("K=V"), capturing stdout
// and stderr; kills it (SIGKILL) if it outlives timeout. With send_signal,
// sends it that signal once signal_after has passed (a child that is meant to
// hang until told).
inline ChildResult run_child(const std::string& path, const std::vector<std::string>& args,
                             const std::vector<std::string>& extra_env, std::chrono::milliseconds timeout,
                             int send_signal = 0, std::chrono::milliseconds signal_after = {}) {
    ChildResult r;
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) return r;
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        return r;
    }

    // The environment, with extra_env appended to a variable already there
    // (as "old:new", the sanitizers' option syntax) or added.
    std::vector<std::string> env_strings;
    std::vector<bool> merged(extra_env.size(), false);
    for (char** e = environ; *e; ++e) {
        std::string s(*e);
        for (std::size_t i = 0; i < extra_env.size(); ++i) {
            const auto& x = extra_env[i];
            const std::size_t eq = x.find('=') + 1;
            if (s.compare(0, eq, x, 0, eq) == 0) {
                s += ":" + x.substr(eq);
                merged[i] = true;
            }
        }
        env_strings.push_back(s);
    }
    for (std::size_t i = 0; i < extra_env.size(); ++i)
        if (!merged[i]) env_strings.push_back(extra_env[i]);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);

    std::vector<std::string> argv_strings{path};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
    pid_t pid = -1;
    const auto t0 = std::chrono::steady_clock::now();
    const int rc = posix_spawn(&pid, path.c_str(), &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        return r;
    }
    r.started = true;

    // Read both pipes until they close or the deadline passes.
    const auto deadline = t0 + timeout;
    const auto signal_at = t0 + signal_after;
    bool signalled = send_signal == 0;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&r.out, &r.err};
    int open_fds = 2;
    while (open_fds > 0) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            r.timed_out = true;
            break;
        }
        if (!signalled && now >= signal_at) {
            kill(pid, send_signal);
            signalled = true;
        }
        const auto until = signalled ? deadline : std::min(deadline, signal_at);
        const int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count()) + 1;
        const int n = poll(fds, 2, ms);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) continue;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[4096];
            const ssize_t got = read(fds[i].fd, buf, sizeof buf);
            if (got > 0) {
                sinks[i]->append(buf, static_cast<std::size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) close(f.fd);

    // The pipes are closed when the process is gone (or it closed them);
    // wait for it, still bounded.
    int status = 0;
    for (;;) {
        const pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) return r;
        if (r.timed_out || std::chrono::steady_clock::now() >= deadline) {
            r.timed_out = true;
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        usleep(1000);  // polling the child's exit, not synchronising threads
    }
    r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    if (WIFEXITED(status)) {
        r.exited = true;
        r.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.signal = WTERMSIG(status);
    }
    return r;
}

inline bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// The one sanitizer suppression, for child processes only: they end, by
// design and as Go programs do, with goroutines still parked, and what only
// those goroutines' stacks point to (channels, closures on the heap) looks
// leaked to LeakSanitizer, which does not scan goroutine stacks. The test
// processes themselves keep leak checking on.
inline const std::vector<std::string> kNoLeakCheck = {"ASAN_OPTIONS=detect_leaks=0"};

}  // namespace gocxx::test
