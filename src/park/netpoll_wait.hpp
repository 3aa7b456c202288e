// Waiting on a socket: the parking half of the netpoller (Go's
// netpollblock and poll_runtime_pollWait; the epoll half, and the slot
// states, are in sched/netpoll.hpp). Goroutines park; plain threads block.
//
// The protocol, for one slot (rg or wg) of one PollDesc; the SPIN model of
// it is netpoll.pml beside this file:
//   1. the waiter CASes kReady -> kNil (readiness was noted: consume it and
//      retry the I/O) or kNil -> kWait;
//   2. it re-checks closing and its deadline (PollDesc::check);
//   3. it parks; the park commit, run once its context is saved, CASes
//      kWait -> its Token. If that CAS fails, readiness, a close or a
//      deadline came in between, and the commit wakes the waiter itself;
//   4. woken, it swaps the slot back to kNil: kReady means go ahead.
// Why no wake-up is lost: the closer (or deadline) stores its flag and then
// reads the slot (poll_unblock); the waiter publishes kWait and then reads
// the flag. Both seq_cst, so one of them sees the other: either the waiter
// sees the flag and does not park, or the closer finds kWait (the commit's
// CAS then fails) or the Token (which it wakes). Readiness needs no flag:
// poll_unblock leaves kReady in the slot, which step 1 or 3 finds.
#pragma once
#include "sched/netpoll.hpp"

namespace gocxx::detail {

// Before an operation (Go's pollReset): fails if the socket is closing or
// the deadline passed, else forgets stale readiness.
PollErr poll_prepare(PollDesc* pd, PollMode m) noexcept;

// After the operation got EAGAIN: waits until the socket may be ready again,
// or the socket closes, or the direction's deadline passes.
PollErr poll_wait(PollDesc* pd, PollMode m) noexcept;

}  // namespace gocxx::detail
