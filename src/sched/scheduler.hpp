// The scheduler: M:N, Go's design cut down to what C++ needs.
//
// Workers are OS threads (Go's M and P in one). Each owns a LocalQueue; a
// GlobalQueue takes the rest. A worker looks for work in this order
// (find_runnable): it fires due timers, then takes from the global queue
// every 61st round (fairness), then runnext (at most kRunnextStreakMax times
// in a row), its ring, runnext again, the global queue, the network (a zero-
// timeout poll), then it *spins*: steals half of another worker's ring (and,
// on the last round, its runnext), re-checking the global queue and timers.
// Finding nothing, it goes idle and sleeps on its own Sema.
//
// Unlike Go, a thief takes a worker's queue only once that worker has run one
// goroutine for kStealAfterNs or has kStealNow queued (may_steal_from): a
// worker that keeps switching goroutines runs its own queue within
// microseconds, and splitting goroutines that talk to each other across cores
// only makes them fight over their channels (bench/ANALYSIS.md, "Figures
// behind the code": stealing). Such a queue is its owner's business: putting a goroutine there
// wakes nobody, and an idle worker sleeps rather than spin on it.
//
// Waking idle workers (why no work is stranded): whoever makes a goroutine
// runnable where others should take it (the global queue, a long ring; a new
// goroutine) calls wakep(), which wakes an idle worker only if none is spinning
// (a spinner will find the work) and marks it spinning on its behalf. A
// spinner that gives up decrements nspinning_ and then re-checks for work it
// may take (Dekker with wakep's fence: either the submitter sees nspinning_ ==
// 0 and an idle worker, and wakes it, or the spinner sees the work). A spinner
// that finds work and was the last spinner calls wakep() so the next runnable
// goroutine also finds someone looking. This is Go's protocol (proc.go). Work
// left in a short ring is run by its owner when the current goroutine yields
// its worker; if it never does, the monitor sees the worker stuck in one
// goroutine with a queue and wakes an idle worker, which may steal it once
// kStealAfterNs has passed.
//
// Timers: one idle worker at a time is the timer waiter and sleeps only until
// the earliest deadline; add_timer() posts it when the earliest moves up.
// Running workers fire due timers at every scheduling round.
//
// The network (sched/netpoll.hpp): while any party waits on a socket, the
// timer waiter sleeps in epoll instead of on its Sema (same deadline), and
// wake_worker() breaks that wait; a worker out of work polls once with a zero
// timeout before it spins, unless one already blocks in epoll; the monitor
// polls when nobody has for 10 ms.
//
// Blocking calls (Go's sysmon and syscall hand-off): a monitor thread
// watches the workers. One that has run the same goroutine for more than
// kBlockedAfter (off the CPU: a blocking call) or kComputeSlice (computing)
// while goroutines wait for a worker gets loans (Worker::loans): its queue
// goes to the global queue and that many more workers may run (extra_), up to
// the thread limit (set_max_threads; how many: monitor_main). When the covered worker comes
// back to the scheduler its loans end, and the workers with the highest ids
// retire at their next scheduling point. A worker runs only while
// id < target_ + extra_.
//
// Lock order: procs_mu_ > idle_mu_; a Timers lock and the GlobalQueue lock
// are leaves. No scheduler lock is held while a goroutine runs.
#pragma once
#include <atomic>
#include <ctime>
#include <cstdint>
#include <iosfwd>
#include <mutex>
#include <string>
#include <typeinfo>
#include <thread>

#include <gocxx/detail/lock.hpp>
#include <gocxx/detail/task.hpp>
#include <gocxx/detail/thread_annotations.hpp>

#include "base/fork.hpp"
#include "base/futex.hpp"
#include "base/os_mutex.hpp"
#include "fiber/switch.hpp"
#include "sched/g.hpp"
#include "sched/gpool.hpp"
#include "sched/runq.hpp"
#include "sched/timers.hpp"
#include "sched/wait_reason.hpp"

namespace gocxx::detail {

struct OverflowInfo;

inline constexpr int kMaxProcs = 256;  // the ceiling of gomaxprocs
// Slots for worker threads, lent ones included; the running limit is
// runtime::set_max_threads (Go's debug.SetMaxThreads, 10,000 by default),
// which counts the monitor too.
inline constexpr int kMaxWorkers = 1 << 20;
inline constexpr int kDefaultMaxThreads = 10000;
// A thief's memory of its victims (Worker::seen_*) is kept for this many
// worker ids, indexed modulo: a collision only delays one steal.
inline constexpr int kStealSeen = 256;

struct Worker {
    int id = 0;
    fctx_t sched_ctx = nullptr;  // the scheduler loop's context while a G runs on us
    SanFiber san;                // the thread's own stack
    struct OverflowInfo* overflow = nullptr;  // this thread's slot for the SIGSEGV handler
    G* cur = nullptr;            // the G running here (owner thread only)
    // This thread's exception state and errno (their addresses never change
    // for a thread): execute() swaps the running G's in and out of them.
    EhGlobals* eh = nullptr;
    int* errno_loc = nullptr;
    LocalQueue q;
    Sema sema;                   // idle sleep; posted by wakep / timers / gomaxprocs
    // Owner thread only:
    bool spinning = false;       // counted in Scheduler::nspinning_
    std::uint32_t tick = 0;
    std::uint32_t runnext_streak = 0;
    // Set while this worker fires timers: goroutines they wake queue in
    // deadline order (FIFO) instead of each taking runnext in turn.
    bool firing_timers = false;
    std::uint64_t rng = 0;
    // This worker's view of each other worker as a thief (owner thread only):
    // the victim's schedtick when last looked at, and since when (steady
    // clock ns; 0: never) it has stood at that value (may_steal_from).
    std::uint32_t seen_tick[kStealSeen] = {};
    std::int64_t seen_since[kStealSeen] = {};
    static constexpr int kStackCache = 32;
    Stack stack_cache[kStackCache];
    int nstack_cache = 0;
    GPool::LocalList gfree;      // free G records (owner thread only)
    // Guarded by Scheduler::idle_mu_ (a lock of another object: the analysis
    // cannot name it here; the functions that read them say REQUIRES):
    bool in_idle = false;
    Worker* idle_next = nullptr;
    // Set by the worker itself while retired (id >= gomaxprocs); read by gomaxprocs().
    std::atomic<bool> stopped{false};
    // True while this worker blocks in the netpoller (it is the timer
    // waiter): wake_worker() then breaks the poll as well as posting sema.
    std::atomic<bool> in_poll{false};
    // True while a goroutine runs here; read by the monitor and at exit.
    std::atomic<bool> in_g{false};
    // Goroutines run here so far (owner writes, the monitor reads): a worker
    // whose count stands still while in_g has not come back to the scheduler.
    std::atomic<std::uint32_t> schedtick{0};
    // Goroutines made and ended on this worker: written by the owner only
    // (no read-modify-write, so no cache line shared between workers per
    // goroutine), summed by num_goroutine().
    std::atomic<std::uint64_t> spawned{0};
    std::atomic<std::uint64_t> exited{0};
    // Workers the monitor (or runtime::blocking) lent to cover for this one;
    // all given back when it comes back to the scheduler (exchange: once).
    std::atomic<int> loans{0};
    // This thread's CPU-time clock: the monitor tells a worker blocked in the
    // kernel (its CPU time stands still) from one busy computing. Written by
    // start_worker before the worker is published; read by the monitor.
    clockid_t cpu_clock{};
    bool has_cpu_clock = false;
    // The thread's kernel id (0 until the thread has started): the monitor
    // reads its scheduling state (/proc/self/task/<tid>/stat) to tell a
    // thread asleep in the kernel from one that waits for a CPU.
    std::atomic<int> tid{0};
};

class Scheduler {
public:
    static Scheduler& get();
    // The scheduler if it has started, else null (never starts it).
    static Scheduler* if_started() noexcept { return g_self.load(std::memory_order_acquire); }

    void spawn(const TaskVTable& vt, void* obj);
    // Makes a parked G runnable (on this worker's runnext when called on a worker).
    void ready(G* g) noexcept;
    // Makes n parked Gs runnable at once, through the global queue (see
    // unpark_chain); n <= kReadyBatch.
    static constexpr std::size_t kReadyBatch = LocalQueue::kSize / 2;
    void ready_batch(G* const* gs, std::size_t n) noexcept;
    // Parks the running goroutine; commit(arg) runs on the worker after the
    // goroutine's context is saved. Returns once someone has readied it.
    void park(G* g, void (*commit)(void*), void* arg, WaitReason why) noexcept;
    void yield(G* g) noexcept;
    void add_timer(TimerNode* t);
    bool remove_timer(TimerNode* t) noexcept { return timers_.remove(t); }
    bool timer_armed(const TimerNode* t) noexcept { return timers_.contains(t); }

    // Somebody began to wait on the netpoller: make sure a worker polls
    // (the timer waiter moves into epoll, or an idle worker wakes to be it).
    void poller_needed() noexcept;

    int set_procs(int n);
    int set_max_threads(int n);
    // runtime::blocking: lend a worker now / end the loan.
    void enter_blocking() noexcept;
    void exit_blocking() noexcept;
    int procs() const noexcept { return target_.load(std::memory_order_relaxed); }
    long num_goroutine() const noexcept;

    // Diagnostics (src/park/diagnostics.cpp).
    void dump(std::ostream& os);
    [[noreturn]] void die_with_dump(const char* header) noexcept;
    // A plain thread is about to sleep in park(): a sleeping monitor re-runs
    // the deadlock test. After fork() (in the child) it is a fatal error. At
    // exit (a static destructor or atexit handler waiting on a goroutine) it
    // resumes the halted workers and returns true: the caller must call
    // exit_wait_done() once woken.
    bool thread_parked() noexcept;
    void exit_wait_done() noexcept { exit_waiters_.fetch_sub(1, std::memory_order_seq_cst); }
    // In the child of a fork(): nothing of the runtime's threads came along.
    // (base/fork.hpp: the lock asks too.)
    static bool forked() noexcept { return detail::forked(); }
    [[noreturn]] static void fatal_after_fork() noexcept { detail::fatal_after_fork(); }

private:
    Scheduler();
    static void worker_main(Worker* w);
    static void entry(transfer_t t);
    static void at_exit();

    G* new_g(Worker* w, const TaskVTable& vt, void* obj);
    void free_g(Worker* w, G* g) noexcept;
    bool start_g(Worker* w, G* g) noexcept;
    void retry_stack_waiters() noexcept;
    static void drop_closure(G* g) noexcept;
    void execute(Worker* w, G* g) noexcept;
    [[noreturn]] static void switch_out_final(G* g) noexcept;
    static void switch_out(G* g) noexcept;

    G* find_runnable(Worker* w);
    G* steal(Worker* w, bool take_runnext) noexcept;
    bool may_steal_from(Worker* w, int vi) noexcept;
    bool stealable_work(Worker* w) noexcept;  // in another worker's queue, for w
    bool work_for(Worker* w) noexcept;        // what w, about to sleep, could run now
    bool timer_due() const noexcept;
    G* take_global(Worker* w) noexcept;
    bool put_local(Worker* w, G* g, bool next) noexcept;  // true: others should come for it (see there)
    void check_timers() noexcept;
    // Runnable work anywhere (queues of the workers allowed to run, or of
    // every worker), or a timer due.
    bool work_available(bool every_worker = false) const noexcept;
    bool all_parked() const noexcept GOCXX_REQUIRES(idle_mu_);
    bool advance_virtual_clock() noexcept GOCXX_REQUIRES(idle_mu_);
    void wakep() noexcept;
    // Posts w's sema, and breaks its netpoll wait if it sits in one (Dekker
    // with poll_idle over in_poll and the sema's word).
    void wake_worker(Worker* w) noexcept;
    // The timer waiter's sleep while parties wait on the network: epoll
    // until the deadline (or forever), then the woken goroutines are queued.
    void poll_idle(Worker* w, bool timed, Clock::time_point deadline) noexcept;
    // Goroutines the netpoller woke: gs[0] is returned to run here, the
    // rest go to the global queue for every worker.
    G* take_polled(G** gs, int n) noexcept;
    void stop_spinning(Worker* w) noexcept;
    void idle(Worker* w) noexcept;
    void retire(Worker* w) noexcept;
    void start_worker(int id) GOCXX_REQUIRES(procs_mu_);
    int allowed() const noexcept {
        const int n = target_.load(std::memory_order_seq_cst) + extra_.load(std::memory_order_seq_cst);
        return n < kMaxWorkers ? n : kMaxWorkers;
    }
    // Every worker that may run is in the idle list. Counted by walking the
    // list (the monitor's, before it sleeps): nidle_ also counts a worker
    // beyond allowed() that went idle during a loan and has not retired yet,
    // and comparing it alone took a busy worker for an idle one.
    bool all_idle() noexcept;
    void lend_worker(Worker* w, int k) noexcept;  // w is stuck: move its queue, let k more run
    void end_loan(Worker* w) noexcept;
    void ensure_workers() noexcept GOCXX_REQUIRES(procs_mu_);  // start or wake workers up to allowed()
    void check_thread_limit(int threads) noexcept;  // fatal past set_max_threads
    void monitor_main();
    void monitor_sleep() noexcept;
    // The deadlock detector's test (see diagnostics.cpp): true when nothing
    // can move, with the counters that must stay put until the next test.
    struct DeadlockSnapshot {
        std::uint64_t thread_parks = 0;
        std::uint64_t sched_ticks = 0;
        int blocked_threads = 0;
        bool operator==(const DeadlockSnapshot&) const = default;
    };
    bool deadlock_snapshot(DeadlockSnapshot& out) noexcept;
    static void on_sigquit(int);
    static void install_sigquit() noexcept;
    static bool sigquit_pending() noexcept;

    std::atomic<int> target_{1};      // gomaxprocs
    std::atomic<int> extra_{0};       // workers lent behind blocked ones
    std::atomic<int> nworkers_{0};    // workers created (never shrinks)
    // kMaxWorkers slots, mapped (untouched pages cost nothing); each written
    // once under procs_mu_, before nworkers_ grows past it.
    Worker** workers_ = nullptr;
    std::atomic<int> max_threads_{kDefaultMaxThreads};
    OsMutex procs_mu_;  // held across thread creation: blocks rather than spins

    GlobalQueue global_;
    GPool gpool_;
    GlobalQueue stack_waiters_;              // Gs that found no stack to start on
    std::atomic<bool> stacks_short_{false};  // set when one did; go() then allocates eagerly
    Timers timers_;

    Lock idle_mu_ GOCXX_ACQUIRED_AFTER(procs_mu_);
    Worker* idle_head_ GOCXX_GUARDED_BY(idle_mu_) = nullptr;
    std::atomic<int> nidle_{0};
    std::atomic<int> nspinning_{0};
    std::atomic<Worker*> timer_waiter_{nullptr};
    std::atomic<int> npolling_{0};   // workers blocked in the netpoller (0 or 1)

    static inline std::atomic<Scheduler*> g_self{nullptr};  // for the SIGQUIT handler
    std::atomic<std::uint64_t> thread_spawned_{0};  // goroutines made by plain threads
    std::atomic<std::uint64_t> next_id_{1};
    // Exit (at_exit): workers and the monitor halt once main has returned,
    // as Go's do, unless a plain thread waits in gocxx meanwhile (a static
    // destructor flushing a logger through a channel): while exit_waiters_ >
    // 0 they run again. A halted thread sleeps on exit_resume_ (a futex
    // generation), which thread_parked bumps after raising exit_waiters_, so
    // a thread that read the old generation and saw no waiter cannot sleep
    // through the bump (the futex compares the word).
    std::atomic<bool> exiting_{false};
    std::atomic<int> exit_waiters_{0};
    std::atomic<std::uint32_t> exit_resume_{0};
    bool halted() const noexcept {
        return exiting_.load(std::memory_order_seq_cst) && exit_waiters_.load(std::memory_order_seq_cst) == 0;
    }
    void wait_while_halted() noexcept;
    // The monitor: started once (its thread may be refused, by RLIMIT_NPROC
    // for one; ensure_workers tries again).
    bool monitor_started_ GOCXX_GUARDED_BY(procs_mu_) = false;
    void start_monitor() noexcept GOCXX_REQUIRES(procs_mu_);

    Sema monitor_sema_;               // wakes the monitor from its deep sleep
    std::atomic<bool> monitor_sleeping_{false};
};

// The demangled name of a type ("unknown" for null), for panics and dumps.
std::string type_name(const std::type_info* t);

// runtime::set_deadlock_detection / GOCXX_DEADLOCK_DETECTOR (diagnostics.cpp).
bool deadlock_detection_enabled() noexcept;

// The goroutine running on this thread, or null on a plain thread. Never
// inlined: a goroutine may move between threads across a park, and a cached
// thread-local address would then belong to the old thread.
G* current_g() noexcept;

}  // namespace gocxx::detail
