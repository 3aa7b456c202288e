// The waiter record and wait queue that every blocking primitive uses (see
// src/park/park.hpp for the protocol). Public only because sync types embed
// a WaitQueue; users never touch these.
#pragma once
#include <atomic>
#include <cstdint>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::detail {

// A party that can wait: a goroutine (G*) or a plain thread (its parker,
// tagged with the low bit).
using Token = std::uintptr_t;

struct SelectState;

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
    std::uint32_t ticket = 0;   // sync::Cond's notify ticket
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
            if (claim(w)) return w;
        }
        return nullptr;
    }
    // Removes every waiter that can be claimed (as dequeue does) and returns
    // them in FIFO order, linked through `next`: the caller owns the chain,
    // and wakes it with unpark_chain once the queue's lock is released.
    // `fail` marks each claimed waiter unsuccessful (a close) in the same
    // pass: one walk over cold waiters instead of two, and the queue is
    // emptied at once rather than unlinked waiter by waiter.
    Waiter* dequeue_all(bool fail = false) noexcept {
        Waiter* first = nullptr;
        Waiter** tail = &first;
        for (Waiter* w = head_; w;) {
            Waiter* next = w->next;
            w->prev = nullptr;
            w->queued = false;  // a losing select's pass 3 then leaves it alone
            w = claim(w) ? w : nullptr;
            if (w) {
                if (fail) w->success = false;
                *tail = w;
                tail = &w->next;
            }
            w = next;
        }
        *tail = nullptr;
        head_ = tail_ = nullptr;
        return first;
    }
    // Removes and returns the first waiter for which pred holds (no claim).
    template <class P>
    Waiter* remove_first(P pred) noexcept {
        for (Waiter* w = head_; w; w = w->next)
            if (pred(w)) {
                remove(w);
                return w;
            }
        return nullptr;
    }
    bool empty() const noexcept { return head_ == nullptr; }

private:
    // A removed waiter's wake-up is ours: always for a plain waiter; for a
    // select's, only if we are first to decide that select (then `fired`).
    static bool claim(Waiter* w) noexcept {
        if (!w->sel) return true;
        std::uint32_t zero = 0;
        if (!w->sel->done.compare_exchange_strong(zero, 1, std::memory_order_acq_rel)) return false;
        w->sel->fired = w;
        return true;
    }

    Waiter* head_ = nullptr;
    Waiter* tail_ = nullptr;
};

}  // namespace gocxx::detail

GOCXX_API_END
