// The test fixture: every runtime test runs with 1, 2 and 4 workers, and from
// a goroutine (the body is gocxx::run's main goroutine) and from a plain
// std::thread. Write a test as
//
//   GOCXX_TEST(name) { ... BOOST_TEST(...); ... }
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

inline void run_as(int workers, Caller caller, const std::function<void()>& body) {
    runtime::gomaxprocs(workers);
    if (caller == Caller::Goroutine) {
        gocxx::run(body);
        return;
    }
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

inline const int kWorkerCounts[] = {1, 2, 4};
inline const Caller kCallers[] = {Caller::Goroutine, Caller::Thread};

}  // namespace gocxx::test

#define GOCXX_TEST(name)                                                                          \
    static void name##_body();                                                                    \
    BOOST_DATA_TEST_CASE(name,                                                                    \
                         boost::unit_test::data::make(::gocxx::test::kWorkerCounts) *             \
                             boost::unit_test::data::make(::gocxx::test::kCallers),               \
                         workers, caller) {                                                       \
        ::gocxx::test::run_as(workers, caller, &name##_body);                                     \
    }                                                                                             \
    static void name##_body()
