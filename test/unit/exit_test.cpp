// How a gocxx process ends: main returning with goroutines parked or busy
// exits cleanly; an exception escaping a goroutine aborts with Go's "panic:"
// report. Each case runs a helper program from test/programs as a child.
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

BOOST_AUTO_TEST_CASE(exception_in_goroutine_aborts_with_panic_report) {
    const std::string path = program("PANIC_EXCEPTION");
    BOOST_TEST_REQUIRE(!path.empty(), "GOCXX_PROG_PANIC_EXCEPTION is not set");
    ChildResult r = run_child(path, {}, kNoLeakCheck, kTimeout);
    BOOST_TEST_REQUIRE(r.started);
    BOOST_TEST(!r.timed_out);
    BOOST_TEST(!r.exited);
    BOOST_TEST(r.signal == SIGABRT);
    BOOST_TEST(contains(r.err, "panic:"), "stderr: " << r.err);
    BOOST_TEST(contains(r.err, "boom"), "stderr: " << r.err);
    BOOST_TEST(contains(r.err, "runtime_error"), "stderr: " << r.err);
    BOOST_TEST(!contains(r.out, "unreachable"));
}

BOOST_AUTO_TEST_CASE(send_on_closed_channel_in_goroutine_aborts_with_go_message) {
    const std::string path = program("PANIC_CLOSED_SEND");
    BOOST_TEST_REQUIRE(!path.empty(), "GOCXX_PROG_PANIC_CLOSED_SEND is not set");
    ChildResult r = run_child(path, {}, kNoLeakCheck, kTimeout);
    BOOST_TEST_REQUIRE(r.started);
    BOOST_TEST(!r.timed_out);
    BOOST_TEST(!r.exited);
    BOOST_TEST(r.signal == SIGABRT);
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
