// Whether this process is the child of a fork() taken after the runtime
// started, and the fatal error for a child that touches the runtime.
// In base because the runtime lock asks (a lock a parent thread held stays
// held in the child); the scheduler marks it (pthread_atfork, once started).
#pragma once
#include <atomic>

namespace gocxx::detail {

// Set in the child of a fork() once the scheduler has started; never cleared.
inline std::atomic<bool> g_forked{false};

inline bool forked() noexcept { return g_forked.load(std::memory_order_relaxed); }

// fork() copies only the calling thread: in the child there are no workers
// and no monitor, and a runtime lock a parent thread held stays held. Go
// does not support it either; fork + exec (posix_spawn, std::system) works,
// and a child that touches the runtime gets this instead of a silent hang.
// Writes Go-style "fatal error: ..." to stderr and exits with status 2.
[[noreturn]] void fatal_after_fork() noexcept;

}  // namespace gocxx::detail
