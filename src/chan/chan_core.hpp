// The channel core (Go's hchan), shared by chan.cpp and select.cpp.
//
// Invariants (all under `lock`):
//   - At most one of sendq and recvq is non-empty, and sendq holds only
//     senders that found no receiver and no room, recvq only receivers that
//     found nothing to take. (A select waiting on both ends of one channel is
//     the exception Go also has: its waiters cannot match each other because
//     it is parked and only another party can act.)
//   - count <= cap; ring slots [recvx, recvx + count) hold constructed values.
//   - recvq non-empty implies count == 0; sendq non-empty implies count == cap.
//   - closed implies sendq and recvq are empty (close drains them both).
//   - Unbuffered (cap == 0): values pass directly between the two parties.
//   - A Waiter in a queue belongs to a parked party (or to one still holding
//     this lock while it parks); whoever dequeues it owns its wake-up.
// Never wake a party while holding `lock`: dequeue, transfer, unlock, unpark.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstring>

#include <gocxx/detail/chan_core.hpp>
#include <gocxx/detail/lock.hpp>
#include <gocxx/detail/thread_annotations.hpp>

#include "park/park.hpp"

namespace gocxx::detail {

struct ChanCore {
    Lock lock;
    const ElemOps* ops;
    std::size_t cap;
    unsigned char* buf;             // cap * ops->size bytes; null when either is 0
    std::size_t recvx GOCXX_GUARDED_BY(lock) = 0;
    std::size_t sendx GOCXX_GUARDED_BY(lock) = 0;
    std::atomic<std::size_t> count{0};  // written under lock; len() reads it without
    bool closed GOCXX_GUARDED_BY(lock) = false;
    WaitQueue recvq GOCXX_GUARDED_BY(lock);
    WaitQueue sendq GOCXX_GUARDED_BY(lock);
    // Own cache line: handles are copied and dropped (a goroutine's closure,
    // 100,000 of them released at once) by parties that never touch the
    // channel's state, and must not pull its lock's line away from those that do.
    alignas(64) std::atomic<long> refs{1};
    // Run once the last handle is gone, before the core is freed (a timer's
    // channel: the timer holds it without a handle and must let go). Set at
    // creation, before any other party sees the core; read only when refs
    // reaches 0, so it costs the other handle operations nothing. It must not
    // make a handle to the core.
    void (*on_last_handle)(void* arg) noexcept = nullptr;
    void* on_last_handle_arg = nullptr;

    void* slot(std::size_t i) noexcept { return buf + i * ops->size; }

    // Moves a T from src into raw storage at dst. A trivially copyable T
    // (uint64_t, a small struct) is copied here, with the common sizes
    // inlined: the indirect call per operation was a tenth of a buffered
    // send plus receive (seq_1024).
    void move_elem(void* dst, void* src) noexcept {
        if (!ops->trivial) {
            ops->move_construct(dst, src);
            return;
        }
        switch (ops->size) {
            case 0: return;
            case 1: std::memcpy(dst, src, 1); return;
            case 2: std::memcpy(dst, src, 2); return;
            case 4: std::memcpy(dst, src, 4); return;
            case 8: std::memcpy(dst, src, 8); return;
            case 16: std::memcpy(dst, src, 16); return;
            default: std::memcpy(dst, src, ops->size); return;
        }
    }
    void destroy_elem(void* p) noexcept {
        if (!ops->trivial) ops->destroy(p);
    }
    std::size_t n() const noexcept { return count.load(std::memory_order_relaxed); }

    // count < cap
    void buf_put(void* src) noexcept GOCXX_REQUIRES(lock) {
        if (ops->size) move_elem(slot(sendx), src);
        if (++sendx == cap) sendx = 0;
        count.store(n() + 1, std::memory_order_relaxed);
    }
    // count > 0
    void buf_take(void* dst) noexcept GOCXX_REQUIRES(lock) {
        if (ops->size) {
            move_elem(dst, slot(recvx));
            destroy_elem(slot(recvx));
        }
        if (++recvx == cap) recvx = 0;
        count.store(n() - 1, std::memory_order_relaxed);
    }
    // w was dequeued from sendq. Receives w's value into dst.
    // Buffered (then full): take the head, put w's value at the tail (the
    // same slot), so FIFO order holds (Go's recv()).
    void recv_from_sender(Waiter* w, void* dst) noexcept GOCXX_REQUIRES(lock) {
        if (cap == 0) {
            move_elem(dst, w->elem);
        } else {
            if (ops->size) {
                move_elem(dst, slot(recvx));
                destroy_elem(slot(recvx));
                move_elem(slot(recvx), w->elem);
            }
            if (++recvx == cap) recvx = 0;
            sendx = recvx;
        }
        w->success = true;
    }
    // w was dequeued from recvq: hand src straight to it.
    void send_to_receiver(Waiter* w, void* src) noexcept GOCXX_REQUIRES(lock) {
        move_elem(w->elem, src);
        w->success = true;
    }
};

}  // namespace gocxx::detail
