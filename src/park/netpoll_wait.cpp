#include "park/netpoll_wait.hpp"

#include <cstdio>
#include <cstdlib>

#include "park/park.hpp"

namespace gocxx::detail {

namespace {

[[noreturn]] void corrupted(const char* what) noexcept {
    std::fflush(stdout);
    std::fprintf(stderr, "fatal error: runtime: %s\n", what);
    std::_Exit(2);
}

struct WaitCommit {
    std::atomic<Token>* slot;
    Token self;
};

// Step 3: publish our Token in place of kWait, or, if the slot moved on
// (kReady, or kNil from a close or deadline), wake ourselves at once.
void publish_or_wake(void* arg) noexcept {
    auto* c = static_cast<WaitCommit*>(arg);
    Token expected = PollDesc::kWait;
    if (!c->slot->compare_exchange_strong(expected, c->self, std::memory_order_seq_cst)) unpark(c->self);
}

// Go's netpollblock: true when readiness woke us, false for a close, a
// deadline, or a spurious wake-up (the caller re-checks which).
bool block(PollDesc* pd, PollMode m) noexcept {
    std::atomic<Token>& slot = pd->slot(m);
    for (;;) {  // step 1
        Token t = PollDesc::kReady;
        if (slot.compare_exchange_strong(t, PollDesc::kNil, std::memory_order_seq_cst)) return true;
        t = PollDesc::kNil;
        if (slot.compare_exchange_strong(t, PollDesc::kWait, std::memory_order_seq_cst)) break;
        if (t != PollDesc::kReady) corrupted("double wait on one poll descriptor");
    }
    if (pd->check(m) == PollErr::None) {  // step 2
        WaitCommit c{&slot, park_token()};
        Netpoll::get().waiter_added();
        park(c.self, &publish_or_wake, &c, WaitReason::IOWait);
        Netpoll::get().waiter_removed();
    }
    const Token old = slot.exchange(PollDesc::kNil, std::memory_order_seq_cst);  // step 4
    if (old != PollDesc::kNil && old != PollDesc::kReady && old != PollDesc::kWait)
        corrupted("poll descriptor slot still holds a waiter");
    return old == PollDesc::kReady;
}

}  // namespace

PollErr poll_prepare(PollDesc* pd, PollMode m) noexcept {
    const PollErr e = pd->check(m);
    if (e != PollErr::None) return e;
    pd->slot(m).store(PollDesc::kNil, std::memory_order_seq_cst);
    return PollErr::None;
}

PollErr poll_wait(PollDesc* pd, PollMode m) noexcept {
    if (const PollErr e = pd->check(m); e != PollErr::None) return e;
    while (!block(pd, m)) {
        if (const PollErr e = pd->check(m); e != PollErr::None) return e;
    }
    return PollErr::None;
}

}  // namespace gocxx::detail
