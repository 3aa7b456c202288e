// Shared by gocxx_workloads.cpp and fiber_workloads.cpp (and mirrored by
// bench/go/main.go): the workload names, message counts, the output line and
// the /proc/self/status reader. See bench/compare.py.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>

namespace cmp {

using Msg = std::uint64_t;

// Keep these equal to the constants of bench/go/main.go.
inline constexpr int kThreads = 4;              // producers, consumers, select channels
inline constexpr long kSeqMsgs = 2'000'000;     // seq: one goroutine, no hand-offs
inline constexpr long kChanMsgs = 1'000'000;    // spsc, mpsc, mpmc (cap 1024)
inline constexpr long kUnbufMsgs = 400'000;     // spsc, mpsc, mpmc (cap 0 and 1)
inline constexpr long kSelectMsgs = 400'000;    // select_rx, select_both
inline constexpr long kPingPongs = 200'000;     // round trips
inline constexpr long kSpawnN = 1'000'000;      // goroutines started and finished
inline constexpr long kParkedN = 100'000;       // goroutines parked at once
inline constexpr long kSemTasks = 2'000;        // semaphore: tasks
inline constexpr int kSemLimit = 100;           //            in flight at most
inline constexpr auto kSemSleep = std::chrono::milliseconds(1);

inline long msgs_for(long cap) { return cap <= 1 ? kUnbufMsgs : kChanMsgs; }

constexpr std::uint64_t sum_to(std::uint64_t n) { return n * (n - 1) / 2; }

[[noreturn]] inline void fail(const char* what) {
    std::fprintf(stderr, "check failed: %s\n", what);
    std::exit(1);
}

inline void check(bool ok, const char* what) {
    if (!ok) fail(what);
}

using Clock = std::chrono::steady_clock;

inline double per_item_ns(Clock::time_point t0, long n) {
    return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / static_cast<double>(n);
}

inline double elapsed_ms(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// A field of /proc/self/status (VmRSS, VmHWM), in bytes.
inline double status_bytes(const std::string& field) {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line)) {
        if (line.rfind(field + ":", 0) == 0) {
            std::istringstream in(line.substr(field.size() + 1));
            double kb = 0;
            in >> kb;
            return kb * 1024;
        }
    }
    fail("no such field in /proc/self/status");
}

// GOMAXPROCS from the environment, or fallback.
inline int env_procs(int fallback) {
    if (const char* s = std::getenv("GOMAXPROCS")) {
        int n = std::atoi(s);
        if (n > 0) return n;
    }
    return fallback;
}

struct Workload {
    const char* unit;              // nullptr: not available in this implementation
    std::function<double()> run;
};

// The full list, in table order; each program fills in what it has.
inline const char* const kNames[] = {
    "seq_1",         "seq_1024",      "spsc_0",           "spsc_1",        "spsc_1024",
    "mpsc_0",        "mpsc_1",        "mpsc_1024",        "mpmc_0",        "mpmc_1",
    "mpmc_1024",     "select_rx_0",   "select_rx_1024",   "select_both_0", "select_both_1024",
    "ping_pong",     "spawn",         "parked_rss",       "parked_release", "semaphore",
    "semaphore_sleep_for",
};

// Runs argv[1] once and prints `WORKLOAD VALUE UNIT` (or `WORKLOAD n/a`).
// Unknown name: exit 2 with the list.
inline int dispatch(int argc, char** argv, const std::map<std::string, Workload>& w, const char* prog) {
    std::string known;
    for (const char* n : kNames) known += std::string(" ") + n;
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s WORKLOAD\nworkloads:%s\n", prog, known.c_str());
        return 2;
    }
    const std::string name = argv[1];
    bool listed = false;
    for (const char* n : kNames) listed = listed || name == n;
    if (!listed) {
        std::fprintf(stderr, "%s: unknown workload '%s'\nworkloads:%s\n", prog, name.c_str(), known.c_str());
        return 2;
    }
    auto it = w.find(name);
    if (it == w.end() || !it->second.unit) {
        std::printf("%s n/a\n", name.c_str());
        return 0;
    }
    const double v = it->second.run();
    std::printf("%s %.2f %s\n", name.c_str(), v, it->second.unit);
    return 0;
}

}  // namespace cmp
