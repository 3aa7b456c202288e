// Parking: the one way anything in gocxx waits.
//
// A Token names a party that can wait: a goroutine (G*) or a plain thread
// (its ThreadParker, tagged with the low bit). park(self, commit, arg) makes
// the caller wait until someone calls unpark(self):
//   - in a goroutine it switches to the worker's scheduler loop, which runs
//     commit(arg) only after the goroutine's context is saved, then schedules
//     other goroutines: the worker is free;
//   - on a plain thread it runs commit(arg) and sleeps on a futex.
// commit typically releases the lock under which the caller registered its
// Waiter. That is the "register, re-check, park" rule: the waker can only find
// the waiter after the lock is released, and by then the parking party can be
// resumed safely, so no wake-up is lost and none comes too early.
//
// A wake is a one-shot claim: exactly one party unparks a given park, the one
// that removed the waiter from its queue under the lock (or, for a select,
// won the CAS on SelectState::done). A thread's parker is never freed (it is
// pooled), so a waker's futex_wake that lands after the thread has moved on
// costs at most a spurious wake-up, which park() tolerates.
#pragma once
#include <atomic>
#include <cstdint>

#include <gocxx/detail/lock.hpp>
#include <gocxx/detail/thread_annotations.hpp>
#include <gocxx/detail/waiter.hpp>  // Token, Waiter, SelectState, WaitQueue

#include "sched/wait_reason.hpp"

namespace gocxx::detail {

struct G;
struct ThreadParker;

// The calling party's token, armed for one park. Call it before registering.
Token park_token() noexcept;
inline bool token_is_goroutine(Token t) noexcept { return (t & 1) == 0; }

// `why` is what dumps and the deadlock report show for the waiting party.
void park(Token self, void (*commit)(void*), void* arg, WaitReason why) noexcept;

// The usual commit: release the detail::Lock the waiter registered under.
void unlock_commit(void* lock) noexcept;

// The usual wait: the caller holds `lock`, which guards q. Registers w (with
// this party's token) in q and parks; the commit releases `lock`. Returns
// once the party that dequeued w has unparked us; w's fields set by that
// party (success, the value in elem) are ours to read. For the analysis it
// releases `lock` (it returns without it).
void wait_in(WaitQueue& q, Waiter& w, Lock& lock, WaitReason why) noexcept GOCXX_RELEASE(lock);
// The caller's own waiter record, reset, for one wait_in: the goroutine's
// (in its G) or the thread's. Usable until that wait returns; nobody touches
// it after waking its owner (the unpark rule above), so the next wait may
// reuse it at once.
Waiter& own_waiter() noexcept;
void unpark(Token t) noexcept;
// Unparks a chain from WaitQueue::dequeue_all (reading each link before its
// waiter's party can run and free it).
void unpark_chain(Waiter* w) noexcept;

// Waits forever (a nil channel, a select with no cases). Never returns.
[[noreturn]] void park_forever(WaitReason why) noexcept;

// Plain threads waiting in gocxx, for dumps and the deadlock detector.
struct ThreadWaitInfo {
    int tid;
    WaitReason why;
    std::int64_t since_ns;  // coarse_now_ns() at park
};
// Calls f for every plain thread parked now and not yet woken.
void for_each_waiting_thread(void (*f)(const ThreadWaitInfo&, void*), void* arg);
// Parks of plain threads so far: a dump-to-dump change means a thread moved.
std::uint64_t thread_park_count() noexcept;

}  // namespace gocxx::detail
