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

namespace gocxx::detail {

struct G;
struct ThreadParker;
struct SelectState;

using Token = std::uintptr_t;

// The calling party's token, armed for one park. Call it before registering.
Token park_token() noexcept;
inline bool token_is_goroutine(Token t) noexcept { return (t & 1) == 0; }

void park(Token self, void (*commit)(void*), void* arg) noexcept;
void unpark(Token t) noexcept;

// Waits forever (a nil channel, a select with no cases). Never returns.
[[noreturn]] void park_forever() noexcept;

// The waiter record (Go's sudog): one per party per queue it waits in.
// Fields other than `who`, `sel` and `case_index` are guarded by the lock of
// the queue the waiter is in; after removal they belong to whoever removed it.
struct Waiter {
    Waiter* prev = nullptr;
    Waiter* next = nullptr;
    bool queued = false;        // in a WaitQueue
    Token who = 0;
    void* elem = nullptr;       // send: value to move from; recv: raw storage to build into
    SelectState* sel = nullptr; // non-null for a select's waiters
    int case_index = 0;
    bool success = false;       // set by the waker: value transferred (false: closed)
};

// Shared by all waiters of one blocked select: the first waker to CAS `done`
// from 0 to 1 owns the select's wake-up and records its waiter in `fired`.
struct SelectState {
    std::atomic<std::uint32_t> done{0};
    Waiter* fired = nullptr;  // written by the claiming waker before unpark
};

// FIFO of waiters; guarded by its owner's lock.
class WaitQueue {
public:
    void push(Waiter* w) noexcept {
        w->next = nullptr;
        w->prev = tail_;
        if (tail_) tail_->next = w;
        else head_ = w;
        tail_ = w;
        w->queued = true;
    }
    void remove(Waiter* w) noexcept {
        if (!w->queued) return;
        if (w->prev) w->prev->next = w->next;
        else head_ = w->next;
        if (w->next) w->next->prev = w->prev;
        else tail_ = w->prev;
        w->prev = w->next = nullptr;
        w->queued = false;
    }
    // Removes and returns the first waiter that can be claimed: plain waiters
    // always, a select's waiter only if its select is still undecided (then
    // `fired` is set to it). Losing select waiters are dropped on the way.
    Waiter* dequeue() noexcept {
        while (Waiter* w = head_) {
            remove(w);
            if (w->sel) {
                std::uint32_t zero = 0;
                if (!w->sel->done.compare_exchange_strong(zero, 1, std::memory_order_acq_rel)) continue;
                w->sel->fired = w;
            }
            return w;
        }
        return nullptr;
    }
    bool empty() const noexcept { return head_ == nullptr; }

private:
    Waiter* head_ = nullptr;
    Waiter* tail_ = nullptr;
};

}  // namespace gocxx::detail
