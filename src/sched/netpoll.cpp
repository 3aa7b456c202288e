// The netpoller's epoll side: registration, readiness, deadlines, the poll.
// The waiting side (a party parking on a slot) is park/netpoll_wait.cpp.
#include "sched/netpoll.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "base/futex.hpp"
#include "sched/scheduler.hpp"

namespace gocxx::detail {

Token poll_unblock(PollDesc* pd, PollMode m, bool io) noexcept {
    std::atomic<Token>& slot = pd->slot(m);
    for (;;) {
        Token old = slot.load(std::memory_order_seq_cst);
        if (old == PollDesc::kReady) return 0;             // already noted
        if (old == PollDesc::kNil && !io) return 0;        // nothing to clear
        const Token next = io ? PollDesc::kReady : PollDesc::kNil;
        if (slot.compare_exchange_weak(old, next, std::memory_order_seq_cst)) {
            // kWait: the waiter's commit CAS now fails and it wakes itself.
            return old == PollDesc::kWait || old == PollDesc::kNil ? 0 : old;
        }
    }
}

Netpoll& Netpoll::get() {
    static Netpoll* self = [] {
        auto* np = new Netpoll();  // leaked, as the scheduler is
        g_self.store(np, std::memory_order_release);
        return np;
    }();
    return *self;
}

Netpoll::Netpoll() {
    // As Go 1.19 does at start-up: the soft limit on open files up to the
    // hard one (a server or a client with thousands of connections would
    // otherwise stop at 1,024).
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &rl);
    }
    epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
    evfd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    // Grow the kernel's descriptor table once, now, to what the limit allows
    // (at most 64k entries, 512 KiB): each doubling of it in a process with
    // several threads waits for an RCU grace period inside socket() and
    // accept(), and a burst of dials then held 260-700 worker threads asleep
    // there, which the monitor took for blocked calls and covered with loans
    // (bench/ANALYSIS.md, http_client_1000).
    if (evfd_ >= 0 && ::getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        const rlim_t top = std::min<rlim_t>(rl.rlim_cur, 65536);
        if (top > 1024) {
            const int hi = ::fcntl(evfd_, F_DUPFD_CLOEXEC, static_cast<int>(top) - 1);
            if (hi >= 0) ::close(hi);
        }
    }
    if (epfd_ < 0 || evfd_ < 0) {
        std::fprintf(stderr, "runtime: netpollinit failed: %s\nfatal error: runtime: netpollinit failed\n",
                     std::strerror(errno));
        std::_Exit(2);
    }
    epoll_event ev{};
    ev.events = EPOLLIN;  // level-triggered: a write before the wait still breaks it
    ev.data.ptr = nullptr;
    if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, evfd_, &ev) != 0) {
        std::fprintf(stderr, "fatal error: runtime: netpollinit failed to register the eventfd\n");
        std::_Exit(2);
    }
}

PollDesc* Netpoll::open(int fd) noexcept {
    pool_mu_.lock();
    PollDesc* pd = free_;
    if (pd) free_ = pd->next_free;
    pool_mu_.unlock();
    if (!pd) {
        pd = new (std::nothrow) PollDesc();
        if (!pd) {
            errno = ENOMEM;
            return nullptr;
        }
        for (PollMode m : {PollMode::Read, PollMode::Write}) {
            pd->timer(m).pd = pd;
            pd->timer(m).mode = m;
            pd->timer(m).node.fn = &Netpoll::on_deadline;
        }
    }
    pd->fd = fd;
    pd->rd.store(0, std::memory_order_relaxed);
    pd->wd.store(0, std::memory_order_relaxed);
    pd->closing.store(false, std::memory_order_seq_cst);
    // Last, with release: a poller whose event names pd reads a slot first
    // (seq_cst), so it sees pd built (epoll_ctl orders it for the hardware;
    // ThreadSanitizer sees only this).
    pd->rg.store(PollDesc::kNil, std::memory_order_release);
    pd->wg.store(PollDesc::kNil, std::memory_order_release);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.ptr = pd;
    if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
        const int e = errno;
        pool_mu_.lock();
        pd->next_free = free_;
        free_ = pd;
        pool_mu_.unlock();
        errno = e;
        return nullptr;
    }
    return pd;
}

namespace {
void wake_token(Token t) noexcept {
    if (t == 0) return;
    if ((t & 1) == 0) Scheduler::get().ready(reinterpret_cast<G*>(t));
    else wake_thread_token(t);
}
}  // namespace

void Netpoll::evict(PollDesc* pd) noexcept {
    pd->lock.lock();
    pd->closing.store(true, std::memory_order_seq_cst);
    Scheduler::get().remove_timer(&pd->rtimer.node);
    Scheduler::get().remove_timer(&pd->wtimer.node);
    pd->lock.unlock();
    wake_token(poll_unblock(pd, PollMode::Read, false));
    wake_token(poll_unblock(pd, PollMode::Write, false));
}

void Netpoll::close(PollDesc* pd) noexcept {
    epoll_event ev{};
    ::epoll_ctl(epfd_, EPOLL_CTL_DEL, pd->fd, &ev);
    pd->lock.lock();
    Scheduler::get().remove_timer(&pd->rtimer.node);
    Scheduler::get().remove_timer(&pd->wtimer.node);
    pd->rd.store(0, std::memory_order_relaxed);
    pd->wd.store(0, std::memory_order_relaxed);
    pd->fd = -1;
    pd->lock.unlock();
    pool_mu_.lock();
    pd->next_free = free_;
    free_ = pd;
    pool_mu_.unlock();
}

void Netpoll::set_deadline(PollDesc* pd, PollMode m, std::int64_t when_ns) noexcept {
    bool expire = false;
    pd->lock.lock();
    DeadlineTimer& t = pd->timer(m);
    Scheduler::get().remove_timer(&t.node);
    if (when_ns == 0) {
        pd->deadline(m).store(0, std::memory_order_seq_cst);
    } else if (when_ns <= to_ns(clock_now())) {
        pd->deadline(m).store(PollDesc::kExpired, std::memory_order_seq_cst);
        expire = true;
    } else {
        pd->deadline(m).store(when_ns, std::memory_order_seq_cst);
        t.node.when = Clock::time_point(std::chrono::nanoseconds(when_ns));
        Scheduler::get().add_timer(&t.node);
    }
    pd->lock.unlock();
    if (expire) wake_token(poll_unblock(pd, m, false));
}

// A deadline timer fired. It may be stale: the deadline moved later (then it
// is not due yet), was cleared, or the PollDesc was closed and reused: only
// a deadline in force and due now expires.
void Netpoll::on_deadline(TimerNode* n) noexcept {
    auto* t = reinterpret_cast<DeadlineTimer*>(n);
    PollDesc* pd = t->pd;
    bool expire = false;
    pd->lock.lock();
    auto& d = pd->deadline(t->mode);
    const std::int64_t when = d.load(std::memory_order_relaxed);
    if (when > 0 && to_ns(clock_now()) >= when) {
        d.store(PollDesc::kExpired, std::memory_order_seq_cst);
        expire = true;
    }
    pd->lock.unlock();
    if (expire) wake_token(poll_unblock(pd, t->mode, false));
}

void Netpoll::waiter_added() noexcept {
    waiters_.fetch_add(1, std::memory_order_seq_cst);
    Scheduler::get().poller_needed();
}

void Netpoll::wake() noexcept {
    if (wake_pending_.exchange(true, std::memory_order_acq_rel)) return;
    const std::uint64_t one = 1;
    (void)!::write(evfd_, &one, sizeof one);
}

int Netpoll::poll(std::int64_t timeout_ns, G** gs, int cap) noexcept {
    constexpr int kMaxEvents = 128;
    epoll_event evs[kMaxEvents];
    int max = cap / 2;  // each event may wake a reader and a writer
    if (max > kMaxEvents) max = kMaxEvents;
    if (max < 1) max = 1;
    int n;
    if (timeout_ns < 0) {
        n = ::epoll_wait(epfd_, evs, max, -1);
    } else {
        timespec ts{static_cast<time_t>(timeout_ns / 1000000000), static_cast<long>(timeout_ns % 1000000000)};
        n = ::epoll_pwait2(epfd_, evs, max, &ts, nullptr);
        if (n < 0 && errno == ENOSYS) {  // a kernel before 5.11: millisecond timeouts, rounded up
            n = ::epoll_wait(epfd_, evs, max, static_cast<int>((timeout_ns + 999999) / 1000000));
        }
    }
    last_poll_.store(to_ns(Clock::now()), std::memory_order_relaxed);
    int ng = 0;
    for (int i = 0; i < n; ++i) {
        auto* pd = static_cast<PollDesc*>(evs[i].data.ptr);
        if (!pd) {
            // The eventfd: a wake(), meant for the worker blocked in epoll.
            // Only a blocking poll drains it (it is level-triggered): a
            // zero-timeout poll elsewhere must not swallow the blocked
            // worker's wake-up.
            if (timeout_ns != 0) {
                std::uint64_t v;
                (void)!::read(evfd_, &v, sizeof v);
                wake_pending_.store(false, std::memory_order_release);
            }
            continue;
        }
        const std::uint32_t e = evs[i].events;
        Token woken[2] = {0, 0};
        if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) woken[0] = poll_unblock(pd, PollMode::Read, true);
        if (e & (EPOLLOUT | EPOLLHUP | EPOLLERR)) woken[1] = poll_unblock(pd, PollMode::Write, true);
        for (Token t : woken) {
            if (t == 0) continue;
            if ((t & 1) == 0) gs[ng++] = reinterpret_cast<G*>(t);
            else wake_thread_token(t);
        }
    }
    return ng;
}

}  // namespace gocxx::detail
