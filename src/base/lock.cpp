#include <gocxx/detail/lock.hpp>

#include <sched.h>
#include <unistd.h>

#include "base/fork.hpp"
#include "base/futex.hpp"  // cpu_relax

namespace gocxx::detail {

// Why, in base/fork.hpp.
void fatal_after_fork() noexcept {
    static const char msg[] =
        "fatal error: gocxx: the runtime was started before fork(); a child process can only call exec "
        "(start goroutines before forking in the parent only, or use posix_spawn)\n";
    ssize_t ignored = ::write(2, msg, sizeof msg - 1);
    (void)ignored;
    ::_exit(2);
}

// Spin a few rounds of 64 pauses each (a microsecond or two): re-reading the
// word after every single pause kept two cores fighting over its line
// (bench/ANALYSIS.md, "Figures behind the code": the lock's spin). Then
// yield until it is free: a holder that is not running is one the OS
// preempted, and it needs a CPU.
void Lock::lock_slow() noexcept {
    constexpr int kSpinRounds = 4;
    constexpr int kPauses = 64;
    for (int i = 0;; ++i) {
        if (state_.load(std::memory_order_relaxed) == 0 && state_.exchange(1, std::memory_order_acquire) == 0) return;
        if (i < kSpinRounds) {
            for (int k = 0; k < kPauses; ++k) cpu_relax();
        } else {
            // In a forked child the holder may be a parent thread that did
            // not come along: it never unlocks.
            if (i == kSpinRounds && forked()) fatal_after_fork();
            ::sched_yield();
        }
    }
}

}  // namespace gocxx::detail
