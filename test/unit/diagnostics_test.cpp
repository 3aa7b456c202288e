// Diagnostics: runtime::dump_goroutines (states, Go's wait reasons, how long),
// SIGQUIT, the deadlock detector (fires with Go's message and status 2 only
// when nothing can move; quiet while a thread, a timer or a blocking call can
// still make progress; can be turned off), and running out of address space
// (go() throws a clear error, the runtime carries on). The process-ending
// cases run test/programs/diagnose.cpp as a child.
#define BOOST_TEST_MODULE diagnostics
#include <boost/test/unit_test.hpp>

#include <signal.h>

#include <sstream>
#include <thread>

#include <gocxx/gocxx.hpp>

#include "child.hpp"
#include "helpers.hpp"

using namespace gocxx;
using namespace gocxx::test;
using namespace std::chrono_literals;

namespace {

std::string dump() {
    std::ostringstream os;
    runtime::dump_goroutines(os);
    return os.str();
}

// Polls the dump until every needle is in it (bounded: 10 s).
bool dump_shows(const std::vector<std::string>& needles, std::string& last) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
        last = dump();
        bool all = true;
        for (const auto& n : needles) all = all && contains(last, n);
        if (all) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(1ms);  // polling the dump, not synchronising
    }
}

// The dump's line for goroutine `id`, or "".
std::string line_of(const std::string& d, const std::string& head) {
    const auto at = d.find(head);
    if (at == std::string::npos) return "";
    return d.substr(at, d.find('\n', at) - at);
}

constexpr auto kChildTimeout = 30s;

ChildResult diagnose(const std::string& mode, std::vector<std::string> env = {},
                     int sig = 0, std::chrono::milliseconds after = {}) {
    const std::string path = program("DIAGNOSE");
    BOOST_TEST_REQUIRE(!path.empty(), "GOCXX_PROG_DIAGNOSE is not set");
    env.insert(env.end(), kNoLeakCheck.begin(), kNoLeakCheck.end());
    ChildResult r = run_child(path, {mode}, env, kChildTimeout, sig, after);
    BOOST_TEST_REQUIRE(r.started);
    return r;
}

const std::string kDeadlock = "fatal error: all goroutines are asleep - deadlock!";

}  // namespace

BOOST_AUTO_TEST_CASE(dump_shows_each_goroutine_with_its_wait_reason) {
    const int base = runtime::num_goroutine();
    Channel<int> rx, tx, sa, sb;
    sync::Mutex m;
    sync::RWMutex rw;
    sync::WaitGroup never;
    never.add(1);
    sync::Mutex cm;
    sync::Cond cond(cm);
    bool cond_go = false;
    Channel<Unit> slept;
    m.lock();
    rw.lock();
    sync::WaitGroup wg;  // the seven that are released below
    wg.add(7);
    go([&] { rx.recv(); wg.done(); });
    go([&] { tx.send(1); wg.done(); });
    go([&] { select(case_recv(sa, [](int) {}), case_recv(sb, [](int) {})); wg.done(); });
    go([&] { m.lock(); m.unlock(); wg.done(); });
    go([&] { rw.lock_shared(); rw.unlock_shared(); wg.done(); });
    go([&] { never.wait(); wg.done(); });
    go([&] {
        std::unique_lock lk(cm);
        while (!cond_go) cond.wait();
        lk.unlock();
        wg.done();
    });
    go([] { time::sleep(30s); });  // left to finish on its own after the test
    // A plain thread waiting in gocxx is listed too.
    Channel<int> trx;
    std::thread t([trx] { trx.recv(); });

    std::string d;
    const bool all = dump_shows({"[chan receive, ", "[chan send, ", "[select, ", "[sync.Mutex.Lock, ",
                                 "[sync.RWMutex.RLock, ", "[sync.WaitGroup.Wait, ", "[sync.Cond.Wait, ",
                                 "[sleep, ", "thread "},
                                d);
    BOOST_TEST(all, "dump:\n" << d);
    // Each goroutine has a header "goroutine N [state]:" then its function.
    BOOST_TEST(contains(d, "goroutine "));
    BOOST_TEST(contains(d, " ms]:\n"));
    BOOST_TEST(contains(d, "lambda"), "the function line names the callable: " << d);
    BOOST_TEST(contains(d, "(a plain thread, not a goroutine)"));
    // The caller is running (it is a goroutine in the goroutine fixture only;
    // here a plain thread): every listed goroutine is one of ours, parked.
    BOOST_TEST(!contains(d, "[runnable]"));

    // Release all but the sleeper (nothing cuts a sleep short).
    rx.send(1);
    tx.recv();
    sa.send(1);
    m.unlock();
    rw.unlock();
    never.done();
    {
        std::lock_guard lk(cm);
        cond_go = true;
    }
    cond.broadcast();
    trx.send(1);
    t.join();
    wg.wait();
    BOOST_TEST(goroutines_drop_to(base + 1));  // only the sleeper is left
    const std::string after = dump();
    BOOST_TEST(!contains(after, "[chan receive"), after);
    BOOST_TEST(contains(after, "[sleep, "), after);
    BOOST_TEST(!contains(after, "thread "), after);
}

BOOST_AUTO_TEST_CASE(dump_reports_how_long_a_goroutine_has_waited) {
    Channel<int> ch;
    Channel<Unit> parked;
    const int base = runtime::num_goroutine();
    go([ch] { ch.recv(); });
    std::string d;
    BOOST_TEST_REQUIRE(dump_shows({"[chan receive, "}, d), d);
    const auto t0 = std::chrono::steady_clock::now();
    // Wait (bounded) until the dump says it has waited at least 200 ms.
    bool long_enough = false;
    std::string line;
    while (std::chrono::steady_clock::now() - t0 < 10s) {
        line = line_of(dump(), "[chan receive, ");
        const long ms = std::atol(line.c_str() + std::string("[chan receive, ").size());
        if (ms >= 200) {
            long_enough = true;
            break;
        }
        std::this_thread::sleep_for(5ms);
    }
    BOOST_TEST(long_enough, line);
    // Never more than the time that has passed (plus the coarse clock's tick).
    const long ms = std::atol(line.c_str() + std::string("[chan receive, ").size());
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    BOOST_TEST(ms >= 200);
    BOOST_TEST(ms <= waited.count() + 1000);
    ch.send(1);
    BOOST_TEST(goroutines_drop_to(base));
}

BOOST_AUTO_TEST_CASE(deadlock_on_a_plain_thread_is_reported_with_status_2) {
    ChildResult r = diagnose("deadlock_thread");
    BOOST_TEST(!r.timed_out);
    BOOST_TEST(r.exited);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.out == "before\n");
    BOOST_TEST(contains(r.err, kDeadlock), r.err);
    BOOST_TEST(contains(r.err, "[chan receive, "), r.err);
    BOOST_TEST(contains(r.err, "(a plain thread, not a goroutine)"), r.err);
}

BOOST_AUTO_TEST_CASE(deadlock_in_run_lists_every_goroutine) {
    ChildResult r = diagnose("deadlock_run");
    BOOST_TEST(!r.timed_out);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.out == "before\n");
    BOOST_TEST(r.err.rfind(kDeadlock + "\n\n", 0) == 0, r.err);  // first, as Go prints it
    BOOST_TEST(contains(r.err, "goroutine 1 [sync.WaitGroup.Wait, "), r.err);
    BOOST_TEST(contains(r.err, "goroutine 2 [chan receive, "), r.err);
    BOOST_TEST(!contains(r.out, "unreachable"));
}

BOOST_AUTO_TEST_CASE(deadlock_reasons_nil_channel_mutex_select) {
    const std::pair<const char*, const char*> cases[] = {
        {"deadlock_nil", "goroutine 1 [chan receive (nil chan), "},
        {"deadlock_mutex", "goroutine 1 [sync.Mutex.Lock, "},
        {"deadlock_select", "goroutine 1 [select, "},
    };
    for (const auto& [mode, want] : cases) {
        ChildResult r = diagnose(mode);
        BOOST_TEST(!r.timed_out, mode);
        BOOST_TEST(r.exit_code == 2, mode);
        BOOST_TEST(contains(r.err, kDeadlock), mode << ": " << r.err);
        BOOST_TEST(contains(r.err, want), mode << ": " << r.err);
    }
}

BOOST_AUTO_TEST_CASE(deadlock_report_comes_after_buffered_output) {
    ChildResult r = diagnose("buffered_stdout");
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.out == "buffered line\n");
    BOOST_TEST(contains(r.err, kDeadlock), r.err);
}

// Each of these waits 600 ms on something gocxx cannot see through (a thread
// of the program, a timer, a blocking call): ample time for the detector,
// which decides within about 200 ms, to fire if it wrongly would.
BOOST_AUTO_TEST_CASE(no_deadlock_while_progress_is_possible) {
    for (const char* mode : {"no_deadlock_thread", "no_deadlock_timer", "no_deadlock_blocking_call"}) {
        ChildResult r = diagnose(mode);
        BOOST_TEST(!r.timed_out, mode);
        BOOST_TEST(r.exit_code == 0, mode << ": " << r.err);
        BOOST_TEST(r.out == "42\n", mode);
        BOOST_TEST(!contains(r.err, kDeadlock), mode << ": " << r.err);
    }
}

// Turned off, a deadlocked program hangs as a C++ program would; SIGQUIT
// (sent after 1.5 s) then shows where everyone waits, and ends it with 2.
BOOST_AUTO_TEST_CASE(detector_can_be_turned_off_and_sigquit_dumps) {
    const std::pair<const char*, std::vector<std::string>> cases[] = {
        {"detector_off", {}},
        {"detector_off_env", {"GOCXX_DEADLOCK_DETECTOR=0"}},
    };
    for (const auto& [mode, env] : cases) {
#ifdef __SANITIZE_THREAD__
        // ThreadSanitizer runs a signal's handler only when the receiving
        // thread enters a call it intercepts; a thread parked in a raw futex
        // never does, so SIGQUIT would wait for ever. Check only that the
        // detector stays quiet (the child is killed after 1.5 s).
        ChildResult killed = diagnose(mode, env, SIGKILL, 1500ms);
        BOOST_TEST(killed.signal == SIGKILL, mode);
        BOOST_TEST(!contains(killed.err, kDeadlock), mode << ": " << killed.err);
        continue;
#endif
        ChildResult r = diagnose(mode, env, SIGQUIT, 1500ms);
        BOOST_TEST(!r.timed_out, mode);
        BOOST_TEST(r.exit_code == 2, mode);
        BOOST_TEST(r.elapsed >= 1500ms, mode);
        BOOST_TEST(!contains(r.err, kDeadlock), mode << ": " << r.err);
        BOOST_TEST(r.err.rfind("SIGQUIT: quit\n\n", 0) == 0, mode << ": " << r.err);
        BOOST_TEST(contains(r.err, "goroutine 1 [sync.WaitGroup.Wait, "), mode << ": " << r.err);
        BOOST_TEST(contains(r.err, "goroutine 2 [chan receive, "), mode << ": " << r.err);
    }
}

BOOST_AUTO_TEST_CASE(sigquit_prints_the_dump_and_exits_2) {
    ChildResult r = diagnose("sigquit");
    BOOST_TEST(!r.timed_out);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.out == "raising\n");
    BOOST_TEST(r.err.rfind("SIGQUIT: quit\n\n", 0) == 0, r.err);
    BOOST_TEST(contains(r.err, "[chan receive, "), r.err);
    BOOST_TEST(contains(r.err, "[sync.Mutex.Lock, "), r.err);
}

// Go's debug.SetMaxThreads: needing a thread past the limit is a fatal error
// with Go's text, a dump and exit status 2, never a hang.
BOOST_AUTO_TEST_CASE(thread_limit_is_a_fatal_error) {
    ChildResult r = diagnose("thread_limit");
    BOOST_TEST(!r.timed_out);
    BOOST_TEST(r.exit_code == 2, r.err);
    BOOST_TEST(contains(r.err, "runtime: program exceeds 20-thread limit\nfatal error: thread exhaustion\n"), r.err);
    BOOST_TEST(contains(r.err, "goroutine "), r.err);
    BOOST_TEST(!contains(r.out, "not ended"), r.out);

    r = diagnose("thread_limit_below");
    BOOST_TEST(r.exit_code == 2, r.err);
    BOOST_TEST(contains(r.out, "previous limit 10000"), r.out);
    BOOST_TEST(contains(r.err, "runtime: program exceeds 2-thread limit\nfatal error: thread exhaustion\n"), r.err);
    BOOST_TEST(!contains(r.out, "not ended"), r.out);
}

// GOCXX_STACK_SIZE takes k, m and g in either case; anything else is a clear
// error naming the variable (it used to be ignored, and "1G" read as 1 byte).
// GOMAXPROCS the same.
BOOST_AUTO_TEST_CASE(stack_size_and_gomaxprocs_from_the_environment) {
    for (auto [value, want] : {std::pair<const char*, const char*>{"64k", "stack 65536 "}, {"1M", "stack 1048576 "},
                               {"1G", "stack 1073741824 "}, {"2g", "stack 2147483648 "}, {"20000", "stack 20480 "}}) {
        ChildResult r = diagnose("stack_size", {std::string("GOCXX_STACK_SIZE=") + value});
        BOOST_TEST(r.exit_code == 0, value << ": " << r.err);
        BOOST_TEST(contains(r.out, want), value << ": " << r.out);
    }
    for (auto [value, why] : {std::pair<const char*, const char*>{"1T", "not a size"}, {"abc", "not a size"},
                              {"1", "below the minimum of 16k"}, {"64kb", "not a size"}, {"", "not a size"},
                              {"99999999999999999999", "too large"}, {"100000000000g", "too large"}}) {
        ChildResult r = diagnose("stack_size", {std::string("GOCXX_STACK_SIZE=") + value});
        BOOST_TEST(r.exit_code == 2, value << ": " << r.out);
        BOOST_TEST(contains(r.err, std::string("gocxx: GOCXX_STACK_SIZE=") + value + ": " + why), value << ": " << r.err);
    }
    ChildResult ok = diagnose("stack_size", {"GOMAXPROCS=3"});
    BOOST_TEST(contains(ok.out, " procs 3"), ok.out);
    for (const char* value : {"abc", "0", "-2", "4x"}) {
        ChildResult r = diagnose("stack_size", {std::string("GOMAXPROCS=") + value});
        BOOST_TEST(r.exit_code == 2, value);
        BOOST_TEST(contains(r.err, std::string("gocxx: GOMAXPROCS=") + value + ": not a positive integer"), r.err);
    }
}

// Address-space limits and the sanitizers' shadow memory do not mix: the
// sanitizer runtimes abort when their own mappings fail. Release builds only.
BOOST_AUTO_TEST_CASE(running_out_of_stacks_throws_and_the_runtime_carries_on) {
#ifdef GOCXX_SANITIZED
    BOOST_TEST_MESSAGE("skipped under sanitizers (RLIMIT_AS breaks their shadow memory)");
#else
    ChildResult r = diagnose("exhaust");
    BOOST_TEST(!r.timed_out);
    BOOST_TEST(r.exit_code == 0, r.err);
    // The stack's mmap or the goroutine's record, whichever runs out first.
    BOOST_TEST(contains(r.out, "error: gocxx: cannot allocate a goroutine"), r.out);
    BOOST_TEST(contains(r.out, "started some: 1"), r.out);
    BOOST_TEST(contains(r.out, "released: 0"), r.out);
    BOOST_TEST(contains(r.out, "sum: 136"), r.out);
#endif
}
