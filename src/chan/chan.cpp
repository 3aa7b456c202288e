// Channel operations: Go's chan.go, for one channel at a time.
#include <cstdlib>
#include <new>

#include <gocxx/panic.hpp>

#include "chan/chan_core.hpp"

namespace gocxx::detail {

ChanCore* chan_make(const ElemOps* ops, long long cap) {
    if (cap < 0) throw Panic("makechan: size out of range");
    const std::size_t ucap = static_cast<std::size_t>(cap);
    unsigned char* buf = nullptr;
    if (ucap > 0 && ops->size > 0) {
        if (ucap > (std::size_t(1) << 40) / ops->size) throw Panic("makechan: size out of range");
        buf = static_cast<unsigned char*>(
            ::operator new(ucap * ops->size, std::align_val_t(ops->align < 16 ? 16 : ops->align)));
    }
    auto* c = new ChanCore();
    c->ops = ops;
    c->cap = ucap;
    c->buf = buf;
    return c;
}

void chan_retain(ChanCore* c) noexcept { c->refs.fetch_add(1, std::memory_order_relaxed); }

// Reads the ring without the lock: the last handle is gone, so no other party
// can reach the core.
void chan_release(ChanCore* c) noexcept GOCXX_NO_THREAD_SAFETY_ANALYSIS {
    if (c->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    // Last handle gone: no party can be waiting (a waiter holds a handle).
    // A timer may still be sending: its hook waits for that and disowns it.
    if (c->on_last_handle) c->on_last_handle(c->on_last_handle_arg);
    if (c->ops->size) {
        std::size_t i = c->recvx;
        for (std::size_t k = c->n(); k > 0; --k) {
            c->ops->destroy(c->slot(i));
            if (++i == c->cap) i = 0;
        }
    }
    if (c->buf) ::operator delete(c->buf, std::align_val_t(c->ops->align < 16 ? 16 : c->ops->align));
    delete c;
}

std::size_t chan_len(const ChanCore* c) noexcept { return c ? c->n() : 0; }
std::size_t chan_cap(const ChanCore* c) noexcept { return c ? c->cap : 0; }

bool chan_send(ChanCore* c, void* src, bool block) {
    if (!c) {
        if (!block) return false;
        park_forever(WaitReason::ChanSendNil);
    }
    c->lock.lock();
    if (c->closed) {
        c->lock.unlock();
        throw Panic("send on closed channel");
    }
    if (Waiter* w = c->recvq.dequeue()) {
        c->send_to_receiver(w, src);
        const Token who = w->who;
        c->lock.unlock();
        unpark(who);
        return true;
    }
    if (c->n() < c->cap) {
        c->buf_put(src);
        c->lock.unlock();
        return true;
    }
    if (!block) {
        c->lock.unlock();
        return false;
    }
    Waiter& w = own_waiter();
    w.elem = src;
    wait_in(c->sendq, w, c->lock, WaitReason::ChanSend);
    // Woken by a receiver (success) or by close (failure), which removed us.
    if (!w.success) throw Panic("send on closed channel");
    return true;
}

RecvResult chan_recv(ChanCore* c, void* dst, bool block) {
    if (!c) {
        if (!block) return {false, false};
        park_forever(WaitReason::ChanReceiveNil);
    }
    c->lock.lock();
    if (Waiter* w = c->sendq.dequeue()) {
        c->recv_from_sender(w, dst);
        const Token who = w->who;
        c->lock.unlock();
        unpark(who);
        return {true, true};
    }
    if (c->n() > 0) {
        c->buf_take(dst);
        c->lock.unlock();
        return {true, true};
    }
    if (c->closed) {
        c->lock.unlock();
        return {true, false};
    }
    if (!block) {
        c->lock.unlock();
        return {false, false};
    }
    Waiter& w = own_waiter();
    w.elem = dst;
    wait_in(c->recvq, w, c->lock, WaitReason::ChanReceive);
    return {true, w.success};
}

void chan_close(ChanCore* c) {
    if (!c) throw Panic("close of nil channel");
    c->lock.lock();
    if (c->closed) {
        c->lock.unlock();
        throw Panic("close of closed channel");
    }
    c->closed = true;
    // Collect every waiter (receivers get the zero value, senders will
    // panic), then wake them only after unlocking (Go's closechan).
    Waiter* receivers = c->recvq.dequeue_all(/*fail=*/true);
    Waiter* senders = c->sendq.dequeue_all(/*fail=*/true);
    c->lock.unlock();
    unpark_chain(receivers);
    unpark_chain(senders);
}

}  // namespace gocxx::detail
