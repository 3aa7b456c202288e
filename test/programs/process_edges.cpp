// The edges of a process (issue 10, item 5), one case per argv[1]: static
// destructors that wait on goroutines, exit with a goroutine blocked in the
// kernel, fork, and a thread limit (RLIMIT_NPROC) below GOMAXPROCS.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <gocxx/gocxx.hpp>

using namespace gocxx;
using namespace std::chrono_literals;

namespace {

std::string g_case;

// A logger that writes through a goroutine and flushes in its destructor:
// constructed before main (before the runtime starts), destroyed after the
// runtime has halted its workers at exit.
struct Logger {
    Channel<std::string> lines{16};
    Channel<Unit> done;
    void start() {
        go([lines = lines, done = done] {
            for (const std::string& l : lines) std::printf("log: %s\n", l.c_str());
            done.close();
        });
    }
    ~Logger() {
        if (g_case == "exit_global_waits") {
            lines.send("from the destructor");
            lines.close();
            done.recv();  // waits for the goroutine to drain the channel
            std::printf("flushed\n");
        } else if (g_case == "exit_global_waits_forever") {
            Channel<int> never;
            never.recv();  // nobody sends: a deadlock, reported, not a hang
        }
    }
};
Logger g_logger;

std::atomic<long long> g_main_end_ns{0};
long long now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
void report_exit_time() {  // registered before the runtime's: runs after it
    if (const long long t = g_main_end_ns.load()) std::fprintf(stderr, "exit took %lld ms\n", (now_ns() - t) / 1000000);
}

int wait_child(pid_t pid) {
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0) {
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int fork_case(const std::string& c) {
    return gocxx::run([&c] {
        // The runtime is busy in the parent: goroutines parked and running.
        Channel<int> ch;
        sync::WaitGroup wg;
        for (int i = 0; i < 8; ++i) wg.go([ch] { ch.recv(); });
        // One computing at the time of the fork (its worker looks busy in
        // the child's copy of the runtime).
        std::atomic<bool> stop{false};
        Channel<Unit> computing;
        wg.go([&stop, computing] {
            computing.close();
            while (!stop.load()) {
            }
        });
        computing.recv();
        std::fflush(stdout);
        const auto forked_at = std::chrono::steady_clock::now();
        const pid_t pid = ::fork();
        if (pid == 0) {
            if (c == "fork_go") {
                go([] { std::printf("child goroutine ran\n"); });
            } else if (c == "fork_chan") {
                Channel<int> mine;
                mine.recv();
            } else if (c == "fork_exit") {  // exit(), not _exit: the atexit handlers run in the child
                std::printf("child exits\n");
                std::exit(0);
            } else if (c == "fork_exec") {
                ::execl("/bin/sh", "sh", "-c", "echo exec ok", static_cast<char*>(nullptr));
                ::_exit(127);
            }
            std::printf("child unreachable\n");
            std::fflush(stdout);
            ::_exit(0);
        }
        const int st = wait_child(pid);
        const auto took = std::chrono::steady_clock::now() - forked_at;
        stop.store(true);
        std::printf("child exit %d\n", st);
#ifdef __SANITIZE_THREAD__
        // ThreadSanitizer's own exit in a forked child takes about a second.
        const bool timed = false;
#else
        const bool timed = true;
#endif
        if (timed && c == "fork_exit" && took >= 90ms)  // the runtime's 100 ms exit grace, for threads not there
            std::printf("child took %lld ms\n", static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
        std::fflush(stdout);
        // The parent's runtime is unaffected.
        for (int i = 0; i < 8; ++i) ch.send(i);
        wg.wait();
        if (c == "fork_exec") std::printf("system %d\n", std::system("echo system ok"));
        std::printf("parent done\n");
    });
}

int nproc_case(rlim_t limit) {
    if (::geteuid() == 0) {  // root is exempt from RLIMIT_NPROC: become nobody
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) {
            std::printf("setuid failed\n");
            return 1;
        }
    }
#ifdef __SANITIZE_THREAD__
    limit += 1;  // ThreadSanitizer's background thread takes one
#endif
    const rlimit rl{limit, limit};
    if (::setrlimit(RLIMIT_NPROC, &rl) != 0) {
        std::printf("setrlimit failed\n");
        return 1;
    }
    return gocxx::run([] {
        // Ping-pong, a fan-out and a timer, on whatever threads there are.
        Channel<int> ping, pong;
        go([ping, pong] {
            for (int v : ping) pong.send(v + 1);
            pong.close();
        });
        long sum = 0;
        for (int i = 0; i < 1000; ++i) {
            ping.send(i);
            sum += pong.recv();
        }
        ping.close();
        sync::WaitGroup wg;
        std::atomic<int> n{0};
        for (int i = 0; i < 100; ++i) wg.go([&n] { n.fetch_add(1); });
        wg.wait();
        time::sleep(1ms);
        std::printf("sum %ld goroutines %d\n", sum, n.load());
    });
}

}  // namespace

int main(int argc, char** argv) {
    g_case = argc > 1 ? argv[1] : "";
    const std::string& c = g_case;
    if (c == "exit_global_waits" || c == "exit_global_waits_forever") {
        return gocxx::run([] {
            g_logger.start();
            std::printf("main done\n");  // before the send: the logger may print at once
            g_logger.lines.send("from main");
        });
    }
    if (c == "exit_blocked_read" || c == "exit_blocked_call") {
        std::atexit(&report_exit_time);
        static int fds[2];
        if (::pipe(fds) != 0) return 1;
        return gocxx::run([] {
            Channel<Unit> entering;
            const bool announced = g_case == "exit_blocked_call";
            go([entering, announced] {
                entering.close();
                char b;
                if (announced) runtime::blocking([&] { return ::read(fds[0], &b, 1); });
                else (void)!::read(fds[0], &b, 1);  // nobody writes: blocked for good
            });
            entering.recv();
            std::printf("main done\n");
            g_main_end_ns.store(now_ns());
        });
    }
    if (c.rfind("fork_", 0) == 0) return fork_case(c);
    if (c == "nproc_2") return nproc_case(2);  // the main thread and one more: no monitor
    if (c == "nproc_3") return nproc_case(3);  // one worker and the monitor
    std::printf("unknown case\n");
    return 1;
}
