// x/sync/semaphore's Weighted, ported: a FIFO of waiters, each with its own
// ready channel, so that acquire(ctx, n) can select on it and ctx.done().
// lk_ guards cur_ and the list; a waiter is granted (granted = true, tokens
// counted in cur_) under lk_, and its channel is closed after lk_ is
// released (the closer holds its own handle, so the waiter may be gone).
#include <gocxx/panic.hpp>
#include <gocxx/select.hpp>
#include <gocxx/sync/semaphore.hpp>

namespace gocxx::sync {

namespace detail {
struct SemWaiter {
    std::int64_t n;
    Channel<Unit> ready;
    bool granted = false;
    SemWaiter* prev = nullptr;
    SemWaiter* next = nullptr;
};
}  // namespace detail

void Semaphore::notify_waiters_locked(std::vector<Channel<Unit>>& wake) {
    while (detail::SemWaiter* w = head_) {
        // Not enough for the head: leave everyone behind it waiting too, so a
        // large request is not starved by smaller ones.
        if (size_ - cur_ < w->n) break;
        cur_ += w->n;
        w->granted = true;
        head_ = w->next;
        if (head_) head_->prev = nullptr;
        else tail_ = nullptr;
        wake.push_back(w->ready);
    }
}

void Semaphore::acquire(std::int64_t n) { (void)acquire(context::background(), n); }

Error Semaphore::acquire(const context::Context& ctx, std::int64_t n) {
    RecvChannel<Unit> done = ctx.done();
    lk_.lock();
    // A context already done "happened before" the acquisition: fail even if
    // the tokens are there.
    if (done != nullptr && select(case_recv(done), case_default()) == 0) {
        lk_.unlock();
        return ctx.err();
    }
    if (size_ - cur_ >= n && !head_) {
        cur_ += n;
        lk_.unlock();
        return {};
    }
    if (n > size_) {  // can never succeed: don't hold up the others
        lk_.unlock();
        (void)done.recv();
        return ctx.err();
    }
    detail::SemWaiter w{n, Channel<Unit>()};
    w.prev = tail_;
    if (tail_) tail_->next = &w;
    else head_ = &w;
    tail_ = &w;
    lk_.unlock();

    if (select(case_recv(w.ready), case_recv(done)) == 0) return {};

    std::vector<Channel<Unit>> wake;
    lk_.lock();
    if (w.granted) {
        // Granted just as the context ended: put the tokens back.
        cur_ -= n;
        notify_waiters_locked(wake);
    } else {
        const bool front = head_ == &w;
        if (w.prev) w.prev->next = w.next;
        else head_ = w.next;
        if (w.next) w.next->prev = w.prev;
        else tail_ = w.prev;
        if (front && size_ > cur_) notify_waiters_locked(wake);
    }
    lk_.unlock();
    for (auto& c : wake) c.close();
    return ctx.err();
}

bool Semaphore::try_acquire(std::int64_t n) {
    lk_.lock();
    const bool ok = size_ - cur_ >= n && !head_;
    if (ok) cur_ += n;
    lk_.unlock();
    return ok;
}

void Semaphore::release(std::int64_t n) {
    std::vector<Channel<Unit>> wake;
    lk_.lock();
    cur_ -= n;
    if (cur_ < 0) {
        cur_ += n;
        lk_.unlock();
        throw Panic("semaphore: released more than held");
    }
    notify_waiters_locked(wake);
    lk_.unlock();
    for (auto& c : wake) c.close();
}

}  // namespace gocxx::sync
