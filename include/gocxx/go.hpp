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
// in the caller, as Go does; the call runs later on a worker thread. Capture by
// value anything the goroutine may use after the caller's frame is gone.
// An exception escaping f ends the process like Go's unrecovered panic:
// stdout flushed, "panic: <what()>" on stderr, exit status 2.
template <class F, class... Args>
void go(F&& f, Args&&... args) {
    if constexpr (sizeof...(Args) == 0) {
        std::decay_t<F> fn(std::forward<F>(f));
        detail::spawn(detail::task_vtable<std::decay_t<F>>, &fn);
    } else {
        auto fn = [f = std::decay_t<F>(std::forward<F>(f)),
                   tup = std::make_tuple(std::forward<Args>(args)...)]() mutable {
            std::apply(
                [&](auto&... a) { std::invoke(f, std::move(a)...); }, tup);
        };
        detail::spawn(detail::task_vtable<decltype(fn)>, &fn);
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
