// gocxx side of bench/compare.py: the workloads of bench/go/main.go, same
// names, counts and output line (WORKLOAD VALUE UNIT). The main role of each
// workload runs as the main goroutine (gocxx::run), as Go's main does; the
// clock starts inside it. GOMAXPROCS from the environment, as Go reads it.
//
//   ./gocxx_workloads spsc_0
#include <gocxx/gocxx.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <thread>

#include "workloads.hpp"

using namespace gocxx;
using cmp::Clock;
using cmp::kThreads;
using cmp::Msg;

namespace {

// Runs f as the main goroutine and returns what it returns.
template <class F>
double in_goroutine(F f) {
    double v = 0;
    gocxx::run([&] { v = f(); });
    return v;
}

double seq(long cap) {
    return in_goroutine([cap] {
        const long n = cmp::kSeqMsgs;
        auto t0 = Clock::now();
        Channel<Msg> c(cap);
        Msg sum = 0;
        for (long i = 0; i < n; i += cap) {
            long b = std::min(cap, n - i);
            for (long j = 0; j < b; j++) c.send(Msg(i + j));
            for (long j = 0; j < b; j++) sum += c.recv();
        }
        cmp::check(sum == cmp::sum_to(n), "seq sum");
        return cmp::per_item_ns(t0, n);
    });
}

double spsc(long cap) {
    return in_goroutine([cap] {
        const long n = cmp::msgs_for(cap);
        auto t0 = Clock::now();
        Channel<Msg> c(cap);
        Channel<bool> done;
        go([c, done, n] {
            for (long i = 0; i < n; i++) c.send(Msg(i));
            done.send(true);
        });
        Msg sum = 0;
        for (long i = 0; i < n; i++) sum += c.recv();
        done.recv();
        cmp::check(sum == cmp::sum_to(n), "spsc sum");
        return cmp::per_item_ns(t0, n);
    });
}

double mpsc(long cap) {
    return in_goroutine([cap] {
        const long n = cmp::msgs_for(cap);
        auto t0 = Clock::now();
        Channel<Msg> c(cap);
        Channel<bool> done;
        for (int t = 0; t < kThreads; t++) {
            go([c, done, n] {
                for (long i = 0; i < n / kThreads; i++) c.send(Msg(i));
                done.send(true);
            });
        }
        Msg sum = 0;
        for (long i = 0; i < n; i++) sum += c.recv();
        for (int t = 0; t < kThreads; t++) done.recv();
        cmp::check(sum == kThreads * cmp::sum_to(n / kThreads), "mpsc sum");
        return cmp::per_item_ns(t0, n);
    });
}

double mpmc(long cap) {
    return in_goroutine([cap] {
        const long n = cmp::msgs_for(cap);
        auto t0 = Clock::now();
        Channel<Msg> c(cap);
        Channel<Msg> done;
        for (int t = 0; t < kThreads; t++) {
            go([c, done, n] {
                for (long i = 0; i < n / kThreads; i++) c.send(Msg(i));
                done.send(0);
            });
        }
        for (int t = 0; t < kThreads; t++) {
            go([c, done, n] {
                Msg sum = 0;
                for (long i = 0; i < n / kThreads; i++) sum += c.recv();
                done.send(sum);
            });
        }
        Msg sum = 0;
        for (int t = 0; t < 2 * kThreads; t++) sum += done.recv();
        cmp::check(sum == kThreads * cmp::sum_to(n / kThreads), "mpmc sum");
        return cmp::per_item_ns(t0, n);
    });
}

double select_rx(long cap) {
    return in_goroutine([cap] {
        const long n = cmp::kSelectMsgs;
        auto t0 = Clock::now();
        Channel<Msg> c0(cap), c1(cap), c2(cap), c3(cap);
        Channel<bool> done;
        for (const Channel<Msg>& c : {c0, c1, c2, c3}) {
            go([c, done, n] {
                for (long i = 0; i < n / kThreads; i++) c.send(Msg(i));
                done.send(true);
            });
        }
        Msg sum = 0;
        auto add = [&](Msg v) { sum += v; };
        for (long i = 0; i < n; i++) {
            select(case_recv(c0, add), case_recv(c1, add), case_recv(c2, add), case_recv(c3, add));
        }
        for (int t = 0; t < kThreads; t++) done.recv();
        cmp::check(sum == kThreads * cmp::sum_to(n / kThreads), "select_rx sum");
        return cmp::per_item_ns(t0, n);
    });
}

double select_both(long cap) {
    return in_goroutine([cap] {
        const long n = cmp::kSelectMsgs;
        auto t0 = Clock::now();
        Channel<Msg> c0(cap), c1(cap), c2(cap), c3(cap);
        Channel<Msg> done;
        for (int t = 0; t < kThreads; t++) {
            go([c0, c1, c2, c3, done, n] {
                for (long i = 0; i < n / kThreads; i++) {
                    Msg m(i);
                    select(case_send(c0, m), case_send(c1, m), case_send(c2, m), case_send(c3, m));
                }
                done.send(0);
            });
        }
        for (int t = 0; t < kThreads; t++) {
            go([c0, c1, c2, c3, done, n] {
                Msg sum = 0;
                auto add = [&](Msg v) { sum += v; };
                for (long i = 0; i < n / kThreads; i++) {
                    select(case_recv(c0, add), case_recv(c1, add), case_recv(c2, add), case_recv(c3, add));
                }
                done.send(sum);
            });
        }
        Msg sum = 0;
        for (int t = 0; t < 2 * kThreads; t++) sum += done.recv();
        cmp::check(sum == kThreads * cmp::sum_to(n / kThreads), "select_both sum");
        return cmp::per_item_ns(t0, n);
    });
}

double ping_pong() {
    return in_goroutine([] {
        const long n = cmp::kPingPongs;
        auto t0 = Clock::now();
        Channel<Msg> ping, pong;
        go([ping, pong, n] {
            for (long i = 0; i < n; i++) pong.send(ping.recv() + 1);
        });
        Msg v = 0;
        for (long i = 0; i < n; i++) {
            ping.send(v);
            v = pong.recv();
        }
        cmp::check(v == Msg(n), "ping_pong value");
        return cmp::per_item_ns(t0, n);
    });
}

double spawn() {
    return in_goroutine([] {
        const long n = cmp::kSpawnN;
        auto t0 = Clock::now();
        sync::WaitGroup wg;
        for (long i = 0; i < n; i++) {
            wg.add(1);
            go([&wg] { wg.done(); });
        }
        wg.wait();
        return cmp::per_item_ns(t0, n);
    });
}

// kParkedN goroutines wait on one channel: the peak RSS they add (bytes per
// goroutine, VmHWM once all are parked minus VmRSS before), and the time to
// release them all (close the channel, wg.wait; ns per goroutine).
struct Parked {
    double rss_per, release_ns_per;
};
Parked parked() {
    Parked r{};
    in_goroutine([&r] {
        const long n = cmp::kParkedN;
        const double rss0 = cmp::status_bytes("VmRSS");
        Channel<Unit> gate;
        sync::WaitGroup ready, wg;
        ready.add(n);
        wg.add(n);
        for (long i = 0; i < n; i++) {
            go([&ready, &wg, gate] {
                ready.done();
                gate.recv();
                wg.done();
            });
        }
        ready.wait();
        const double hwm = cmp::status_bytes("VmHWM");
        auto t0 = Clock::now();
        gate.close();
        wg.wait();
        r.release_ns_per = cmp::per_item_ns(t0, n);
        r.rss_per = (hwm - rss0) / static_cast<double>(n);
        return 0.0;
    });
    return r;
}

// The article's semaphore: kSemTasks tasks of a 1 ms sleep, at most kSemLimit
// in flight through a Channel<Unit> semaphore and a WaitGroup; total ms.
// blocking_sleep: a plain std::this_thread::sleep_for instead of time::sleep.
double semaphore(bool blocking_sleep) {
    return in_goroutine([blocking_sleep] {
        auto t0 = Clock::now();
        Channel<Unit> sem(cmp::kSemLimit);
        sync::WaitGroup wg;
        for (long i = 0; i < cmp::kSemTasks; i++) {
            sem.send({});
            wg.add(1);
            go([&wg, sem, blocking_sleep] {
                if (blocking_sleep) std::this_thread::sleep_for(cmp::kSemSleep);
                else time::sleep(cmp::kSemSleep);
                sem.recv();
                wg.done();
            });
        }
        wg.wait();
        return cmp::elapsed_ms(t0);
    });
}

}  // namespace

int main(int argc, char** argv) {
    if (const char* s = std::getenv("GOMAXPROCS"); s && std::atoi(s) > 0) runtime::gomaxprocs(std::atoi(s));

    std::map<std::string, cmp::Workload> w;
    for (long c : {1L, 1024L}) w["seq_" + std::to_string(c)] = {"ns/msg", [c] { return seq(c); }};
    for (long c : {0L, 1L, 1024L}) {
        w["spsc_" + std::to_string(c)] = {"ns/msg", [c] { return spsc(c); }};
        w["mpsc_" + std::to_string(c)] = {"ns/msg", [c] { return mpsc(c); }};
        w["mpmc_" + std::to_string(c)] = {"ns/msg", [c] { return mpmc(c); }};
    }
    for (long c : {0L, 1024L}) {
        w["select_rx_" + std::to_string(c)] = {"ns/msg", [c] { return select_rx(c); }};
        w["select_both_" + std::to_string(c)] = {"ns/msg", [c] { return select_both(c); }};
    }
    w["ping_pong"] = {"ns/roundtrip", ping_pong};
    w["spawn"] = {"ns/goroutine", spawn};
    w["parked_rss"] = {"bytes/goroutine", [] { return parked().rss_per; }};
    w["parked_release"] = {"ns/goroutine", [] { return parked().release_ns_per; }};
    w["semaphore"] = {"ms", [] { return semaphore(false); }};
    w["semaphore_sleep_for"] = {"ms", [] { return semaphore(true); }};
    return cmp::dispatch(argc, argv, w, "gocxx_workloads");
}
