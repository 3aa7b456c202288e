// The netpoller (Go's runtime/netpoll.go and netpoll_epoll.go): goroutines
// that wait for a socket park on it instead of holding a thread.
//
// One epoll instance per process. Each socket gets a PollDesc, registered
// once, edge-triggered, for reading and writing. The PollDesc has two waiter
// slots, `rg` (read) and `wg` (write), each holding
//   kNil   nobody waits and no readiness is noted,
//   kReady readiness arrived that nobody has consumed yet,
//   kWait  a party is on its way to park (between its EAGAIN and its park),
//   or the waiting party's Token (a G*, or a thread's parker tagged with 1).
// Tokens never equal kNil, kReady or kWait (a G is 64-byte aligned; a thread
// token is odd), so one word says it all.
//
// Invariants:
//   - At most one party waits per slot: the net layer serialises readers and
//     writers of one socket (its read and write locks), as Go's fdMutex does.
//   - A slot moves kNil -> kWait only by its waiter (park/netpoll_wait.cpp),
//     kWait -> Token only by that waiter's park commit (a CAS: if the slot
//     changed meanwhile the commit wakes the waiter itself), and anything ->
//     kReady / kNil by unblock() (readiness, close, a deadline), which returns
//     the Token it displaced: whoever gets a Token wakes it, exactly once.
//   - A PollDesc is never freed (pooled, as Go's pollCache is): a deadline
//     timer or a stale epoll event may still name it after its socket closed.
//     Both are harmless: a stale readiness costs a spurious wake-up (the
//     operation retries and gets EAGAIN), and a deadline timer checks the
//     deadline it fires for is still the one in force (see on_deadline).
//
// Who polls (no poller thread): the idle worker that waits for the next timer
// (Scheduler::timer_waiter_) blocks in epoll_pwait2 until that timer while
// any party waits on the network; a worker that runs out of work polls with a
// zero timeout before it spins; the monitor polls when nobody has for 10 ms
// (Go's sysmon). Waking a worker that sits in epoll writes to an eventfd.
//
// Lock order: PollDesc::lock > the Timers lock and the scheduler's locks
// (set_deadline arms a timer under it).
#pragma once
#include <atomic>
#include <cstdint>

#include <gocxx/detail/lock.hpp>
#include <gocxx/detail/waiter.hpp>  // Token

#include "sched/timers.hpp"

namespace gocxx::detail {

struct G;

enum class PollMode : std::uint8_t { Read, Write };

// What a wait (or a check before one) found: go ahead, the socket is being
// closed, or the deadline of that direction has passed.
enum class PollErr : std::uint8_t { None, Closing, Timeout };

struct PollDesc;

// A deadline's timer: the node first, so the timer callback finds the rest.
struct DeadlineTimer {
    TimerNode node;
    PollDesc* pd = nullptr;
    PollMode mode = PollMode::Read;
};

struct PollDesc {
    static constexpr Token kNil = 0;
    static constexpr Token kReady = 2;
    static constexpr Token kWait = 4;

    std::atomic<Token> rg{kNil};
    std::atomic<Token> wg{kNil};
    int fd = -1;  // the socket; set by open(), read by the poller's events
    // Set once by evict() (the socket is closing); read without the lock by
    // waiters after they publish kWait (seq_cst: see netpoll_wait.cpp).
    std::atomic<bool> closing{false};
    // Deadlines in the runtime clock's ns: 0 none, kExpired passed, else
    // when. Written under `lock`; read without it by waiters (seq_cst).
    static constexpr std::int64_t kExpired = -1;
    std::atomic<std::int64_t> rd{0};
    std::atomic<std::int64_t> wd{0};
    Lock lock;             // guards the deadline timers' arming and the writes of rd/wd
    DeadlineTimer rtimer;  // the read deadline's timer (fires on_deadline)
    DeadlineTimer wtimer;
    PollDesc* next_free = nullptr;  // guarded by the pool's lock

    std::atomic<Token>& slot(PollMode m) noexcept { return m == PollMode::Read ? rg : wg; }
    std::atomic<std::int64_t>& deadline(PollMode m) noexcept { return m == PollMode::Read ? rd : wd; }
    DeadlineTimer& timer(PollMode m) noexcept { return m == PollMode::Read ? rtimer : wtimer; }

    // Closing first, then the direction's deadline (Go's netpollcheckerr).
    PollErr check(PollMode m) const noexcept {
        if (closing.load(std::memory_order_seq_cst)) return PollErr::Closing;
        const auto& d = m == PollMode::Read ? rd : wd;
        if (d.load(std::memory_order_seq_cst) == kExpired) return PollErr::Timeout;
        return PollErr::None;
    }
};

// Go's netpollunblock: records readiness (io) or clears the slot (a close or
// deadline); returns the Token of the party that waited there, which the
// caller must wake, or 0.
Token poll_unblock(PollDesc* pd, PollMode m, bool io) noexcept;

class Netpoll {
public:
    // Made at the first socket (a program without one has no epoll fd).
    static Netpoll& get();
    // The netpoller if a socket was ever opened, else null (the scheduler's
    // checks cost nothing in a program without sockets).
    static Netpoll* if_inited() noexcept { return g_self.load(std::memory_order_acquire); }

    // Registers fd (non-blocking, a socket or pipe) for edge-triggered
    // readiness. Returns null with errno set when epoll refuses it.
    PollDesc* open(int fd) noexcept;
    // The socket is closing: both waiters wake with PollErr::Closing, and
    // every later wait fails at once.
    void evict(PollDesc* pd) noexcept;
    // Unregisters (call before closing the fd) and returns pd to the pool.
    void close(PollDesc* pd) noexcept;
    // Sets a direction's deadline (runtime clock ns; 0 clears; a time not
    // after now expires it at once, waking its waiter with Timeout).
    void set_deadline(PollDesc* pd, PollMode m, std::int64_t when_ns) noexcept;

    // Parties parked (or on their way to park) on any PollDesc: while
    // nonzero somebody must poll, the deadlock detector stays quiet and the
    // virtual clock does not jump.
    int waiters() const noexcept { return waiters_.load(std::memory_order_seq_cst); }
    void waiter_added() noexcept;  // see there: makes sure somebody polls
    void waiter_removed() noexcept { waiters_.fetch_sub(1, std::memory_order_seq_cst); }

    // Collects the parties that readiness woke: goroutines into gs (at most
    // cap; the rest of the events stay in epoll for the next poll), threads
    // woken at once. timeout_ns: 0 polls, < 0 blocks until an event or
    // wake(). Returns the number of goroutines in gs.
    int poll(std::int64_t timeout_ns, G** gs, int cap) noexcept;
    // Breaks a blocking poll (an eventfd write; several coalesce).
    void wake() noexcept;
    // Steady-clock ns of the last poll that returned (the monitor's rule).
    std::int64_t last_poll_ns() const noexcept { return last_poll_.load(std::memory_order_relaxed); }

private:
    Netpoll();
    static void on_deadline(TimerNode* n) noexcept;

    static inline std::atomic<Netpoll*> g_self{nullptr};
    int epfd_ = -1;
    int evfd_ = -1;
    std::atomic<bool> wake_pending_{false};
    std::atomic<int> waiters_{0};
    std::atomic<std::int64_t> last_poll_{0};
    Lock pool_mu_;
    PollDesc* free_ GOCXX_GUARDED_BY(pool_mu_) = nullptr;
};

}  // namespace gocxx::detail
