// How a gocxx process ends: main returning with goroutines parked or busy
// exits cleanly; an exception escaping a goroutine, or run()'s function with
// nobody catching it, ends it with Go's "panic:" report and status 2; Go's
// fatal errors (unlock of an unlocked mutex) likewise. Each case runs a helper program from test/programs as a child.
#define BOOST_TEST_MODULE exit
#include <boost/test/unit_test.hpp>

#include <signal.h>

#include "child.hpp"

namespace {

using namespace gocxx::test;
using namespace std::chrono_literals;

constexpr auto kTimeout = 30s;

}  // namespace

BOOST_AUTO_TEST_CASE(main_returns_with_goroutines_parked_and_busy) {
    const std::string path = program("EXIT_CLEAN");
    BOOST_TEST_REQUIRE(!path.empty(), "GOCXX_PROG_EXIT_CLEAN is not set");
    for (int i = 0; i < 5; ++i) {
        ChildResult r = run_child(path, {}, kNoLeakCheck, kTimeout);
        BOOST_TEST_REQUIRE(r.started);
        BOOST_TEST(!r.timed_out);
        BOOST_TEST(r.exited);
        BOOST_TEST(r.exit_code == 0);
        BOOST_TEST(r.signal == 0);
        BOOST_TEST(r.out == "started 104\nmain done\n");
        BOOST_TEST(r.err == "");
        BOOST_TEST(r.elapsed.count() < 10000);  // promptly; no goroutine holds exit up
    }
}

BOOST_AUTO_TEST_CASE(plain_main_returns_with_goroutines_parked_and_busy) {
    const std::string path = program("EXIT_CLEAN");
    BOOST_TEST_REQUIRE(!path.empty(), "GOCXX_PROG_EXIT_CLEAN is not set");
    for (int i = 0; i < 5; ++i) {
        ChildResult r = run_child(path, {"plain"}, kNoLeakCheck, kTimeout);
        BOOST_TEST_REQUIRE(r.started);
        BOOST_TEST(!r.timed_out);
        BOOST_TEST(r.exited);
        BOOST_TEST(r.exit_code == 0);
        BOOST_TEST(r.out == "started 104\nmain done\n");
        BOOST_TEST(r.err == "");
        BOOST_TEST(r.elapsed.count() < 10000);
    }
}

BOOST_AUTO_TEST_CASE(exception_in_goroutine_exits_2_with_panic_report) {
    const std::string path = program("PANIC_EXCEPTION");
    BOOST_TEST_REQUIRE(!path.empty(), "GOCXX_PROG_PANIC_EXCEPTION is not set");
    ChildResult r = run_child(path, {}, kNoLeakCheck, kTimeout);
    BOOST_TEST_REQUIRE(r.started);
    BOOST_TEST(!r.timed_out);
    BOOST_TEST(r.exited);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(contains(r.err, "panic:"), "stderr: " << r.err);
    BOOST_TEST(contains(r.err, "boom"), "stderr: " << r.err);
    BOOST_TEST(contains(r.err, "runtime_error"), "stderr: " << r.err);
    BOOST_TEST(!contains(r.out, "unreachable"));
}

BOOST_AUTO_TEST_CASE(send_on_closed_channel_in_goroutine_exits_2_with_go_message) {
    const std::string path = program("PANIC_CLOSED_SEND");
    BOOST_TEST_REQUIRE(!path.empty(), "GOCXX_PROG_PANIC_CLOSED_SEND is not set");
    ChildResult r = run_child(path, {}, kNoLeakCheck, kTimeout);
    BOOST_TEST_REQUIRE(r.started);
    BOOST_TEST(!r.timed_out);
    BOOST_TEST(r.exited);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(contains(r.err, "panic: send on closed channel"), "stderr: " << r.err);
    BOOST_TEST(!contains(r.out, "unreachable"));
}

// Running off the end of a goroutine's stack hits its guard region: Go's
// message, the stack size and how to raise it, then exit status 2 as Go's
// fatal errors (not a bare segfault). More cases: overflow_test.cpp.
BOOST_AUTO_TEST_CASE(stack_overflow_reports_go_message) {
    const std::string path = program("STACK_OVERFLOW");
    BOOST_TEST_REQUIRE(!path.empty(), "GOCXX_PROG_STACK_OVERFLOW is not set");
    std::vector<std::string> env = kNoLeakCheck;
    env.push_back("GOCXX_STACK_SIZE=64k");
    ChildResult r = run_child(path, {}, env, kTimeout);
    BOOST_TEST_REQUIRE(r.started);
    BOOST_TEST(!r.timed_out);
    BOOST_TEST(r.exited, "killed by signal " << r.signal);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(contains(r.err, "fatal error: goroutine stack overflow"), "stderr: " << r.err);
    BOOST_TEST(contains(r.err, "65536-byte limit"), "stderr: " << r.err);
    BOOST_TEST(contains(r.err, "GOCXX_STACK_SIZE"), "stderr: " << r.err);
    BOOST_TEST(!contains(r.out, "unreachable"));
}

namespace {

ChildResult fatal_case(const std::string& c) {
    const std::string path = program("FATAL_CASES");
    BOOST_TEST_REQUIRE(!path.empty(), "GOCXX_PROG_FATAL_CASES is not set");
    ChildResult r = run_child(path, {c}, kNoLeakCheck, kTimeout);
    BOOST_TEST_REQUIRE(r.started);
    BOOST_TEST_REQUIRE(!r.timed_out);
    return r;
}

// Go's exit: status 2, the program's stdout (buffered: a pipe) not lost.
void check_go_exit(const ChildResult& r, const std::string& stderr_start) {
    BOOST_TEST(r.exited, "killed by signal " << r.signal << "; stderr: " << r.err);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.out == "before\n");
    BOOST_TEST(r.err.rfind(stderr_start, 0) == 0, "stderr: " << r.err);
}

}  // namespace

// sync's misuse is Go's fatal error (throw), not a panic: no catch block sees
// it, the report names it and lists the goroutines, the status is 2.
BOOST_AUTO_TEST_CASE(unlock_of_unlocked_mutex_is_a_fatal_error) {
    const std::pair<const char*, const char*> cases[] = {
        {"mutex_unlock", "fatal error: sync: unlock of unlocked mutex\n\ngoroutine "},
        {"mutex_unlock_twice", "fatal error: sync: unlock of unlocked mutex\n\ngoroutine "},
        {"mutex_unlock_caught", "fatal error: sync: unlock of unlocked mutex\n\ngoroutine "},
        {"mutex_unlock_in_goroutine", "fatal error: sync: unlock of unlocked mutex\n\ngoroutine "},
        {"rwmutex_unlock", "fatal error: sync: Unlock of unlocked RWMutex\n\ngoroutine "},
        {"rwmutex_unlock_rlocked", "fatal error: sync: Unlock of unlocked RWMutex\n\ngoroutine "},
        {"rwmutex_runlock", "fatal error: sync: RUnlock of unlocked RWMutex\n\ngoroutine "},
        {"rwmutex_runlock_locked", "fatal error: sync: RUnlock of unlocked RWMutex\n\ngoroutine "},
        {"plain_mutex_unlock", "fatal error: sync: unlock of unlocked mutex\n"},
    };
    for (const auto& [c, want] : cases) {
        BOOST_TEST_CONTEXT(c) {
            ChildResult r = fatal_case(c);
            check_go_exit(r, want);
            BOOST_TEST(!contains(r.out, "caught"));
        }
    }
}

// An exception escaping run()'s function that nobody catches: Go's panic in
// main (stdout flushed, "panic: ...", goroutine 1, status 2), not
// std::terminate's abort.
BOOST_AUTO_TEST_CASE(uncaught_exception_from_run_is_go_panic_in_main) {
    const std::pair<const char*, const char*> cases[] = {
        {"main_panic", "panic: boom\n\ngoroutine 1 [running]:\n"},
        {"main_panic_after_goroutines", "panic: boom\n\ngoroutine 1 [running]:\n"},
        {"main_runtime_error", "panic: std::runtime_error: bad input\n\ngoroutine 1 [running]:\n"},
        {"main_error", "panic: disk full\n\ngoroutine 1 [running]:\n"},
        {"main_int", "panic: exception of type int\n\ngoroutine 1 [running]:\n"},
        {"goroutine_panic", "panic: boom in goroutine\n\ngoroutine "},
    };
    for (const auto& [c, want] : cases) {
        BOOST_TEST_CONTEXT(c) {
            check_go_exit(fatal_case(c), want);
        }
    }
}

// The documented way to get the exception instead: catch it around run().
BOOST_AUTO_TEST_CASE(exception_from_run_reaches_a_caller_that_catches_it) {
    ChildResult r = fatal_case("main_panic_caught");
    BOOST_TEST(r.exited);
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.out == "before\ncaught boom\n");
    BOOST_TEST(r.err == "");
}

// Only run()'s exception is reported as a Go panic: any other uncaught
// exception still goes to std::terminate (abort, status 134).
BOOST_AUTO_TEST_CASE(other_uncaught_exceptions_still_terminate) {
    ChildResult r = fatal_case("other_terminate_after_caught");
    BOOST_TEST(!r.exited);
    BOOST_TEST(r.signal == SIGABRT);
    BOOST_TEST(r.out == "before\ncaught\n");
    BOOST_TEST(!contains(r.err, "panic:"), "stderr: " << r.err);
    BOOST_TEST(contains(r.err, "not from run"), "stderr: " << r.err);
}
