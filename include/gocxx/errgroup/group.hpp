// gocxx::errgroup: golang.org/x/sync/errgroup.
//
//   auto [g, ctx] = errgroup::with_context(context::background());
//   g.set_limit(10);                     // at most 10 running: the semaphore pattern
//   for (auto& p : payments) g.go([ctx, p]() -> Error { return check(ctx, p); });
//   if (Error err = g.wait()) ...        // the first error
//
// A function given to go() may return void or Error. The first failure (an
// Error, or an exception) cancels the derived context; wait() waits for all,
// then returns the first Error, or rethrows the first exception if that came
// first. Group is a cheap handle: copies share the same group, and every
// method is const (like Channel's), so a lambda capturing `[g]` by value may
// call g.go(...) without `mutable`, and g.wait() on any copy waits for all.
#pragma once
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

#include <gocxx/chan.hpp>
#include <gocxx/context/context.hpp>
#include <gocxx/error.hpp>
#include <gocxx/go.hpp>
#include <gocxx/sync/once.hpp>
#include <gocxx/sync/waitgroup.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::errgroup {

namespace detail {
struct State {
    sync::WaitGroup wg;
    Channel<Unit> sem = nullptr;  // nil: no limit
    sync::Once first;
    Error err;                    // written once, under `first`; read after wg.wait()
    std::exception_ptr ex;
    context::CancelFunc cancel;

    void fail(Error e, std::exception_ptr p) {
        first.call([&] {
            err = std::move(e);
            ex = std::move(p);
            if (cancel) cancel();
        });
    }
    template <class F>
    void run(F& f) noexcept {
        try {
            if constexpr (std::is_same_v<std::invoke_result_t<F&>, Error>) {
                if (Error e = f()) fail(std::move(e), nullptr);
            } else {
                f();
            }
        } catch (...) {
            fail({}, std::current_exception());
        }
        if (sem != nullptr) sem.recv();
        wg.done();
    }
};
}  // namespace detail

class Group {
public:
    Group() : s_(std::make_shared<detail::State>()) {}

    // Limits the functions running at once to n (n < 0: no limit). Throws
    // Panic while functions of the group are running, as Go's does.
    void set_limit(int n) const;

    // Runs f in a new goroutine; first waits while the limit is reached.
    template <class F>
    void go(F&& f) const {
        if (s_->sem != nullptr) s_->sem.send({});
        start(std::forward<F>(f));
    }
    // Runs f in a new goroutine only if the limit allows it now.
    template <class F>
    bool try_go(F&& f) const {
        if (s_->sem != nullptr && !s_->sem.try_send({})) return false;
        start(std::forward<F>(f));
        return true;
    }
    // Waits for every function, cancels the derived context, then returns
    // the first Error (or rethrows the first exception).
    Error wait() const;

private:
    friend std::pair<Group, context::Context> with_context(const context::Context& parent);
    template <class F>
    void start(F&& f) const {
        s_->wg.add(1);
        try {
            gocxx::go([s = s_, f = std::decay_t<F>(std::forward<F>(f))]() mutable { s->run(f); });
        } catch (...) {  // copying f, or starting the goroutine, failed: give back what go() took
            s_->wg.done();
            if (s_->sem != nullptr) s_->sem.recv();
            throw;
        }
    }
    std::shared_ptr<detail::State> s_;
};

// A Group and a context derived from parent that is cancelled at the first
// failure, or when wait() returns.
std::pair<Group, context::Context> with_context(const context::Context& parent);

}  // namespace gocxx::errgroup

GOCXX_API_END
