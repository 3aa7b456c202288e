// go(), run() and defer(): starting goroutines, Go's main, and Go's defer.
#pragma once
#include <exception>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

#include <gocxx/chan.hpp>
#include <gocxx/detail/task.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx {

namespace detail {
// The running goroutine's id (0 on a plain thread).
unsigned long long current_goid() noexcept;
// Rethrows what escaped run()'s function (on goroutine goid); if nothing
// catches it, the process ends as Go's unrecovered panic in main
// (src/sched/panic.cpp).
[[noreturn]] void rethrow_from_run(std::exception_ptr ep, unsigned long long goid);
}  // namespace detail

// go f(x, y): the function and its arguments are evaluated (decay-copied) now,
// in the caller, as Go does; the call runs later on a worker thread, with the
// copies passed as rvalues (as std::thread does). Capture by value anything
// the goroutine may use after the caller's frame is gone. A parameter of
// reference type T& cannot bind to a copy: pass std::ref(x) (or a pointer)
// when the goroutine really shares x.
// An exception escaping f ends the process like Go's unrecovered panic:
// stdout flushed, "panic: <what()>" on stderr, exit status 2.
template <class F, class... Args>
void go(F&& f, Args&&... args) {
    using Fn = std::decay_t<F>;
    static_assert(std::is_constructible_v<Fn, F&&>,
                  "gocxx::go: the function object is copied (or moved) into the goroutine, and "
                  "this one cannot be: pass it as an rvalue (std::move), or capture what cannot "
                  "be copied by reference or in a std::shared_ptr");
    if constexpr (sizeof...(Args) == 0) {
        static_assert(std::is_invocable_v<Fn&>,
                      "gocxx::go(f): f must be callable with no arguments (pass its arguments "
                      "after it, go(f, x, y), or capture them)");
        if constexpr (std::is_constructible_v<Fn, F&&> && std::is_invocable_v<Fn&>) {
            Fn fn(std::forward<F>(f));
            detail::spawn(detail::task_vtable<Fn>, &fn);
        }
    } else {
        static_assert(std::is_invocable_v<Fn&, std::decay_t<Args>...>,
                      "gocxx::go(f, args...): the function's arguments are copied into the goroutine "
                      "(as Go does) and f must be callable with those copies; a parameter of "
                      "reference type T& cannot bind to that copy: take it by value, or pass "
                      "std::ref(x) / a pointer if the goroutine really shares it");
        if constexpr (std::is_constructible_v<Fn, F&&> && std::is_invocable_v<Fn&, std::decay_t<Args>...>) {
            auto fn = [f = Fn(std::forward<F>(f)),
                       tup = std::tuple<std::decay_t<Args>...>(std::forward<Args>(args)...)]() mutable {
                std::apply([&](auto&... a) { std::invoke(f, std::move(a)...); }, tup);
            };
            detail::spawn(detail::task_vtable<decltype(fn)>, &fn);
        }
    }
}

// Go's func main(): `int main() { return gocxx::run([] { ... }); }`.
// Runs f as the main goroutine, blocks the calling thread until it returns,
// then returns 0 or rethrows what f threw. Goroutines still running or parked
// when main returns do not hold the process up, as in Go.
// What f throws reaches run()'s caller, who may catch it (the way for C++
// code that wants the exception). If nothing catches it, the process ends as
// Go's does on a panic in main: what was written to stdout is flushed,
// "panic: <what()>" and "goroutine 1 [running]:" go to stderr, and the exit
// status is 2 (not std::terminate's abort).
template <class F>
int run(F&& f) {
    Channel<Unit> done;
    std::exception_ptr err;
    unsigned long long goid = 0;
    go([&f, &err, &goid, done] {
        try {
            std::forward<F>(f)();
        } catch (...) {
            err = std::current_exception();
            goid = detail::current_goid();
        }
        done.close();  // publishes err: close happens before recv returns
    });
    done.recv();
    if (err) detail::rethrow_from_run(std::move(err), goid);
    return 0;
}

// Go's defer: `auto guard = gocxx::defer([&] { wg.done(); });` runs at scope exit.
template <class F>
class [[nodiscard]] Defer {
public:
    explicit Defer(F f) : f_(std::move(f)) {}
    Defer(const Defer&) = delete;
    Defer& operator=(const Defer&) = delete;
    ~Defer() noexcept(noexcept(std::declval<F&>()())) { f_(); }

private:
    F f_;
};

template <class F>
Defer<std::decay_t<F>> defer(F&& f) {
    return Defer<std::decay_t<F>>(std::forward<F>(f));
}

}  // namespace gocxx

GOCXX_API_END
