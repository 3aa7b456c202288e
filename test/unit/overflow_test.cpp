// Goroutine stack overflow: every way of running off a stack that the guard
// region is meant to catch ends the process with Go's report and status 2
// (test/programs/overflow.cpp names the cases). Each case runs in both
// builds of the program: with -fstack-clash-protection (as the README asks
// of programs) and without it, where the guard region's width alone must
// catch the big frames.
#define BOOST_TEST_MODULE overflow
#include <boost/test/unit_test.hpp>

#include <signal.h>

#include <string>
#include <vector>

#include "child.hpp"

namespace {

using namespace gocxx::test;
using namespace std::chrono_literals;

constexpr auto kTimeout = 60s;

// Runs one case of one build of the program and checks Go's report.
void expect_overflow_report(const char* prog, const std::string& which) {
    const std::string path = program(prog);
    BOOST_TEST_REQUIRE(!path.empty(), "GOCXX_PROG_" << prog << " is not set");
    std::vector<std::string> env = kNoLeakCheck;
    env.push_back("GOCXX_STACK_SIZE=256k");  // the default, whatever the environment says
    ChildResult r = run_child(path, {which}, env, kTimeout);
    BOOST_TEST_INFO("program " << prog << ", case " << which);
    BOOST_TEST_REQUIRE(r.started);
    BOOST_TEST(!r.timed_out);
    BOOST_TEST(r.exited, "killed by signal " << r.signal << "; stderr: " << r.err);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(contains(r.err, "runtime: goroutine stack exceeds 262144-byte limit"), "stderr: " << r.err);
    BOOST_TEST(contains(r.err, "fatal error: goroutine stack overflow"), "stderr: " << r.err);
    BOOST_TEST(contains(r.err, "GOCXX_STACK_SIZE"), "stderr: " << r.err);
    BOOST_TEST(r.out == "", "stdout: " << r.out);  // nothing ran on: no "unreachable", no canary verdict
}

void both_builds(const std::string& which) {
    expect_overflow_report("OVERFLOW", which);
    expect_overflow_report("OVERFLOW_NOPROBE", which);
}

}  // namespace

BOOST_AUTO_TEST_CASE(deep_recursion) { both_builds("recursion"); }

// 256 KiB of locals, only the lowest 4 KiB written: without probes the first
// write lands a whole stack below the stack pointer.
BOOST_AUTO_TEST_CASE(big_local_array) { both_builds("big_frame"); }

// Channel<std::array<char, 1 << 20>>::send copies the value onto a 256 KiB stack.
BOOST_AUTO_TEST_CASE(big_by_value_payload) { both_builds("payload"); }

BOOST_AUTO_TEST_CASE(overflow_in_select_callback) { both_builds("select"); }

BOOST_AUTO_TEST_CASE(overflow_in_destructor) { both_builds("destructor"); }

// A frame 16 KiB larger than its whole stack, beside 32 goroutines with
// canaries at the top of theirs: it must be reported, not write into the
// stack below and run on (the program prints a verdict if it does).
BOOST_AUTO_TEST_CASE(big_frame_does_not_reach_the_neighbours) { both_builds("neighbours"); }

// 8 MiB of locals, wider than any guard region: caught where the code was
// built with -fstack-clash-protection, which touches every page of the
// frame in order (docs/runtime.md, "Stack overflow": what is not caught without it).
BOOST_AUTO_TEST_CASE(frame_wider_than_the_guard_with_stack_clash_protection) {
#ifdef GOCXX_TEST_STACK_CLASH
    expect_overflow_report("OVERFLOW", "huge_frame");
#else
    BOOST_TEST_MESSAGE("skipped: the compiler has no -fstack-clash-protection");
#endif
}
