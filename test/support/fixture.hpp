// The test fixture: every runtime test runs with 1, 2 and 4 workers, and from
// a goroutine (the body is gocxx::run's main goroutine) and from a plain
// std::thread. Write a test as
//
//   GOCXX_TEST(name) { ... BOOST_TEST(...); ... }
//
// After the body, the fixture checks that every goroutine it started has
// ended (the count falls back within 10 s); GOCXX_TEST_LEAKY(name) is for a
// test that leaves goroutines parked on purpose.
//
// Boost.Test is not thread-safe: only the body's own flow may use BOOST_*
// macros. Goroutines it starts report through channels or atomics that the
// body checks after synchronising with them.
#pragma once
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <exception>
#include <functional>
#include <ostream>
#include <thread>

#include <gocxx/gocxx.hpp>

#include "helpers.hpp"  // goroutines_drop_to

namespace gocxx::test {

enum class Caller { Goroutine, Thread };

inline std::ostream& operator<<(std::ostream& os, Caller c) {
    return os << (c == Caller::Goroutine ? "goroutine" : "thread");
}

// Iteration counts shrink under the sanitizers through this one constant.
#ifdef GOCXX_SANITIZED
inline constexpr int kScale = 10;
#else
inline constexpr int kScale = 1;
#endif
#ifndef GOCXX_STRESS_SCALE
#define GOCXX_STRESS_SCALE 1
#endif
inline constexpr int kStressScale = GOCXX_STRESS_SCALE;

// n scaled down for sanitizer builds (at least 1).
constexpr long scaled(long n) { return n / kScale > 0 ? n / kScale : 1; }

enum class Leaks { Checked, Allowed };

// Runs body as the caller says, then checks that every goroutine the body
// started has ended (Leaks::Checked; GOCXX_TEST_LEAKY opts out, for a test
// that leaves goroutines parked on purpose). A body that fails by throwing
// is not checked: its goroutines may well still wait.
inline void run_as(int workers, Caller caller, const std::function<void()>& body, Leaks leaks = Leaks::Checked) {
    runtime::gomaxprocs(workers);
    const int before = runtime::num_goroutine();
    if (caller == Caller::Goroutine) {
        gocxx::run(body);
    } else {
        std::exception_ptr err;
        std::thread t([&] {
            try {
                body();
            } catch (...) {
                err = std::current_exception();
            }
        });
        t.join();
        if (err) std::rethrow_exception(err);
    }
    if (leaks == Leaks::Checked)
        BOOST_CHECK_MESSAGE(goroutines_drop_to(before), "the test left " << runtime::num_goroutine() - before
                                                                           << " goroutine(s) running or parked");
}

inline const int kWorkerCounts[] = {1, 2, 4};
inline const Caller kCallers[] = {Caller::Goroutine, Caller::Thread};

}  // namespace gocxx::test

#define GOCXX_TEST_WITH(name, leaks)                                                              \
    static void name##_body();                                                                    \
    BOOST_DATA_TEST_CASE(name,                                                                    \
                         boost::unit_test::data::make(::gocxx::test::kWorkerCounts) *             \
                             boost::unit_test::data::make(::gocxx::test::kCallers),               \
                         workers, caller) {                                                       \
        ::gocxx::test::run_as(workers, caller, &name##_body, leaks);                              \
    }                                                                                             \
    static void name##_body()

// A runtime test: run 6 ways, then checked for goroutines left behind.
#define GOCXX_TEST(name) GOCXX_TEST_WITH(name, ::gocxx::test::Leaks::Checked)
// A test that leaves goroutines parked on purpose (say why beside it).
#define GOCXX_TEST_LEAKY(name) GOCXX_TEST_WITH(name, ::gocxx::test::Leaks::Allowed)
