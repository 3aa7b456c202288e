#include "sched/scheduler.hpp"

#include "base/rand.hpp"
#include "fiber/overflow.hpp"
#include "sched/netpoll.hpp"
#include "sched/panic.hpp"

#include <cxxabi.h>
#include <pthread.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <system_error>
#include <typeinfo>
#include <vector>

#include <gocxx/panic.hpp>
#include <gocxx/runtime.hpp>

#ifdef GOCXX_ASAN
#include <sanitizer/lsan_interface.h>
#endif

namespace gocxx::detail {

namespace {

// initial-exec: read on every park and wake, and in a shared library the
// default model calls __tls_get_addr each time (5% of an unbuffered send).
// The library is linked, not dlopen'ed late, so static TLS has room for them.
#define GOCXX_TLS_IE __attribute__((tls_model("initial-exec")))
thread_local GOCXX_TLS_IE Worker* t_worker = nullptr;  // this thread's worker, if it is one
thread_local GOCXX_TLS_IE G* t_g = nullptr;            // the goroutine running on this thread

__attribute__((noinline)) Worker* current_worker() noexcept {
    asm volatile("" ::: "memory");
    return t_worker;
}

// Spinning: rounds of stealing attempts before a worker sleeps. A futex wake
// costs tens of microseconds on a virtual machine, so a worker that spins a
// little while the other hands work back and forth is much cheaper.
constexpr int kSpinRounds = 48;
constexpr int kPausesPerRound = 64;
constexpr std::uint32_t kRunnextStreakMax = 128;  // fairness for the ring under runnext ping-pong
// Stealing (may_steal_from): from a worker stuck in one goroutine this long,
// or with this many goroutines queued.
constexpr std::int64_t kStealAfterNs = 100000;
constexpr std::uint32_t kStealNow = 32;

char* align_down(char* p, std::size_t a) noexcept {
    return reinterpret_cast<char*>(reinterpret_cast<std::uintptr_t>(p) & ~(static_cast<std::uintptr_t>(a) - 1));
}

}  // namespace

std::string type_name(const std::type_info* t) {
    if (!t) return "unknown";
    int status = 0;
    char* d = abi::__cxa_demangle(t->name(), nullptr, nullptr, &status);
    std::string s = status == 0 && d ? d : t->name();
    std::free(d);
    return s;
}

G* current_g() noexcept {
    asm volatile("" ::: "memory");
    return t_g;
}

Scheduler& Scheduler::get() {
    // Leaked on purpose: goroutines may still be parked or running when the
    // process exits, and must never see the scheduler destroyed.
    static Scheduler* s = new Scheduler();
    return *s;
}

Scheduler::Scheduler() {
    void* slots = ::mmap(nullptr, sizeof(Worker*) * kMaxWorkers, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (slots == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "gocxx: cannot map the worker table");
    workers_ = static_cast<Worker**>(slots);
    int n = static_cast<int>(std::thread::hardware_concurrency());
    if (const char* env = std::getenv("GOMAXPROCS")) {
        // A positive integer; anything else is a clear error (Go ignores a
        // bad value silently, which hides typos).
        char* end = nullptr;
        errno = 0;
        const long v = std::strtol(env, &end, 10);
        if (end == env || *end != '\0' || errno != 0 || v < 1) {
            std::fflush(stdout);
            std::fprintf(stderr, "gocxx: GOMAXPROCS=%s: not a positive integer\n", env);
            std::_Exit(2);
        }
        n = v > kMaxProcs ? kMaxProcs : static_cast<int>(v);
    }
    if (n < 1) n = 1;
    if (n > kMaxProcs) n = kMaxProcs;
    target_.store(n);
    std::atexit(&Scheduler::at_exit);
    LockGuard<OsMutex> g(procs_mu_);
    for (int i = 0; i < n; ++i) {
        try {
            start_worker(i);
        } catch (...) {
            if (i == 0) throw;  // no worker at all: go() reports it
            target_.store(i);   // run with the threads we could get
            break;
        }
    }
    start_monitor();
    g_self.store(this, std::memory_order_release);
    ::pthread_atfork(nullptr, nullptr, [] { g_forked.store(true, std::memory_order_relaxed); });
    install_sigquit();
}

void Scheduler::start_worker(int id) {
    Worker* w = new Worker();
    w->id = id;
    w->rng = 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(id + 1);
    workers_[id] = w;
    try {
        std::thread t(&Scheduler::worker_main, w);
        // Set here, before nworkers_ publishes w, for the monitor to read.
        w->has_cpu_clock = pthread_getcpuclockid(t.native_handle(), &w->cpu_clock) == 0;
        t.detach();
    } catch (...) {
        workers_[id] = nullptr;
        delete w;
        throw;
    }
    // Counted only once its thread exists (the deadlock detector counts
    // threads); the slot was written first, so readers of nworkers_ find it.
    nworkers_.store(id + 1, std::memory_order_release);
}

// At exit the process ends, as Go's does when main returns: workers stop
// taking goroutines, parked ones are never resumed, nothing is destroyed. We
// give running goroutines a moment to reach a scheduling point so that static
// destructors do not run under their feet, then let exit proceed.
void Scheduler::at_exit() {
    // A forked child's exit: the parent's workers are not here to wait for
    // (their CPU clocks cannot be read either).
    if (forked()) return;
    Scheduler& s = get();
    s.exiting_.store(true, std::memory_order_seq_cst);
    Worker* self = current_worker();
    // Running goroutines get up to 100 ms to reach a scheduling point (and
    // halt) before static destructors run under them. A goroutine asleep in
    // the kernel (read(2), runtime::blocking) is not worth waiting for: its
    // worker's CPU clock stands still. One whose clock has not moved for
    // kStill is let go (Go exits at once; a blocked read held exit up for
    // the whole 100 ms).
    using namespace std::chrono;
    constexpr auto kStill = milliseconds(3);
    struct Probe {
        std::int64_t cpu = -1;
        steady_clock::time_point moved{};
    };
    std::vector<Probe> probes;
    try {
        probes.resize(static_cast<std::size_t>(s.nworkers_.load(std::memory_order_acquire)));
    } catch (...) {
    }
    auto busy = [&] {
        const auto now = steady_clock::now();
        const int n = s.nworkers_.load(std::memory_order_acquire);
        bool any = false;
        for (int i = 0; i < n; ++i) {
            Worker* w = s.workers_[i];
            if (w == self || !w->in_g.load(std::memory_order_seq_cst)) continue;
            if (static_cast<std::size_t>(i) < probes.size() && w->has_cpu_clock) {
                timespec ts;
                if (::clock_gettime(w->cpu_clock, &ts) == 0) {
                    const std::int64_t cpu = static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
                    Probe& p = probes[static_cast<std::size_t>(i)];
                    if (cpu != p.cpu) p = Probe{cpu, now};
                    if (now - p.moved >= kStill) continue;  // in the kernel
                }
            }
            any = true;
        }
        return any;
    };
    auto deadline = steady_clock::now() + milliseconds(100);
    while (busy() && steady_clock::now() < deadline) std::this_thread::sleep_for(microseconds(200));
#ifdef GOCXX_ASAN
    // LeakSanitizer's exit check scans thread stacks, not goroutine stacks. A
    // goroutine still alive at exit (parked, or woken but not yet run, as Go
    // leaves them) may hold the only pointer to an object, in its frames: a
    // false leak report. Its used stack, from the saved context (or from here,
    // for the goroutine that is exiting the process) to the top, becomes a
    // root region for that check.
    s.gpool_.for_each(
        [](G* g, void* self) {
            if (g->status.load(std::memory_order_relaxed) == G::Status::Dead || !g->stack.base) return;
            const char* lo = static_cast<const char*>(g == self ? __builtin_frame_address(0) : g->ctx);
            const char* top = g->stack.top();
            if (lo && lo > g->stack.bottom() && lo < top) __lsan_register_root_region(lo, static_cast<std::size_t>(top - lo));
        },
        current_g());
#endif
}

void Scheduler::worker_main(Worker* w) {
    t_worker = w;
    w->tid.store(static_cast<int>(::gettid()), std::memory_order_relaxed);
    w->eh = reinterpret_cast<EhGlobals*>(abi::__cxa_get_globals());
    w->errno_loc = &errno;
    w->overflow = overflow_thread_init();
    san_thread_init(&w->san);
#ifdef GOCXX_ASAN
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        void* addr = nullptr;
        std::size_t size = 0;
        pthread_attr_getstack(&attr, &addr, &size);
        w->san.stack_bottom = addr;
        w->san.stack_size = size;
        pthread_attr_destroy(&attr);
    }
#endif
    Scheduler& s = get();
    for (;;) {
        G* g = s.find_runnable(w);
        s.execute(w, g);
    }
}

// ---- goroutine lifecycle -------------------------------------------------

G* Scheduler::new_g(Worker* w, const TaskVTable& vt, void* obj) {
    G* g = nullptr;
    try {
        g = gpool_.get(w ? &w->gfree : nullptr);
    } catch (const std::bad_alloc&) {
        throw std::system_error(ENOMEM, std::generic_category(), "gocxx: cannot allocate a goroutine");
    }
    g->vt = &vt;
    g->ctx = nullptr;
    g->stack = Stack{};
    g->stack.size = configured_stack_size();
    const std::size_t align = vt.align < 16 ? 16 : vt.align;
    try {
        if (vt.size <= G::kClosureSize && vt.align <= 16) {
            vt.move_to(g->closure, obj);
            g->obj = g->closure;
            g->obj_on_heap = false;
        } else {
            void* mem = ::operator new(vt.size, std::align_val_t(align));
            try {
                vt.move_to(mem, obj);
            } catch (...) {
                ::operator delete(mem, std::align_val_t(align));
                throw;
            }
            g->obj = mem;
            g->obj_on_heap = true;
        }
    } catch (...) {
        gpool_.put(w ? &w->gfree : nullptr, g);
        throw;
    }
    if (stacks_short_.load(std::memory_order_relaxed)) {
        // A goroutine could not get a stack lately: take this one's now, so
        // that running out is the caller's exception, not a goroutine stuck.
        try {
            g->stack = stack_alloc(g->stack.size);
        } catch (...) {
            drop_closure(g);
            gpool_.put(w ? &w->gfree : nullptr, g);
            throw;  // std::system_error: "gocxx: cannot allocate a goroutine stack ..."
        }
        stacks_short_.store(false, std::memory_order_relaxed);
    }
    g->eh = EhGlobals{};
    g->saved_errno = 0;
    g->blocking_depth = 0;
    g->id.store(next_id_.fetch_add(1, std::memory_order_relaxed), std::memory_order_relaxed);
    g->fn_type.store(vt.type, std::memory_order_relaxed);
    g->status.store(G::Status::Runnable, std::memory_order_relaxed);
    return g;
}

void Scheduler::drop_closure(G* g) noexcept {
    g->vt->destroy(g->obj);
    if (g->obj_on_heap)
        ::operator delete(g->obj, std::align_val_t(g->vt->align < 16 ? 16 : g->vt->align));
    g->obj = nullptr;
}

// A goroutine's first run: give it a stack (this worker's warm one if it has
// one) and a context at the stack's top. On failure (no memory) the G waits
// in stack_waiters_ until some goroutine ends and frees a stack, and go()
// takes stacks eagerly meanwhile, so callers see the shortage as an error.
bool Scheduler::start_g(Worker* w, G* g) noexcept {
    if (!g->stack.base) {
        const std::size_t size = g->stack.size;
        if (w->nstack_cache == 0 || w->stack_cache[w->nstack_cache - 1].size != size) {
            // Refill the cache from the pool, half of it under one lock (a
            // stale size at the top means set_stack_size changed: drop them).
            if (w->nstack_cache != 0) stack_free_batch(w->stack_cache, static_cast<std::size_t>(w->nstack_cache));
            w->nstack_cache = static_cast<int>(stack_take_pooled(size, w->stack_cache, Worker::kStackCache / 2));
        }
        if (w->nstack_cache > 0) {
            g->stack = w->stack_cache[--w->nstack_cache];
        } else {
            try {
                g->stack = stack_alloc(g->stack.size);
            } catch (...) {
                stacks_short_.store(true, std::memory_order_relaxed);
                stack_waiters_.push(g);
                return false;
            }
        }
    }
    const Stack& st = g->stack;
#ifdef GOCXX_ASAN
    // A reused stack still carries the poisoned redzones of its last frames.
    ASAN_UNPOISON_MEMORY_REGION(st.bottom(), st.size);
#endif
    char* sp = align_down(st.top(), 64);
    char* bottom = st.bottom();
    g->ctx = bctx::make_fcontext(sp, static_cast<std::size_t>(sp - bottom), &Scheduler::entry);
    g->san.stack_bottom = bottom;
    g->san.stack_size = static_cast<std::size_t>(sp - bottom);
    san_fiber_create(&g->san);
    return true;
}

void Scheduler::free_g(Worker* w, G* g) noexcept {
    const Stack st = g->stack;
    san_fiber_destroy(&g->san);
    g->stack = Stack{};
    g->ctx = nullptr;
    g->status.store(G::Status::Dead, std::memory_order_relaxed);
    if (stacks_short_.load(std::memory_order_relaxed)) {
        // Stacks are short: this one goes where every thread can take it. In
        // this worker's cache a go() from elsewhere (a plain thread, another
        // worker) would miss it, map a new one, fail and throw, while this
        // worker sat on up to kStackCache free stacks (a process at its
        // RLIMIT_AS may hold few enough stacks, 1.25 MiB each with the guard,
        // for all of them to sit in caches).
        stack_free_batch(&st, 1);
    } else {
        if (w->nstack_cache == Worker::kStackCache) {  // full: half of it to the pool, under one lock
            constexpr int kHalf = Worker::kStackCache / 2;
            stack_free_batch(w->stack_cache + kHalf, kHalf);
            w->nstack_cache = kHalf;
        }
        w->stack_cache[w->nstack_cache++] = st;
    }
    gpool_.put(&w->gfree, g);
    w->exited.store(w->exited.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    if (stack_waiters_.size() != 0) retry_stack_waiters();  // a stack is free
}

// The goroutines that found no stack try again (moved to the global queue).
// Called when a stack is freed, and by the monitor each round: a free that
// raced with the push into stack_waiters_ must not strand anyone.
void Scheduler::retry_stack_waiters() noexcept {
    G* batch[LocalQueue::kSize / 2];
    bool moved = false;
    while (std::size_t n = stack_waiters_.pop(batch, LocalQueue::kSize / 2)) {
        global_.push_batch(batch, n);
        moved = true;
    }
    if (moved) wakep();
}

void Scheduler::spawn(const TaskVTable& vt, void* obj) {
    if (forked()) fatal_after_fork();
    Worker* w = current_worker();
    G* g = new_g(w, vt, obj);
    // Counted before anyone can run it (release: see num_goroutine).
    if (w) w->spawned.store(w->spawned.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    else thread_spawned_.fetch_add(1, std::memory_order_release);
    // Like Go's newproc: the new goroutine goes to runnext, so a spawner that
    // then blocks hands its worker straight to it.
    if (w) put_local(w, g, true);
    else global_.push(g);
    wakep();
}

// Made minus ended, with every `exited` read before any `spawned`: a
// goroutine whose end we count was made before it ended (its count was
// stored with release before it could run), so its making is counted too and
// the difference never goes below the goroutines that exist. Workers are
// re-read for the second sum: a goroutine made on a newer worker is seen.
long Scheduler::num_goroutine() const noexcept {
    std::uint64_t ended = 0, made = 0;
    int n = nworkers_.load(std::memory_order_acquire);
    for (int i = 0; i < n; ++i) ended += workers_[i]->exited.load(std::memory_order_acquire);
    made = thread_spawned_.load(std::memory_order_acquire);
    n = nworkers_.load(std::memory_order_acquire);
    for (int i = 0; i < n; ++i) made += workers_[i]->spawned.load(std::memory_order_acquire);
    return static_cast<long>(made - ended);
}

void Scheduler::entry(transfer_t t) {
    Worker* w = static_cast<Worker*>(t.data);
    w->sched_ctx = t.fctx;
    G* g = w->cur;
    san_after_switch(&g->san, nullptr);
    try {
        g->vt->invoke(g->obj);
    } catch (...) {
        panic_exit(g->id.load(std::memory_order_relaxed), std::current_exception());
    }
    drop_closure(g);
    switch_out_final(g);
}

// ---- switching -----------------------------------------------------------

void Scheduler::switch_out(G* g) noexcept {
    Worker* w = g->worker;
    san_before_switch(&g->san, &w->san, false);
    transfer_t t = bctx::jump_fcontext(w->sched_ctx, nullptr);
    // Resumed, perhaps by another worker: learn which one from the transfer,
    // never from a thread-local read before the switch.
    Worker* nw = static_cast<Worker*>(t.data);
    nw->sched_ctx = t.fctx;
    san_after_switch(&g->san, nullptr);
}

void Scheduler::switch_out_final(G* g) noexcept {
    g->action = G::Action::Exit;
    Worker* w = g->worker;
    san_before_switch(&g->san, &w->san, true);
    bctx::jump_fcontext(w->sched_ctx, nullptr);
    __builtin_unreachable();
}

void Scheduler::execute(Worker* w, G* g) noexcept {
    if (!g->ctx && !start_g(w, g)) return;
    w->cur = g;
    g->worker = w;
    t_g = g;
    w->overflow->guard = g->stack.guarded ? g->stack.base : nullptr;
    w->overflow->guard_size = g->stack.guard();
    w->overflow->stack_size = g->stack.size;
    w->overflow->goid = g->id.load(std::memory_order_relaxed);
    g->status.store(G::Status::Running, std::memory_order_relaxed);
    w->schedtick.store(w->schedtick.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    w->in_g.store(true, std::memory_order_relaxed);
    // The goroutine's exception state and errno go with it (libstdc++ and
    // libc keep them per thread; the scheduler loop itself is never inside a
    // catch block, so the thread's own state here is empty and not saved).
    *w->eh = g->eh;
    *w->errno_loc = g->saved_errno;
    san_before_switch(&w->san, &g->san, false);
    transfer_t t = bctx::jump_fcontext(g->ctx, w);
    san_after_switch(&w->san, nullptr);
    g->eh = *w->eh;
    g->saved_errno = *w->errno_loc;
    *w->eh = EhGlobals{};
    w->in_g.store(false, std::memory_order_release);
    if (w->loans.load(std::memory_order_relaxed) != 0) end_loan(w);
    t_g = nullptr;
    w->cur = nullptr;
    g->ctx = t.fctx;  // saved before any commit: only now may anyone ready g
    switch (g->action) {
        case G::Action::Park:
            g->commit(g->commit_arg);  // g may be running elsewhere from here on
            break;
        case G::Action::Yield:
            global_.push(g);
            break;
        case G::Action::Exit:
            free_g(w, g);
            break;
    }
}

void Scheduler::park(G* g, void (*commit)(void*), void* arg, WaitReason why) noexcept {
    if (forked()) fatal_after_fork();  // no worker would ever run g again
    // Stamped before the switch: once commit runs, g belongs to its waker.
    g->wait_reason.store(static_cast<std::uint8_t>(why), std::memory_order_relaxed);
    g->wait_since.store(coarse_now_ns(), std::memory_order_relaxed);
    g->status.store(G::Status::Waiting, std::memory_order_relaxed);
    g->action = G::Action::Park;
    g->commit = commit;
    g->commit_arg = arg;
    switch_out(g);
}

void Scheduler::yield(G* g) noexcept {
    if (forked()) fatal_after_fork();
    g->status.store(G::Status::Runnable, std::memory_order_relaxed);
    g->action = G::Action::Yield;
    switch_out(g);
}

// ---- run queues ----------------------------------------------------------

void Scheduler::ready(G* g) noexcept {
    g->status.store(G::Status::Runnable, std::memory_order_relaxed);
    Worker* w = current_worker();
    if (!w) {
        global_.push(g);
        wakep();
        return;
    }
    // A goroutine that went to our queue runs here as soon as the current
    // one parks, which in a hand-off (ping-pong, a consumer woken by its
    // producer) is at once: waking another worker for it only splits the pair
    // across two cores (bench/ANALYSIS.md, "Figures behind the code":
    // waking for runnext), and thieves leave such a queue alone anyway
    // (may_steal_from). Only work others may take at once (a long queue, or
    // the global queue) calls for a wake. If the current goroutine keeps
    // running instead, the monitor wakes an idle worker within a poll or two
    // (monitor_main), which steals once this one counts as stuck.
    if (put_local(w, g, !w->firing_timers)) wakep();
}

void Scheduler::ready_batch(G* const* gs, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) gs[i]->status.store(G::Status::Runnable, std::memory_order_relaxed);
    global_.push_batch(gs, n);
    wakep();
}

// True when g (or the goroutine it displaced from runnext) went where an
// idle worker should come for it now: the global queue, or a ring of
// kStealNow or more, which thieves take at once.
bool Scheduler::put_local(Worker* w, G* g, bool next) noexcept {
    if (next) {
        g = w->q.runnext.exchange(g, std::memory_order_acq_rel);
        if (!g) return false;
    }
    if (w->q.push(g)) return w->q.size() >= kStealNow;
    // Ring full: move half of it and g to the global queue in one batch.
    G* batch[LocalQueue::kSize / 2 + 1];
    std::uint32_t n = w->q.pop_half(batch);
    batch[n++] = g;
    global_.push_batch(batch, n);
    return true;
}

G* Scheduler::take_global(Worker* w) noexcept {
    // Share by the workers allowed to run now, lent ones included: a worker
    // lent for a blocked one must not take the whole queue and block on it.
    const int procs = allowed();
    std::size_t max = global_.size() / static_cast<std::size_t>(procs) + 1;
    if (max > LocalQueue::kSize / 2) max = LocalQueue::kSize / 2;
    G* batch[LocalQueue::kSize / 2];
    std::size_t n = global_.pop(batch, max);
    if (n == 0) return nullptr;
    // The pop walked each G's first line (G::next), so its saved context's
    // address is at hand: start loading the top of each parked goroutine's
    // stack now (the saved registers and the frames it parked in, 4 lines),
    // ahead of the switches. 100,000 woken at once: those cache and TLB
    // misses, taken one at a time at each switch, were 40% of running them;
    // prefetched here, GOMAXPROCS=1 ~880 -> ~670 ns per goroutine (1 line:
    // ~860; 2: ~760; 6: ~700; the G's waiter line as well: ~740).
    for (std::size_t i = 0; i < n; ++i) {
        const char* c = static_cast<const char*>(batch[i]->ctx);
        if (!c) continue;  // not started yet: its stack is taken warm
        for (int k = 0; k < 4; ++k) __builtin_prefetch(c + 64 * k);
    }
    for (std::size_t i = 1; i < n; ++i) put_local(w, batch[i], false);  // overflows to global
    return batch[0];
}

// When a thief may take another worker's queue. Only when that worker has
// run the same goroutine for kStealAfterNs (or lets kStealNow pile up): a
// worker that keeps switching goroutines gets to its queue within
// microseconds, and a thief that took it would only split goroutines that
// talk to each other across two cores, where every channel operation moves
// cache lines between them (bench/ANALYSIS.md, "Figures behind the code":
// stealing). The price: goroutines that each
// compute for less than kStealAfterNs between channel operations, fewer than
// kStealNow of them, share one worker where Go would use two.
bool Scheduler::may_steal_from(Worker* w, int vi) noexcept {
    Worker* v = workers_[vi];
    if (v->q.size() >= kStealNow) return true;
    const std::uint32_t tick = v->schedtick.load(std::memory_order_relaxed);
    const std::int64_t now = to_ns(Clock::now());
    const int slot = vi % kStealSeen;
    if (tick != w->seen_tick[slot] || w->seen_since[slot] == 0) {
        w->seen_tick[slot] = tick;
        w->seen_since[slot] = now;
        return false;
    }
    return now - w->seen_since[slot] >= kStealAfterNs;
}

// Is there anything in another worker's queue w may take now?
bool Scheduler::stealable_work(Worker* w) noexcept {
    const int n = nworkers_.load(std::memory_order_acquire);
    const int procs = allowed();
    for (int i = 0; i < n && i < procs; ++i)
        if (workers_[i] != w && !workers_[i]->q.empty() && may_steal_from(w, i)) return true;
    return false;
}

G* Scheduler::steal(Worker* w, bool take_runnext) noexcept {
    const int n = nworkers_.load(std::memory_order_acquire);
    const int procs = allowed();
    const int limit = n < procs ? n : procs;
    if (limit <= 1) return nullptr;
    const int start = static_cast<int>(next_rand(w->rng) % static_cast<std::uint64_t>(limit));
    G* batch[LocalQueue::kSize / 2];
    for (int i = 0; i < limit; ++i) {
        const int vi = (start + i) % limit;
        Worker* v = workers_[vi];
        if (v == w) continue;
        if (v->q.empty() || !may_steal_from(w, vi)) continue;
        std::uint32_t got = v->q.grab(batch, take_runnext);
        if (got == 0) continue;
        for (std::uint32_t k = 1; k < got; ++k) put_local(w, batch[k], false);
        return batch[0];
    }
    return nullptr;
}

void Scheduler::check_timers() noexcept {
    const std::int64_t next = timers_.next_ns();
    if (next == Timers::kNone) return;
    const auto now = clock_now();
    if (to_ns(now) < next) return;
    Worker* w = current_worker();
    w->firing_timers = true;
    timers_.run_expired(now);
    w->firing_timers = false;
}

// The virtual clock's rule: when the last worker parks (goes
// idle, or retires), and nothing is runnable anywhere, the next timer is due.
// Both ways of parking call this, so whichever is last does the advance.
bool Scheduler::advance_virtual_clock() noexcept {
    if (!all_parked() || work_available(true)) return false;
    // A party waiting on the network can still be woken: time stands still.
    if (Netpoll* np = Netpoll::if_inited(); np && np->waiters() > 0) return false;
    const std::int64_t next = timers_.next_ns();
    if (next == Timers::kNone) return false;
    clock_advance_to(next);
    return true;
}

// Every worker ever started is idle or retired: no goroutine
// runs, and none is on its way between queues (a retiring worker counts as
// stopped only once it has handed its queue over).
bool Scheduler::all_parked() const noexcept {
    const int n = nworkers_.load(std::memory_order_acquire);
    for (int i = 0; i < n; ++i)
        if (!workers_[i]->in_idle && !workers_[i]->stopped.load(std::memory_order_seq_cst)) return false;
    return true;
}

bool Scheduler::work_available(bool every_worker) const noexcept {
    if (global_.size() != 0) return true;
    const int n = nworkers_.load(std::memory_order_acquire);
    const int procs = every_worker ? n : allowed();
    for (int i = 0; i < n && i < procs; ++i)
        if (!workers_[i]->q.empty()) return true;
    return timer_due();
}

bool Scheduler::work_for(Worker* w) noexcept {
    return global_.size() != 0 || !w->q.empty() || stealable_work(w) || timer_due();
}

bool Scheduler::timer_due() const noexcept {
    const std::int64_t next = timers_.next_ns();
    return next != Timers::kNone && to_ns(clock_now()) >= next;
}

bool Scheduler::all_idle() noexcept {
    const int a = allowed();
    const int n = nworkers_.load(std::memory_order_seq_cst);
    const int may_run = a < n ? a : n;
    int idle = 0;
    idle_mu_.lock();
    for (Worker* w = idle_head_; w; w = w->idle_next)
        if (w->id < may_run) ++idle;
    idle_mu_.unlock();
    return idle >= may_run;
}

void Scheduler::wakep() noexcept {
    store_load_barrier();
    if (monitor_sleeping_.load(std::memory_order_relaxed)) monitor_sema_.post();
    if (nspinning_.load(std::memory_order_seq_cst) != 0 || nidle_.load(std::memory_order_seq_cst) == 0) return;
    int zero = 0;
    if (!nspinning_.compare_exchange_strong(zero, 1, std::memory_order_seq_cst)) return;
    idle_mu_.lock();
    Worker* w = idle_head_;
    if (w) {
        idle_head_ = w->idle_next;
        w->in_idle = false;  // tells w it was woken as a spinner (counted above)
        nidle_.fetch_sub(1, std::memory_order_seq_cst);
    }
    idle_mu_.unlock();
    if (!w) {
        nspinning_.fetch_sub(1, std::memory_order_seq_cst);
        return;
    }
    wake_worker(w);
}

void Scheduler::wake_worker(Worker* w) noexcept {
    w->sema.post();
    store_load_barrier();
    if (w->in_poll.load(std::memory_order_seq_cst))
        if (Netpoll* np = Netpoll::if_inited()) np->wake();
}

void Scheduler::poller_needed() noexcept {
    if (npolling_.load(std::memory_order_seq_cst) != 0) return;  // it gets the events
    if (Worker* tw = timer_waiter_.load(std::memory_order_seq_cst)) wake_worker(tw);  // re-enters idle, polls
    else wakep();  // an idle worker comes, finds no work, and becomes the poller
}

void Scheduler::poll_idle(Worker* w, bool timed, Clock::time_point deadline) noexcept {
    Netpoll& np = *Netpoll::if_inited();
    w->in_poll.store(true, std::memory_order_seq_cst);
    npolling_.fetch_add(1, std::memory_order_seq_cst);
    store_load_barrier();
    G* gs[kReadyBatch];
    int n = 0;
    if (!w->sema.try_wait()) {  // no post since we published in_poll: sleep in epoll
        std::int64_t timeout = -1;
        if (timed) {
            timeout = to_ns(deadline) - to_ns(Clock::now());
            if (timeout < 0) timeout = 0;
        }
        n = np.poll(timeout, gs, static_cast<int>(kReadyBatch));
    }
    npolling_.fetch_sub(1, std::memory_order_seq_cst);
    w->in_poll.store(false, std::memory_order_seq_cst);
    if (n > 0) ready(take_polled(gs, n));  // onto our runnext: we run it next
}

G* Scheduler::take_polled(G** gs, int n) noexcept {
    if (n > 1) ready_batch(gs + 1, static_cast<std::size_t>(n - 1));
    gs[0]->status.store(G::Status::Runnable, std::memory_order_relaxed);
    return gs[0];
}

void Scheduler::stop_spinning(Worker* w) noexcept {
    if (!w->spinning) return;
    w->spinning = false;
    // The last spinner to find work wakes another, so that the next
    // goroutine made runnable also finds someone looking (Go's resetspinning).
    if (nspinning_.fetch_sub(1, std::memory_order_seq_cst) == 1) wakep();
}

void Scheduler::idle(Worker* w) noexcept {
    idle_mu_.lock();
    w->in_idle = true;
    w->idle_next = idle_head_;
    idle_head_ = w;
    nidle_.fetch_add(1, std::memory_order_seq_cst);
    idle_mu_.unlock();
    if (w->spinning) {
        w->spinning = false;
        nspinning_.fetch_sub(1, std::memory_order_seq_cst);
    }
    store_load_barrier();
    // Re-check after publishing ourselves idle: a submitter that ran before it
    // could see us idle may have seen nspinning_ > 0 and woken nobody. Work
    // in another worker's queue that we may not steal yet is not ours: its
    // owner runs it, or, if the owner gets stuck, the monitor wakes us.
    if (!work_for(w) && !halted() && w->id < allowed()) {
        bool timed = false, poll = false;
        Clock::time_point deadline{};
        Netpoll* const np = Netpoll::if_inited();
        // While a party waits on the network, virtual time stands still and
        // the timer waiter polls (forever, under the virtual clock).
        const bool net = np && np->waiters() > 0;
        if (virtual_clock() && !net) {
            // Every worker idle and nothing runnable: in virtual time the next
            // timer is due now. Decided under idle_mu_: a worker leaves the idle
            // list (under idle_mu_) before it fires that timer, so no second
            // worker can advance past it while its goroutine is still runnable.
            idle_mu_.lock();
            const bool advanced = advance_virtual_clock();
            idle_mu_.unlock();
            if (!advanced) w->sema.wait();  // virtual deadlines mean nothing to a futex
        } else if (timers_.pending() || net) {
            Worker* none = nullptr;
            if (timer_waiter_.compare_exchange_strong(none, w, std::memory_order_seq_cst)) {
                store_load_barrier();
                const std::int64_t next = timers_.next_ns();
                if (next != Timers::kNone && !virtual_clock()) {
                    timed = true;
                    deadline = Clock::time_point(std::chrono::nanoseconds(next));
                }
                // Re-read after becoming the timer waiter: poller_needed()
                // wakes the timer waiter, so a wait that began before this
                // read is seen here or wakes us.
                poll = np && np->waiters() > 0;
            }
        }
        if (!virtual_clock() || net) {
            if (poll) poll_idle(w, timed, deadline);
            else if (!timed || Clock::now() < deadline) w->sema.wait(timed, deadline);
            Worker* self = w;
            timer_waiter_.compare_exchange_strong(self, nullptr, std::memory_order_seq_cst);
        }
    }
    idle_mu_.lock();
    if (w->in_idle) {  // timeout, a timer post, or we left on our own: take ourselves off
        Worker** p = &idle_head_;
        while (*p != w) p = &(*p)->idle_next;
        *p = w->idle_next;
        w->in_idle = false;
        nidle_.fetch_sub(1, std::memory_order_seq_cst);
    } else {
        w->spinning = true;  // wakep() took us off the list and counted us spinning
    }
    idle_mu_.unlock();
}

void Scheduler::retire(Worker* w) noexcept {
    // Hand everything we hold to the global queue, then let someone else at it.
    if (G* g = w->q.runnext.exchange(nullptr, std::memory_order_acq_rel)) global_.push(g);
    while (G* g = w->q.pop()) global_.push(g);
    if (w->spinning) {
        w->spinning = false;
        nspinning_.fetch_sub(1, std::memory_order_seq_cst);
    }
    wakep();
    w->stopped.store(true, std::memory_order_seq_cst);
    if (virtual_clock()) {
        // We may be the last to park: then time moves, and an idle worker
        // must wake up to fire the timer (we no longer run anything).
        idle_mu_.lock();
        const bool advanced = advance_virtual_clock();
        Worker* idle = advanced ? idle_head_ : nullptr;
        idle_mu_.unlock();
        if (idle) wake_worker(idle);  // it leaves the idle list itself (in_idle)
    }
    while (w->id >= allowed() && !halted()) w->sema.wait();
    w->stopped.store(false, std::memory_order_seq_cst);
}

G* Scheduler::find_runnable(Worker* w) {
    for (;;) {
        if (exiting_.load(std::memory_order_relaxed)) wait_while_halted();  // the process is ending
        if (w->id >= allowed()) {
            retire(w);
            continue;
        }
        check_timers();
        G* g = nullptr;
        if (++w->tick % 61 == 0 && (g = take_global(w))) goto found;
        if (w->runnext_streak < kRunnextStreakMax && (g = w->q.runnext.exchange(nullptr, std::memory_order_acq_rel))) {
            ++w->runnext_streak;
            goto found;
        }
        w->runnext_streak = 0;
        if ((g = w->q.pop())) goto found;
        if ((g = w->q.runnext.exchange(nullptr, std::memory_order_acq_rel))) goto found;
        if ((g = take_global(w))) goto found;
        // The network, before stealing (Go's findrunnable), unless a worker
        // blocks in epoll already and gets the events itself.
        if (Netpoll* np = Netpoll::if_inited(); np && np->waiters() > 0 && npolling_.load(std::memory_order_relaxed) == 0) {
            G* gs[kReadyBatch];
            if (const int n = np->poll(0, gs, static_cast<int>(kReadyBatch))) {
                g = take_polled(gs, n);
                goto found;
            }
        }

        // Spin: look for work elsewhere before paying for a sleep. Go caps the
        // spinners at half the busy workers, so an idle machine stays idle.
        if (!w->spinning) {
            const int busy = allowed() - nidle_.load(std::memory_order_relaxed);
            if (2 * nspinning_.load(std::memory_order_relaxed) < busy) {
                w->spinning = true;
                nspinning_.fetch_add(1, std::memory_order_seq_cst);
            }
        }
        if (w->spinning) {
            for (int round = 0; round < kSpinRounds; ++round) {
                if ((g = steal(w, round == kSpinRounds - 1))) goto found;
                if ((g = take_global(w))) goto found;
                check_timers();
                if ((g = w->q.runnext.exchange(nullptr, std::memory_order_acq_rel)) || (g = w->q.pop()))
                    goto found;
                for (int k = 0; k < kPausesPerRound; ++k) cpu_relax();
            }
        }
        idle(w);
        continue;
    found:
        stop_spinning(w);
        return g;
    }
}

// ---- timers and procs ----------------------------------------------------

void Scheduler::add_timer(TimerNode* t) {
    if (!timers_.add(t)) return;
    // t is the new earliest: whoever sleeps on timers must shorten its wait.
    store_load_barrier();
    if (Worker* tw = timer_waiter_.load(std::memory_order_seq_cst)) wake_worker(tw);
    else wakep();
}

int Scheduler::set_procs(int n) {
    if (n > kMaxProcs) n = kMaxProcs;
    LockGuard<OsMutex> guard(procs_mu_);
    const int old = target_.load();
    if (n <= 0 || n == old) return old;
    target_.store(n, std::memory_order_seq_cst);
    ensure_workers();
    // Workers beyond the new count may be asleep in the idle list: wake them
    // so that they retire (a stale token only costs a spurious wake-up).
    const int created = nworkers_.load();
    for (int i = allowed(); i < created; ++i) wake_worker(workers_[i]);
    return old;
}

// Go's checkmcount: more threads than the limit is a fatal error, not a
// wait (goroutines blocked in calls may be waiting for the one that is not
// started: a silent hang otherwise).
void Scheduler::check_thread_limit(int threads) noexcept {
    const int max = max_threads_.load(std::memory_order_relaxed);
    if (threads <= max) return;
    char header[128];
    std::snprintf(header, sizeof header, "runtime: program exceeds %d-thread limit\nfatal error: thread exhaustion", max);
    die_with_dump(header);
}

int Scheduler::set_max_threads(int n) {
    LockGuard<OsMutex> guard(procs_mu_);
    if (n < 1) n = 1;
    if (n > kMaxWorkers + 1) n = kMaxWorkers + 1;
    const int old = max_threads_.exchange(n, std::memory_order_relaxed);
    check_thread_limit(nworkers_.load() + 1);  // the workers and the monitor
    return old;
}

// Without a monitor the runtime still runs (no preemption, no lending for
// calls that block unannounced, no deadlock report), so a refused thread is
// not fatal: the next ensure_workers tries again.
void Scheduler::start_monitor() noexcept {
    if (monitor_started_) return;
    try {
        std::thread([this] { monitor_main(); }).detach();
        monitor_started_ = true;
    } catch (...) {
    }
}

void Scheduler::ensure_workers() noexcept {
    start_monitor();
    const int want = allowed();
    const int created = nworkers_.load();
    for (int i = 0; i < created && i < want; ++i)
        if (workers_[i]->stopped.load(std::memory_order_seq_cst)) workers_[i]->sema.post();
    if (want > created) check_thread_limit(want + 1);  // + the monitor
    for (int i = created; i < want; ++i) {
        try {
            start_worker(i);
        } catch (...) {
            break;  // no thread to be had: run with the workers we have
        }
    }
}

void Scheduler::lend_worker(Worker* w, int k) noexcept {
    const int room = kMaxWorkers - allowed();
    if (k > room) k = room;
    if (k <= 0) return;
    // Counted before the loan is visible: the worker may come back and end
    // it at once, and must never take back more than was added.
    extra_.fetch_add(k, std::memory_order_seq_cst);
    int none = 0;
    if (!w->loans.compare_exchange_strong(none, k, std::memory_order_acq_rel)) {  // covered already
        extra_.fetch_sub(k, std::memory_order_seq_cst);
        return;
    }
    // The stuck worker cannot run its queue: hand it to the global queue
    // (grab is safe from any thread; only the owner pushes).
    G* batch[LocalQueue::kSize / 2];
    for (;;) {
        std::uint32_t n = w->q.grab(batch, true);
        if (n == 0) break;
        global_.push_batch(batch, n);
    }
    {
        LockGuard<OsMutex> guard(procs_mu_);
        ensure_workers();
    }
    wakep();
}

void Scheduler::end_loan(Worker* w) noexcept {
    if (const int k = w->loans.exchange(0, std::memory_order_acq_rel)) extra_.fetch_sub(k, std::memory_order_seq_cst);
}

// Nested calls count on the goroutine: only the outermost lends and ends the
// loan (an inner one ending it would leave the outer call uncovered).
void Scheduler::enter_blocking() noexcept {
    if (Worker* w = current_worker(); w && w->cur && w->cur->blocking_depth++ == 0) lend_worker(w, 1);
}

void Scheduler::exit_blocking() noexcept {
    // Re-read the worker: if the call parked inside, we may be elsewhere now,
    // and the worker we left ended its loan when it got the switch back.
    if (Worker* w = current_worker(); w && w->cur && --w->cur->blocking_depth == 0) end_loan(w);
}

// The monitor's deep sleep, until wakep() (or a parking thread, or SIGQUIT)
// posts it. The deadlock detector runs here: nothing runs, so this is the only
// time a deadlock can be. A snapshot that holds twice, 100 ms apart, with the
// same counters, is a deadlock (diagnostics.cpp). Between tests the sleep
// backs off to a second, so an idle process costs about nothing.
void Scheduler::monitor_sleep() noexcept {
    using namespace std::chrono;
    DeadlockSnapshot prev;
    bool have_prev = false;
    auto backoff = milliseconds(10);
    for (;;) {
        if (sigquit_pending()) die_with_dump("SIGQUIT: quit");
        if (halted()) return;
        DeadlockSnapshot cur;
        const bool candidate = deadlock_snapshot(cur);
        if (candidate && have_prev && cur == prev) die_with_dump("fatal error: all goroutines are asleep - deadlock!");
        have_prev = candidate;
        prev = cur;
        auto wait = candidate ? milliseconds(100) : backoff;
        if (!candidate) backoff = std::min<milliseconds>(backoff * 2, milliseconds(1000));
        // Never past the next timer: a goroutine that began a blocking call
        // after we went to sleep (no wakep since) may hold the worker that
        // would fire it, and then only the monitor can lend one.
        const std::int64_t next = timers_.next_ns();
        const bool timed = next != Timers::kNone || deadlock_detection_enabled();
        auto deadline = Clock::now() + wait;
        if (next != Timers::kNone && !virtual_clock()) {
            const auto t = Clock::time_point(nanoseconds(next)) + milliseconds(1);
            if (!deadlock_detection_enabled() || t < deadline) deadline = t;
        }
        if (monitor_sema_.wait(timed, deadline)) return;
        if (timer_due()) return;  // back to polling: is a worker held?
        // A worker woke on its own (a timer it waited for, the network) and
        // runs something: back to polling, in case that computes while a
        // goroutine it readied waits behind it.
        if (!all_idle()) return;
    }
}

bool Scheduler::thread_parked() noexcept {
    if (forked()) fatal_after_fork();
    bool at_exit = false;
    if (exiting_.load(std::memory_order_seq_cst)) {
        exit_waiters_.fetch_add(1, std::memory_order_seq_cst);
        exit_resume_.fetch_add(1, std::memory_order_seq_cst);
        futex_wake(&exit_resume_, INT32_MAX);
        at_exit = true;
    }
    if (monitor_sleeping_.load(std::memory_order_seq_cst)) monitor_sema_.post();
    return at_exit;
}

void Scheduler::wait_while_halted() noexcept {
    for (;;) {
        const std::uint32_t gen = exit_resume_.load(std::memory_order_seq_cst);
        if (!halted()) return;
        futex_wait(&exit_resume_, gen);
    }
}

namespace {
// A worker's thread CPU time so far (ns), or 0 if its clock is unknown.
std::int64_t thread_cpu_ns(const Worker* w) noexcept {
    timespec ts;
    if (!w->has_cpu_clock || ::clock_gettime(w->cpu_clock, &ts) != 0) return 0;
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Whether a worker's thread sleeps in the kernel now (state S or D in
// /proc/self/task/<tid>/stat), as opposed to running or waiting for a CPU
// (R). A thread whose CPU clock stood still may only have been preempted
// (a loaded machine, more threads than CPUs): a loan for it made one more
// thread to preempt (bench/ANALYSIS.md, "Figures behind the code": lending
// for sleeping threads only).
// Unknown (no tid yet, no /proc): asleep, as before this check.
bool thread_asleep(const Worker* w) noexcept {
    const int tid = w->tid.load(std::memory_order_relaxed);
    if (tid == 0) return true;
    char path[48];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return true;
    char buf[512];
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0) return true;
    buf[n] = '\0';
    // "tid (comm) S ...": the state follows the last ')' (comm may hold one).
    const char* p = std::strrchr(buf, ')');
    if (!p || p[1] != ' ') return true;
    return p[2] != 'R';
}
}  // namespace

// The monitor (Go's sysmon). Polls every 20 us while it finds work to do,
// backing off to 10 ms; with no goroutine running and nothing queued it
// sleeps until wakep() posts it.
void Scheduler::monitor_main() {
    using namespace std::chrono;
    constexpr auto kBlockedAfter = microseconds(50);
    constexpr auto kComputeSlice = milliseconds(10);
    // Per worker (grown as workers are made; the monitor's own):
    struct Seen {
        std::uint32_t last_tick = 0;
        Clock::time_point since{};
        // CPU time of the worker's thread when its goroutine was first seen
        // running across a poll (a syscall each, so only for goroutines that
        // run that long).
        bool cpu_marked = false;
        std::int64_t cpu_since = 0;
        Clock::time_point cpu_mark{};
        bool stuck = false;
        bool in_kernel = false;
    };
    std::vector<Seen> seen(kMaxProcs);
    auto delay = microseconds(20);
    int quiet_rounds = 0;
    std::uint64_t global_pops = 0, last_global_pops = 0;  // global_.pops() this poll and the last
    for (;;) {
        std::this_thread::sleep_for(delay);
        if (halted()) wait_while_halted();
        if (sigquit_pending()) die_with_dump("SIGQUIT: quit");
        stack_trim(256);  // a burst's stacks, once nobody takes them any more
        if (stack_waiters_.size() != 0) retry_stack_waiters();
        const auto now = Clock::now();
        last_global_pops = global_pops;
        global_pops = global_.pops();
        const int n = nworkers_.load(std::memory_order_acquire);
        bool any_running = false, acted = false;  // acted: lent or woke a worker this round
        // Go's sysmon: poll the network when nobody has for 10 ms (every
        // worker busy, none out of work to poll on its way).
        if (Netpoll* np = Netpoll::if_inited(); np && np->waiters() > 0 && npolling_.load() == 0 &&
                                                to_ns(now) - np->last_poll_ns() > 10000000) {
            G* gs[kReadyBatch];
            if (const int k = np->poll(0, gs, static_cast<int>(kReadyBatch))) {
                ready_batch(gs, static_cast<std::size_t>(k));
                acted = true;
            }
        }
        // Pass 1: which workers are stuck in one goroutine, and how many of
        // those sit blocked in the kernel rather than computing.
        int nstuck_blocked = 0;
        // Grown ahead in steps (room for kMaxProcs at start): the monitor
        // must keep running when memory runs out, so a failed growth only
        // leaves the newest workers unwatched until it succeeds.
        if (seen.size() < static_cast<std::size_t>(n)) {
            try {
                seen.resize(std::max<std::size_t>(static_cast<std::size_t>(n), seen.size() * 2));
            } catch (const std::bad_alloc&) {
            }
        }
        const int watched = std::min(n, static_cast<int>(seen.size()));
        for (int i = 0; i < watched; ++i) {
            Worker* w = workers_[i];
            seen[i].stuck = seen[i].in_kernel = false;
            const std::uint32_t tick = w->schedtick.load(std::memory_order_relaxed);
            if (!w->in_g.load(std::memory_order_acquire) || tick != seen[i].last_tick) {
                seen[i].last_tick = tick;
                seen[i].since = now;
                seen[i].cpu_marked = false;
                continue;
            }
            any_running = true;
            if (!seen[i].cpu_marked) {  // the same goroutine two rounds running: mark its CPU time
                seen[i].cpu_marked = true;
                seen[i].cpu_since = thread_cpu_ns(w);
                seen[i].cpu_mark = now;
            }
            // ready() leaves a goroutine it puts in runnext to its own worker
            // (see there); if that worker's goroutine keeps running, wake an
            // idle worker to take it, as Go's ready() would have at once.
            if (!w->q.empty() && nidle_.load(std::memory_order_relaxed) > 0 &&
                nspinning_.load(std::memory_order_relaxed) == 0) {
                wakep();
                acted = true;  // keep polling fast while work waits
            }
            if (now - seen[i].since < kBlockedAfter) continue;
            seen[i].stuck = true;
            // Less than half the wall time since the mark on a CPU: asleep in
            // a blocking call (no mark long enough ago: take it as computing).
            const std::int64_t wall = std::chrono::duration_cast<nanoseconds>(now - seen[i].cpu_mark).count();
            seen[i].in_kernel = wall >= 10000 && thread_cpu_ns(w) - seen[i].cpu_since < wall / 2;
            if (seen[i].in_kernel) ++nstuck_blocked;
        }
        // Pass 2: cover each newly stuck worker if goroutines wait for one. A
        // worker blocked in a call gets as many as are blocked (doubling each
        // round while every lent worker blocks too: 2,000 tasks of a 1 ms
        // sleep_for reach 100 in flight in a few rounds instead of one per
        // round), never more than the goroutines waiting; a computing one
        // gets one (so its queue still runs; Go would preempt it instead).
        // A due timer is runnable work too (Go's sysmon starts an M for it):
        // when every worker is held by a goroutine that computes or sits in a
        // blocking call, and none is idle to fire it, one stuck worker gets a
        // loan and the lent worker fires it. Only one per round.
        bool timer_late = timer_due() && nidle_.load() == 0 && nspinning_.load() == 0;
        for (int i = 0; i < watched; ++i) {
            Worker* w = workers_[i];
            if (!seen[i].stuck || w->loans.load(std::memory_order_relaxed) != 0) continue;
            // A computing goroutine keeps its worker for Go's time slice
            // (10 ms, when Go would preempt it) before anyone is lent: lending
            // sooner runs more goroutines at once than gomaxprocs allows, and
            // they then fight over their channels' locks.
            if (!seen[i].in_kernel && now - seen[i].since < kComputeSlice) continue;
            const long queued = static_cast<long>(w->q.size()) + static_cast<long>(global_.size());
            // Its own queue waits behind it; the global queue only if no
            // worker is free and none took from it since the last poll (a
            // goroutine closing a channel on 100,000 waiters computes for
            // 20 ms while the other workers drain what it readies: a worker
            // lent then only ran three threads on two CPUs).
            const bool global_stalled = global_.size() != 0 && global_pops == last_global_pops &&
                                        nidle_.load() == 0 && nspinning_.load() == 0;
            if (w->q.empty() && !global_stalled && !timer_late) continue;
            // Its CPU clock stood still, but it may only have waited for a
            // CPU: then it computes (asked only here, before a loan: it
            // costs three syscalls).
            if (seen[i].in_kernel && !thread_asleep(w)) {
                seen[i].in_kernel = false;
                if (now - seen[i].since < kComputeSlice) continue;
            }
            long k = seen[i].in_kernel ? std::min<long>(nstuck_blocked, queued) : 1;
            if (k < 1) k = 1;
            lend_worker(w, static_cast<int>(k));
            timer_late = false;  // the lent worker fires it
            acted = true;
        }
        if (acted) {
            delay = microseconds(20);
            quiet_rounds = 0;
        } else if (++quiet_rounds > 50) {
            delay = std::min<microseconds>(delay * 2, milliseconds(10));
        }
        if (!any_running && quiet_rounds > 50) {
            monitor_sleeping_.store(true, std::memory_order_seq_cst);
            store_load_barrier();
            // No lost wake-up: a worker that takes work leaves the idle list
            // (nidle_) first, and whoever made the work ran wakep(), which
            // reads monitor_sleeping_ after a full barrier. So either that
            // waker posts us, or we see the work (read first), or, if it was
            // taken meanwhile, the worker no longer idle (read second). The
            // in_g test alone missed a worker between taking a goroutine and
            // marking itself in one: its goroutine then readied another onto
            // its runnext (no wakep) and computed for seconds while the
            // monitor slept (sched/woken_goroutine_runs_while_its_waker_computes).
            bool busy = work_available() || stack_waiters_.size() != 0;  // those retry each round
            busy = busy || !all_idle();
            for (int i = 0; i < n && !busy; ++i) busy = workers_[i]->in_g.load(std::memory_order_seq_cst);
            if (!busy) {
                while (stack_trim(4096, true) != 0) {}  // idle: keep only the warm few
                monitor_sleep();
            }
            monitor_sleeping_.store(false, std::memory_order_seq_cst);
            if (!busy) {  // woken: work came, poll fast again
                delay = microseconds(20);
                quiet_rounds = 0;
            }
            // Not asleep (a worker out of work for a moment, in the netpoller
            // with connections open): the back-off goes on. It restarted at
            // 20 us before, so a single worker echoing over loopback, idle
            // between wake-ups, had the monitor polling 9,000 times a second
            // (12% of a CPU against the worker's 87%).
        }
    }
}

}  // namespace gocxx::detail

// ---- public API ----------------------------------------------------------

namespace gocxx {

void detail::spawn(const TaskVTable& vt, void* obj) { Scheduler::get().spawn(vt, obj); }

namespace runtime {

void gosched() {
    if (detail::G* g = detail::current_g()) detail::Scheduler::get().yield(g);
    else std::this_thread::yield();
}

int num_goroutine() { return static_cast<int>(detail::Scheduler::get().num_goroutine()); }

int gomaxprocs(int n) { return detail::Scheduler::get().set_procs(n); }

int set_max_threads(int n) { return detail::Scheduler::get().set_max_threads(n); }

void set_stack_size(std::size_t bytes) { detail::set_configured_stack_size(bytes); }

namespace detail_blocking {
void enter() noexcept { detail::Scheduler::get().enter_blocking(); }
void exit() noexcept { detail::Scheduler::get().exit_blocking(); }
}  // namespace detail_blocking
std::size_t stack_size() { return detail::configured_stack_size(); }

}  // namespace runtime
}  // namespace gocxx
