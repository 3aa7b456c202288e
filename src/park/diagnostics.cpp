// Diagnostics: goroutine dumps (runtime::dump_goroutines, SIGQUIT) and the
// deadlock detector. Everything here runs on the caller's thread or on the
// monitor, never inside a signal handler: the SIGQUIT handler only posts the
// monitor.
//
// What a dump sees. G records are never freed (gpool.hpp), so a dump walks
// every G ever made and reads its "dump" fields (relaxed atomics). A dump taken while goroutines run is a
// blur, as Go's is; one taken while they are parked is exact. Plain threads
// waiting in gocxx come from the parker list (park.cpp).
//
// When the detector fires (Go's "all goroutines are asleep"). Go knows every
// thread that could run Go code; gocxx cannot: any thread of the process may
// hold a channel and send on it later. So the detector fires only when every
// thread of the process is accounted for as unable to move:
//   1. every worker is idle or retired, nothing is runnable, no timer is
//      pending (a timer would wake someone);
//   2. at least one plain thread is parked in gocxx and not yet woken;
//   3. the process has exactly (workers + the monitor + those parked threads)
//      threads (/proc/self/status): no other thread exists that could still
//      call into gocxx (one more under ThreadSanitizer, its background thread);
//   4. all of that holds twice, 100 ms apart, with no park of a thread and no
//      goroutine scheduled in between (a snapshot of the counters).
// A program that can still make progress through gocxx has a thread or a
// timer that breaks 1-3, so it is never reported. Off with
// runtime::set_deadlock_detection(false) or GOCXX_DEADLOCK_DETECTOR=0.
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <gocxx/runtime.hpp>

#include "park/park.hpp"
#include "sched/scheduler.hpp"
#include "sched/netpoll.hpp"

namespace gocxx::detail {

std::int64_t coarse_now_ns() noexcept {
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

namespace {

std::atomic<bool> g_sigquit{false};

std::string waited(std::int64_t since_ns, std::int64_t now_ns) {
    const std::int64_t ms = since_ns > 0 && now_ns > since_ns ? (now_ns - since_ns) / 1000000 : 0;
    if (ms >= 60000) return std::to_string(ms / 60000) + " minutes";  // Go's form
    return std::to_string(ms) + " ms";
}

struct GInfo {
    std::uint64_t id;
    G::Status status;
    WaitReason why;
    std::int64_t since;
    const std::type_info* fn;
};

void collect_g(G* g, void* arg) {
    const G::Status s = g->status.load(std::memory_order_relaxed);
    if (s == G::Status::Dead) return;
    static_cast<std::vector<GInfo>*>(arg)->push_back(
        GInfo{g->id.load(std::memory_order_relaxed), s,
              static_cast<WaitReason>(g->wait_reason.load(std::memory_order_relaxed)),
              g->wait_since.load(std::memory_order_relaxed), g->fn_type.load(std::memory_order_relaxed)});
}

void collect_thread(const ThreadWaitInfo& t, void* arg) {
    static_cast<std::vector<ThreadWaitInfo>*>(arg)->push_back(t);
}

int process_threads() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
    return -1;
}

std::atomic<int> g_detector{-1};  // -1: not decided yet (read the environment)

}  // namespace

bool deadlock_detection_enabled() noexcept {
    int v = g_detector.load(std::memory_order_relaxed);
    if (v < 0) {
        const char* env = std::getenv("GOCXX_DEADLOCK_DETECTOR");
        v = env && std::strcmp(env, "0") == 0 ? 0 : 1;
        int expected = -1;
        g_detector.compare_exchange_strong(expected, v, std::memory_order_relaxed);
        v = g_detector.load(std::memory_order_relaxed);
    }
    return v == 1;
}

namespace {

void write_stderr(const std::string& s) noexcept {
    const char* p = s.data();
    std::size_t left = s.size();
    while (left > 0) {
        const ssize_t n = ::write(2, p, left);
        if (n <= 0) return;
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

}  // namespace

void Scheduler::dump(std::ostream& os) {
    std::vector<GInfo> gs;
    std::vector<ThreadWaitInfo> ts;
    gpool_.for_each(&collect_g, &gs);
    for_each_waiting_thread(&collect_thread, &ts);
    std::sort(gs.begin(), gs.end(), [](const GInfo& a, const GInfo& b) { return a.id < b.id; });
    const std::int64_t now = coarse_now_ns();
    for (const GInfo& g : gs) {
        os << "goroutine " << g.id << " [";
        switch (g.status) {
            case G::Status::Running: os << "running"; break;
            case G::Status::Runnable: os << "runnable"; break;
            default: os << wait_reason_string(g.why) << ", " << waited(g.since, now); break;
        }
        os << "]:\n" << type_name(g.fn) << "\n\n";
    }
    for (const ThreadWaitInfo& t : ts)
        os << "thread " << t.tid << " [" << wait_reason_string(t.why) << ", " << waited(t.since_ns, now)
           << "]:\n(a plain thread, not a goroutine)\n\n";
}

// The report of SIGQUIT and of a deadlock: Go's exit status 2. Whatever the
// program printed goes out first (the other threads are parked, or the user
// asked for the process to end).
void Scheduler::die_with_dump(const char* header) noexcept {
    try {
        std::ostringstream os;
        os << header << "\n\n";
        dump(os);
        std::fflush(stdout);
        std::cout.flush();
        write_stderr(os.str());
    } catch (...) {
        write_stderr(std::string(header) + "\n(no dump: out of memory)\n");
    }
    ::_exit(2);
}

bool Scheduler::deadlock_snapshot(DeadlockSnapshot& out) noexcept {
    if (halted() || !deadlock_detection_enabled()) return false;
    idle_mu_.lock();
    // A party waiting on the network may still be woken (by a peer).
    Netpoll* np = Netpoll::if_inited();
    const bool quiet = all_parked() && !work_available(true) && !timers_.pending() && !(np && np->waiters() > 0);
    idle_mu_.unlock();
    if (!quiet) return false;
    const std::uint64_t parks = thread_park_count();
    int blocked = 0;
    for_each_waiting_thread([](const ThreadWaitInfo&, void* n) { ++*static_cast<int*>(n); }, &blocked);
    if (blocked == 0) return false;
    int expected = nworkers_.load(std::memory_order_acquire) + 1 + blocked;  // + the monitor
#ifdef GOCXX_TSAN
    expected += 1;  // ThreadSanitizer's background thread
#endif
    int threads = 0;
    try {
        threads = process_threads();
    } catch (...) {
        return false;
    }
    if (threads != expected) return false;
    std::uint64_t ticks = 0;
    const int n = nworkers_.load(std::memory_order_acquire);
    for (int i = 0; i < n; ++i) ticks += workers_[i]->schedtick.load(std::memory_order_seq_cst);
    out = DeadlockSnapshot{parks, ticks, blocked};
    return true;
}

void Scheduler::on_sigquit(int) {
    g_sigquit.store(true, std::memory_order_relaxed);
    if (Scheduler* s = g_self.load(std::memory_order_acquire))
        s->monitor_sema_.post();  // an atomic exchange and a futex call: signal-safe
}

void Scheduler::install_sigquit() noexcept {
    struct sigaction old;
    if (::sigaction(SIGQUIT, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) return;  // the user's
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = &Scheduler::on_sigquit;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGQUIT, &sa, nullptr);
}

bool Scheduler::sigquit_pending() noexcept { return g_sigquit.load(std::memory_order_relaxed); }

}  // namespace gocxx::detail

namespace gocxx::runtime {

void dump_goroutines(std::ostream& os) { detail::Scheduler::get().dump(os); }

void set_deadlock_detection(bool on) { detail::g_detector.store(on ? 1 : 0, std::memory_order_relaxed); }

}  // namespace gocxx::runtime
