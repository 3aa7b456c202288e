// gocxx::sync::WaitGroup: Go's sync.WaitGroup.
#pragma once
#include <atomic>
#include <cstdint>
#include <utility>

#include <gocxx/detail/dependent_false.hpp>
#include <gocxx/detail/lock.hpp>
#include <gocxx/detail/waiter.hpp>
#include <gocxx/go.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::sync {

class WaitGroup {
public:
    WaitGroup() = default;
    WaitGroup(const WaitGroup&) = delete;  // Go: must not be copied after first use
    WaitGroup& operator=(const WaitGroup&) = delete;

    // Adds delta (may be negative). Panic("sync: negative WaitGroup counter")
    // when the counter would go below zero. Reaching zero releases every
    // waiter, and the WaitGroup may then be reused.
    void add(long delta);
    void done() { add(-1); }
    // Blocks (parks the goroutine or blocks the thread) until the counter is 0.
    void wait();
    // Go 1.25's wg.Go(f): add(1), then run f in a new goroutine that calls done().
    template <class F>
    void go(F&& f) {
        add(1);
        try {
            gocxx::go([this, f = std::decay_t<F>(std::forward<F>(f))]() mutable {
                struct Done {
                    WaitGroup* wg;
                    ~Done() { wg->done(); }
                } d{this};
                f();
            });
        } catch (...) {  // copying f, or starting the goroutine, failed
            done();
            throw;
        }
    }

    // On a const WaitGroup these stop the build with the reason: a lambda's
    // by-value capture ([wg], [=]) is const, and it is a copy, which a
    // WaitGroup cannot be (without them the first error is "discards
    // qualifiers", before the deleted copy constructor).
#define GOCXX_WAITGROUP_CONST_                                                                   \
    "gocxx::sync::WaitGroup cannot be copied (Go: a WaitGroup must not be copied after first " \
    "use), and this one is const, as a lambda's by-value capture [wg] / [=] is: capture it by " \
    "reference ([&wg]) or hold it in a std::shared_ptr<WaitGroup>"
    template <class W = WaitGroup>
    void add(long) const { static_assert(detail::dependent_false<W>, GOCXX_WAITGROUP_CONST_); }
    template <class W = WaitGroup>
    void done() const { static_assert(detail::dependent_false<W>, GOCXX_WAITGROUP_CONST_); }
    template <class W = WaitGroup>
    void wait() const { static_assert(detail::dependent_false<W>, GOCXX_WAITGROUP_CONST_); }
    template <class F>
    void go(F&&) const { static_assert(detail::dependent_false<F>, GOCXX_WAITGROUP_CONST_); }
#undef GOCXX_WAITGROUP_CONST_

private:
    // state_: counter in the high 32 bits, number of waiters in the low 32
    // bits, updated atomically together (as Go's) so add() needs the lock only
    // when it releases waiters.
    std::atomic<std::uint64_t> state_{0};
    detail::Lock lock_;                  // guards waiters_
    detail::WaitQueue waiters_ GOCXX_GUARDED_BY(lock_);
};

}  // namespace gocxx::sync

GOCXX_API_END
