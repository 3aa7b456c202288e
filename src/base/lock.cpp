#include <gocxx/detail/lock.hpp>

#include <sched.h>
#include <unistd.h>

#include "base/fork.hpp"
#include "base/futex.hpp"  // cpu_relax

namespace gocxx::detail {

// Spin a few rounds of 64 pauses each (a microsecond or two): re-reading the
// word after every single pause kept two cores fighting over its line (select over
// four channels at GOMAXPROCS=2, 4 x 100 pauses against 100 x 1: 518 -> 189
// ns per message, before select's pass 0). Then yield until it is free: a
// holder that is not running is one the OS preempted, and it needs a CPU.
// fork() copies only the calling thread: in the child there are no workers
// and no monitor, and a runtime lock a parent thread held stays held. Go
// does not support it either; fork + exec (posix_spawn, std::system) works,
// and a child that touches the runtime gets this instead of a silent hang.
void fatal_after_fork() noexcept {
    static const char msg[] =
        "fatal error: gocxx: the runtime was started before fork(); a child process can only call exec "
        "(start goroutines before forking in the parent only, or use posix_spawn)\n";
    ssize_t ignored = ::write(2, msg, sizeof msg - 1);
    (void)ignored;
    ::_exit(2);
}

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
