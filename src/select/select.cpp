// select: Go's selectgo, three passes, with a pass 0 in front.
//
//   0. Poll the cases in a random order, each under its own channel's lock
//      only, and complete the first that is ready (see there for why this
//      may choose only what pass 1 could have chosen).
//   1. Lock every channel involved (each once, in address order: two selects
//      over overlapping channels can never deadlock), then poll the cases in
//      a random order and complete the first that is ready.
//   2. None ready: with a default, unlock and take it. Otherwise enqueue one
//      Waiter per case, all sharing one SelectState, and park with a commit
//      that unlocks every channel. Holding all the locks until the commit
//      means no waker can see any of our waiters before we are parked.
//   3. Woken: the waker won SelectState::done (the CAS in WaitQueue::dequeue)
//      and recorded its waiter in `fired`; every other waker loses the CAS.
//      Lock everything again, unlink the losing waiters, unlock.
//
// Invariants: at most one case of a select completes; a value taken from a
// sender or handed to a receiver is moved exactly once, under the lock of
// its channel, by the party that dequeued the peer's waiter.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>

#include <gocxx/panic.hpp>
#include <gocxx/select.hpp>

#include "base/rand.hpp"
#include "chan/chan_core.hpp"

namespace gocxx::detail {

namespace {

thread_local std::uint64_t t_rng = 0;

std::uint32_t fastrandn(std::uint32_t n) noexcept {
    std::uint64_t& s = t_rng;
    if (s == 0) s = reinterpret_cast<std::uintptr_t>(&s) * 0x9E3779B97F4A7C15ULL | 1;
    return next_rand_n(s, n);
}

// The distinct channels of a select, sorted by address.
// The analysis cannot follow a set of locks taken in a loop: lock_all,
// unlock_all and select_cases are left out of it.
struct LockSet {
    ChanCore** chans;
    int n;
    void lock_all() noexcept GOCXX_NO_THREAD_SAFETY_ANALYSIS {
        for (int i = 0; i < n; ++i) chans[i]->lock.lock();
    }
    void unlock_all() noexcept GOCXX_NO_THREAD_SAFETY_ANALYSIS {
        for (int i = n; i-- > 0;) chans[i]->lock.unlock();
    }
};

void unlock_all_commit(void* ls) noexcept { static_cast<LockSet*>(ls)->unlock_all(); }

constexpr int kInline = 16;

// What try_case found.
enum class Tried {
    SendOnClosed,  // a send on a closed channel: the caller unlocks and panics
    NotReady,      // the case cannot proceed now
    ClosedRecv,    // a receive from a closed, drained channel (ok == false)
    Done,          // received or sent
};

// One case against its channel c (sc.c), whose lock the caller holds (Go's pass 1
// body). Ready (Done, ClosedRecv): completes it and sets *wake to the party to
// unpark once the caller has unlocked.
Tried try_case(ChanCore* c, const SelectCase& sc, Token* wake) noexcept GOCXX_REQUIRES(c->lock) {
    if (sc.is_send) {
        if (c->closed) return Tried::SendOnClosed;
        if (Waiter* w = c->recvq.dequeue()) {
            c->send_to_receiver(w, sc.elem);
            *wake = w->who;
            return Tried::Done;
        }
        if (c->n() < c->cap) {
            c->buf_put(sc.elem);
            return Tried::Done;
        }
        return Tried::NotReady;
    }
    if (Waiter* w = c->sendq.dequeue()) {
        c->recv_from_sender(w, sc.elem);
        *wake = w->who;
        return Tried::Done;
    }
    if (c->n() > 0) {
        c->buf_take(sc.elem);
        return Tried::Done;
    }
    return c->closed ? Tried::ClosedRecv : Tried::NotReady;
}

// A case try_case completed or found sending on a closed channel (anything
// but NotReady), its locks already released: wake the peer, or panic.
SelectResult finish_case(int i, Tried r, Token wake) {
    if (r == Tried::SendOnClosed) throw Panic("send on closed channel");
    if (wake) unpark(wake);
    return {i, r == Tried::Done};
}

}  // namespace

// Out of the analysis: pass 1 and 3 hold a LockSet, and pass 2's park commit
// releases it after the fiber switch.
SelectResult select_cases(SelectCase* cases, int n, bool has_default) GOCXX_NO_THREAD_SAFETY_ANALYSIS {
    std::unique_ptr<int[]> heap_order;
    std::unique_ptr<ChanCore*[]> heap_chans;
    std::unique_ptr<Waiter[]> heap_waiters;
    int order_inline[kInline];
    ChanCore* chans_inline[kInline];
    // Raw storage: the waiters are built in pass 2 only (most selects find a
    // case ready in pass 0 or 1, and zeroing 16 waiters each time cost more
    // than the rest of the select).
    alignas(Waiter) unsigned char waiters_inline[kInline * sizeof(Waiter)];
    static_assert(std::is_trivially_destructible_v<Waiter>);
    int* order = order_inline;
    ChanCore** chans = chans_inline;
    Waiter* waiters = reinterpret_cast<Waiter*>(waiters_inline);
    if (n > kInline) {
        heap_order.reset(new int[n]);
        heap_chans.reset(new ChanCore*[n]);
        heap_waiters.reset(new Waiter[n]);
        order = heap_order.get();
        chans = heap_chans.get();
        waiters = heap_waiters.get();
    }

    // Poll order: a uniform random permutation of the cases that have a
    // channel (nil-channel cases are never ready and never wait).
    int npoll = 0;
    for (int i = 0; i < n; ++i) {
        if (!cases[i].c) continue;
        const int j = static_cast<int>(fastrandn(static_cast<std::uint32_t>(npoll + 1)));
        order[npoll] = order[j];
        order[j] = i;
        ++npoll;
    }
    if (npoll == 0) {
        if (has_default) return {-1, false};
        park_forever(n == 0 ? WaitReason::SelectNoCases : WaitReason::Select);
    }

    // Pass 0: the cases one at a time, each under its own channel's lock
    // only, in the same random order. Most selects that complete at once do
    // so here with one lock instead of all of them; under contention that
    // is what keeps a select from holding four locks other cores wait for.
    // A case completed here is one pass 1 could have chosen (it was ready
    // under its lock, and the order is the same uniform permutation). What
    // pass 0 cannot decide is that *no* case is ready, which needs every
    // lock at once: that is left to pass 1.
    for (int k = 0; k < npoll; ++k) {
        const int i = order[k];
        ChanCore* c = cases[i].c;
        Token wake{};
        c->lock.lock();
        const Tried r = try_case(c, cases[i], &wake);
        c->lock.unlock();
        if (r != Tried::NotReady) return finish_case(i, r, wake);
    }
    if (npoll == 1 && has_default) return {-1, false};  // pass 1 would only repeat it

    int nchans = 0;
    for (int k = 0; k < npoll; ++k) chans[nchans++] = cases[order[k]].c;
    std::sort(chans, chans + nchans, std::less<ChanCore*>());
    nchans = static_cast<int>(std::unique(chans, chans + nchans) - chans);
    LockSet locks{chans, nchans};

    // Pass 1.
    locks.lock_all();
    for (int k = 0; k < npoll; ++k) {
        const int i = order[k];
        Token wake{};
        const Tried r = try_case(cases[i].c, cases[i], &wake);
        if (r != Tried::NotReady) {
            locks.unlock_all();
            return finish_case(i, r, wake);
        }
    }
    if (has_default) {
        locks.unlock_all();
        return {-1, false};
    }

    // Pass 2.
    SelectState state;
    const Token self = park_token();
    for (int k = 0; k < npoll; ++k) {
        const int i = order[k];
        Waiter& w = *::new (&waiters[k]) Waiter();
        w.who = self;
        w.elem = cases[i].elem;
        w.sel = &state;
        w.case_index = i;
        (cases[i].is_send ? cases[i].c->sendq : cases[i].c->recvq).push(&w);
    }
    park(self, unlock_all_commit, &locks, WaitReason::Select);

    // Pass 3.
    locks.lock_all();
    Waiter* fired = state.fired;
    for (int k = 0; k < npoll; ++k) {
        Waiter& w = waiters[k];
        if (&w == fired) continue;
        const int i = w.case_index;
        (cases[i].is_send ? cases[i].c->sendq : cases[i].c->recvq).remove(&w);
    }
    locks.unlock_all();
    if (cases[fired->case_index].is_send && !fired->success) throw Panic("send on closed channel");
    return {fired->case_index, fired->success};
}

// select(): its cases in argument order, the default's entry a placeholder.
// Out of line so that a select expands to two arrays and a call.
int select_records(SelectCase* sc, const CaseBody* bodies, int n_args, int default_index) {
    int n = n_args;
    if (default_index >= 0) {
        --n;
        for (int i = default_index; i < n; ++i) sc[i] = sc[i + 1];  // (a default is usually last)
    }
    const SelectResult r = select_cases(sc, n, default_index >= 0);
    int chosen = r.index;
    if (chosen < 0) chosen = default_index;
    else if (default_index >= 0 && chosen >= default_index) ++chosen;
    const CaseBody& b = bodies[chosen];
    if (b.fire) b.fire(b.self, r.received);
    return chosen;
}

}  // namespace gocxx::detail
