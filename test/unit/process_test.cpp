// The edges of a process: static destructors that wait on goroutines after
// main returned, exit with a goroutine blocked in read(2), fork(), a thread
// limit below GOMAXPROCS, and gocxx in a static constructor. Each case runs
// test/programs/process_edges.cpp (or static_ctor.cpp) as a child.
#define BOOST_TEST_MODULE process
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <cstdlib>

#include "child.hpp"

namespace {

using namespace gocxx::test;
using namespace std::chrono_literals;

constexpr auto kTimeout = 30s;

ChildResult edge(const std::string& c, std::vector<std::string> env = kNoLeakCheck) {
    const std::string path = program("PROCESS_EDGES");
    BOOST_TEST_REQUIRE(!path.empty(), "GOCXX_PROG_PROCESS_EDGES is not set");
    ChildResult r = run_child(path, {c}, env, kTimeout);
    BOOST_TEST_REQUIRE(r.started);
    BOOST_TEST_REQUIRE(!r.timed_out, c << " hung; stdout: " << r.out << " stderr: " << r.err);
    return r;
}

}  // namespace

// A global logger's destructor flushes through its goroutine after main has
// returned (when the runtime has halted its workers): the workers run again
// while a plain thread waits in gocxx at exit.
BOOST_AUTO_TEST_CASE(static_destructor_waiting_on_a_goroutine_completes) {
    for (int i = 0; i < 5; ++i) {
        ChildResult r = edge("exit_global_waits");
        BOOST_TEST(r.exited);
        BOOST_TEST(r.exit_code == 0);
        BOOST_TEST(r.out == "main done\nlog: from main\nlog: from the destructor\nflushed\n");
        BOOST_TEST(r.err == "");
    }
}

// One that waits for something that can never come is a deadlock, reported
// as Go reports one (status 2), not a silent hang.
BOOST_AUTO_TEST_CASE(static_destructor_waiting_forever_is_a_reported_deadlock) {
    ChildResult r = edge("exit_global_waits_forever");
    BOOST_TEST(r.exited);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.out == "main done\nlog: from main\n");
    BOOST_TEST(contains(r.err, "fatal error: all goroutines are asleep - deadlock!"), "stderr: " << r.err);
}

// A goroutine blocked in read(2), plainly or inside runtime::blocking, does
// not hold exit up: the runtime used to wait its full 100 ms grace for it to
// reach a scheduling point. The child reports how long its exit took, from
// the end of main's function to an atexit handler that runs after the
// runtime's.
BOOST_AUTO_TEST_CASE(exit_does_not_wait_for_a_goroutine_blocked_in_the_kernel) {
    for (const char* c : {"exit_blocked_read", "exit_blocked_call"}) {
        BOOST_TEST_CONTEXT(c) {
            ChildResult r = edge(c);
            BOOST_TEST(r.exited);
            BOOST_TEST(r.exit_code == 0);
            BOOST_TEST(r.out == "main done\n");
            const auto at = r.err.find("exit took ");
            BOOST_TEST_REQUIRE(at != std::string::npos, "stderr: " << r.err);
            const long ms = std::strtol(r.err.c_str() + at + 10, nullptr, 10);
            BOOST_TEST(ms < 90, "exit took " << ms << " ms (the old grace was 100 ms)");
        }
    }
}

// fork() copies one thread: a child that uses the runtime it inherited stops
// at once with a message (it used to hang); fork + exec, and std::system,
// keep working; the parent is unaffected.
BOOST_AUTO_TEST_CASE(fork_child_using_gocxx_fails_with_a_message) {
    for (const char* c : {"fork_go", "fork_chan"}) {
        BOOST_TEST_CONTEXT(c) {
            ChildResult r = edge(c);
            BOOST_TEST(r.exited);
            BOOST_TEST(r.exit_code == 0);
            BOOST_TEST(r.out == "child exit 2\nparent done\n");
            BOOST_TEST(contains(r.err, "fatal error: gocxx: the runtime was started before fork()"), "stderr: " << r.err);
        }
    }
}

// A child that only exits (exit(), so the runtime's atexit handler runs in
// it) exits at once and cleanly: it must not wait for the parent's workers.
BOOST_AUTO_TEST_CASE(fork_child_that_exits_is_not_held_up) {
    ChildResult r = edge("fork_exit");
    BOOST_TEST(r.exited);
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.out == "child exits\nchild exit 0\nparent done\n");
    BOOST_TEST(r.err == "");
}

BOOST_AUTO_TEST_CASE(fork_then_exec_works) {
    ChildResult r = edge("fork_exec");
    BOOST_TEST(r.exited);
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.out == "exec ok\nchild exit 0\nsystem ok\nsystem 0\nparent done\n");
    BOOST_TEST(r.err == "");
}

// With RLIMIT_NPROC below what GOMAXPROCS asks for, the runtime runs with the
// threads it gets (it ended in std::terminate when the monitor's thread was
// refused). Root is exempt from the limit: the child becomes nobody first.
BOOST_AUTO_TEST_CASE(thread_limit_below_gomaxprocs_runs_with_what_it_gets) {
    if (::geteuid() != 0) {
        BOOST_TEST_MESSAGE("not root: RLIMIT_NPROC counts every process of this user; skipped");
        return;
    }
    for (const char* c : {"nproc_2", "nproc_3"}) {
        BOOST_TEST_CONTEXT(c) {
            std::vector<std::string> env = kNoLeakCheck;
            env.push_back("GOMAXPROCS=4");
            ChildResult r = edge(c, env);
            BOOST_TEST(r.exited, "signal " << r.signal << "; stderr: " << r.err);
            BOOST_TEST(r.exit_code == 0, "stderr: " << r.err);
            BOOST_TEST(r.out == "sum 500500 goroutines 100\n");
        }
    }
}

// Every gocxx call works from a static constructor, before main (and, in a
// static link, possibly before the library's own initialisers).
BOOST_AUTO_TEST_CASE(gocxx_works_in_a_static_constructor) {
    const std::string path = program("STATIC_CTOR");
    BOOST_TEST_REQUIRE(!path.empty(), "GOCXX_PROG_STATIC_CTOR is not set");
    for (int i = 0; i < 8; ++i) {
        ChildResult r = run_child(path, {}, kNoLeakCheck, kTimeout);
        BOOST_TEST_REQUIRE(r.started);
        BOOST_TEST_REQUIRE(!r.timed_out);
        BOOST_TEST(r.exited, "signal " << r.signal << "; stderr: " << r.err);
        BOOST_TEST(r.exit_code == 0);
        BOOST_TEST(r.out == "sum 10100 timer 1 ctx 1\nmain 42\n");
    }
}
