// Boost.Fiber side of bench/compare.py: the workloads of bench/go/main.go,
// same names, counts and output line (WORKLOAD VALUE UNIT), with fibers on
// the work_stealing scheduler over GOMAXPROCS threads (default 2).
//
// Peers of Go's features:
//   make(chan T)          boost::fibers::unbuffered_channel<T> (push waits for the pop)
//   make(chan T, n)       boost::fibers::buffered_channel<T>(cap): cap must be a
//                         power of 2 >= 2 and it holds cap - 1 values, so Go's
//                         cap 1 is buffered_channel(2) (1 slot, exact) and
//                         cap 1024 is buffered_channel(1024) (1023 slots; seq
//                         moves batches of 1023)
//   go f()                boost::fibers::fiber(f).detach()
//   sync.WaitGroup        WaitGroup below (atomic counter + fiber mutex/condvar)
//   time.Sleep            boost::this_fiber::sleep_for
//   select                none in Boost.Fiber: select_* print `WORKLOAD n/a`
// spawn prints `spawn n/a` unless FIBER_SPAWN=1: the main fiber starts all
// 1,000,000 fibers before any runs (launch::post), each touching one or two
// fresh pages of its own 128 KiB stack (the context record sits at its top),
// so it needs about 9 GB of RSS and took over 60 s here (page faults).
// Stacks: Boost.Fiber's default (fixedsize_stack, 128 KiB).
// The main role runs on the main thread's main fiber; every thread (main and
// GOMAXPROCS - 1 helpers) installs work_stealing(GOMAXPROCS) as Boost.Fiber
// requires (its constructor waits until all have). Idle threads sleep on a
// condition variable (work_stealing's `suspend` = true): with Boost's default
// (spinning; FIBER_SUSPEND=0 in the environment) the spinning helper starves
// the others on a shared 2-CPU machine (spsc_0 over 20 s, ping_pong 40x
// slower). With GOMAXPROCS=1 the main thread keeps Boost's default
// round_robin scheduler: work_stealing(1) spins forever in pick_next() looking
// for a victim other than itself once its queue is empty (Boost 1.74; the
// semaphore workload hangs).
//
//   ./fiber_workloads spsc_0
#include <boost/fiber/all.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "workloads.hpp"

namespace bf = boost::fibers;
using cmp::Clock;
using cmp::kThreads;
using cmp::Msg;

namespace {

// Go's sync.WaitGroup for fibers.
class WaitGroup {
public:
    void add(long d) {
        if (n_.fetch_add(d) + d == 0) {
            std::lock_guard<bf::mutex> lk(m_);
            cv_.notify_all();
        }
    }
    void done() { add(-1); }
    void wait() {
        std::unique_lock<bf::mutex> lk(m_);
        cv_.wait(lk, [this] { return n_.load() == 0; });
    }

private:
    std::atomic<long> n_{0};
    bf::mutex m_;
    bf::condition_variable cv_;
};

template <class F>
void go(F&& f) {
    bf::fiber(std::forward<F>(f)).detach();
}

// Calls body(channel) with the peer of Go's make(chan Msg, cap); the second
// argument is the number of values the channel holds.
template <class Body>
double with_chan(long cap, Body body) {
    if (cap == 0) {
        bf::unbuffered_channel<Msg> c;
        return body(c, 0L);
    }
    const long pow2 = cap == 1 ? 2 : cap;  // 1 -> 2 (1 slot), 1024 -> 1024 (1023 slots)
    bf::buffered_channel<Msg> c(static_cast<std::size_t>(pow2));
    return body(c, pow2 - 1);
}

template <class C>
Msg pop(C& c) {
    Msg v{};
    if (c.pop(v) != bf::channel_op_status::success) cmp::fail("pop on closed channel");
    return v;
}

double seq(long cap) {
    return with_chan(cap, [](auto& c, long slots) {
        const long n = cmp::kSeqMsgs;
        auto t0 = Clock::now();
        Msg sum = 0;
        for (long i = 0; i < n; i += slots) {
            long b = std::min(slots, n - i);
            for (long j = 0; j < b; j++) c.push(Msg(i + j));
            for (long j = 0; j < b; j++) sum += pop(c);
        }
        cmp::check(sum == cmp::sum_to(n), "seq sum");
        return cmp::per_item_ns(t0, n);
    });
}

double spsc(long cap) {
    return with_chan(cap, [cap](auto& c, long) {
        const long n = cmp::msgs_for(cap);
        auto t0 = Clock::now();
        bf::unbuffered_channel<Msg> done;
        go([&c, &done, n] {
            for (long i = 0; i < n; i++) c.push(Msg(i));
            done.push(0);
        });
        Msg sum = 0;
        for (long i = 0; i < n; i++) sum += pop(c);
        pop(done);
        cmp::check(sum == cmp::sum_to(n), "spsc sum");
        return cmp::per_item_ns(t0, n);
    });
}

double mpsc(long cap) {
    return with_chan(cap, [cap](auto& c, long) {
        const long n = cmp::msgs_for(cap);
        auto t0 = Clock::now();
        bf::unbuffered_channel<Msg> done;
        for (int t = 0; t < kThreads; t++) {
            go([&c, &done, n] {
                for (long i = 0; i < n / kThreads; i++) c.push(Msg(i));
                done.push(0);
            });
        }
        Msg sum = 0;
        for (long i = 0; i < n; i++) sum += pop(c);
        for (int t = 0; t < kThreads; t++) pop(done);
        cmp::check(sum == kThreads * cmp::sum_to(n / kThreads), "mpsc sum");
        return cmp::per_item_ns(t0, n);
    });
}

double mpmc(long cap) {
    return with_chan(cap, [cap](auto& c, long) {
        const long n = cmp::msgs_for(cap);
        auto t0 = Clock::now();
        bf::unbuffered_channel<Msg> done;
        for (int t = 0; t < kThreads; t++) {
            go([&c, &done, n] {
                for (long i = 0; i < n / kThreads; i++) c.push(Msg(i));
                done.push(0);
            });
        }
        for (int t = 0; t < kThreads; t++) {
            go([&c, &done, n] {
                Msg sum = 0;
                for (long i = 0; i < n / kThreads; i++) sum += pop(c);
                done.push(sum);
            });
        }
        Msg sum = 0;
        for (int t = 0; t < 2 * kThreads; t++) sum += pop(done);
        cmp::check(sum == kThreads * cmp::sum_to(n / kThreads), "mpmc sum");
        return cmp::per_item_ns(t0, n);
    });
}

double ping_pong() {
    const long n = cmp::kPingPongs;
    auto t0 = Clock::now();
    bf::unbuffered_channel<Msg> ping, pong;
    go([&ping, &pong, n] {
        for (long i = 0; i < n; i++) pong.push(pop(ping) + 1);
    });
    Msg v = 0;
    for (long i = 0; i < n; i++) {
        ping.push(v);
        v = pop(pong);
    }
    cmp::check(v == Msg(n), "ping_pong value");
    return cmp::per_item_ns(t0, n);
}

double spawn() {
    const long n = cmp::kSpawnN;
    auto t0 = Clock::now();
    WaitGroup wg;
    for (long i = 0; i < n; i++) {
        wg.add(1);
        go([&wg] { wg.done(); });
    }
    wg.wait();
    return cmp::per_item_ns(t0, n);
}

struct Parked {
    double rss_per, release_ns_per;
};
Parked parked() {
    const long n = cmp::kParkedN;
    const double rss0 = cmp::status_bytes("VmRSS");
    bf::unbuffered_channel<int> gate;
    WaitGroup ready, wg;
    ready.add(n);
    wg.add(n);
    for (long i = 0; i < n; i++) {
        go([&ready, &wg, &gate] {
            ready.done();
            int v;
            if (gate.pop(v) != bf::channel_op_status::closed) cmp::fail("gate");
            wg.done();
        });
    }
    ready.wait();
    const double hwm = cmp::status_bytes("VmHWM");
    auto t0 = Clock::now();
    gate.close();
    wg.wait();
    return {(hwm - rss0) / static_cast<double>(n), cmp::per_item_ns(t0, n)};
}

double semaphore() {
    auto t0 = Clock::now();
    // buffered_channel(128) holds 127 values: 27 placeholders leave room for
    // exactly kSemLimit = 100 in flight.
    bf::buffered_channel<int> sem(128);
    for (int i = 0; i < 127 - cmp::kSemLimit; i++) sem.push(0);
    WaitGroup wg;
    for (long i = 0; i < cmp::kSemTasks; i++) {
        sem.push(0);
        wg.add(1);
        go([&wg, &sem] {
            boost::this_fiber::sleep_for(cmp::kSemSleep);
            int v;
            sem.pop(v);
            wg.done();
        });
    }
    wg.wait();
    return cmp::elapsed_ms(t0);
}

// The work_stealing pool: GOMAXPROCS - 1 helper threads that run fibers until
// the main role is done.
class Pool {
public:
    explicit Pool(int procs) {
        if (procs <= 1) return;  // round_robin, Boost's default
        const char* s = std::getenv("FIBER_SUSPEND");
        const bool suspend = !s || std::atoi(s) != 0;
        for (int i = 1; i < procs; i++) {
            helpers_.emplace_back([this, procs, suspend] {
                bf::use_scheduling_algorithm<bf::algo::work_stealing>(procs, suspend);
                std::unique_lock<std::mutex> lk(m_);
                cv_.wait(lk, [this] { return done_; });
            });
        }
        bf::use_scheduling_algorithm<bf::algo::work_stealing>(procs, suspend);
    }
    ~Pool() {
        {
            std::lock_guard<std::mutex> lk(m_);
            done_ = true;
        }
        cv_.notify_all();
        for (auto& t : helpers_) t.join();
    }

private:
    std::mutex m_;
    bf::condition_variable_any cv_;
    bool done_ = false;
    std::vector<std::thread> helpers_;
};

template <class F>
double in_pool(F f) {
    Pool pool(cmp::env_procs(2));
    return f();
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, cmp::Workload> w;
    for (long c : {1L, 1024L}) w["seq_" + std::to_string(c)] = {"ns/msg", [c] { return in_pool([c] { return seq(c); }); }};
    for (long c : {0L, 1L, 1024L}) {
        w["spsc_" + std::to_string(c)] = {"ns/msg", [c] { return in_pool([c] { return spsc(c); }); }};
        w["mpsc_" + std::to_string(c)] = {"ns/msg", [c] { return in_pool([c] { return mpsc(c); }); }};
        w["mpmc_" + std::to_string(c)] = {"ns/msg", [c] { return in_pool([c] { return mpmc(c); }); }};
    }
    w["ping_pong"] = {"ns/roundtrip", [] { return in_pool(ping_pong); }};
    if (const char* s = std::getenv("FIBER_SPAWN"); s && std::atoi(s) != 0)
        w["spawn"] = {"ns/goroutine", [] { return in_pool(spawn); }};
    w["parked_rss"] = {"bytes/goroutine", [] { return in_pool([] { return parked().rss_per; }); }};
    w["parked_release"] = {"ns/goroutine", [] { return in_pool([] { return parked().release_ns_per; }); }};
    w["semaphore"] = {"ms", [] { return in_pool(semaphore); }};
    // select_*, semaphore_sleep_for (and spawn, see above): not listed, so dispatch prints n/a.
    return cmp::dispatch(argc, argv, w, "fiber_workloads");
}
