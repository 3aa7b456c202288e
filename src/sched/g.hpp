// G: one goroutine (Go's g): a record from the GPool (gpool.hpp) with room
// for a small closure. Its stack is taken when it first runs.
//
// Ownership (who may touch a G's fields):
//   - while running: the goroutine itself and the worker running it;
//   - while runnable: whichever run queue holds it (nobody else);
//   - while parked: nobody but the single party that wins the right to wake it
//     (the one that dequeued its waiter under the channel lock, or claimed its
//     select); that party calls Scheduler::ready() exactly once;
//   - while free: its GPool list.
// `ctx` is valid only while the G is not running; it is written by the worker
// after the switch away from the G, before any commit runs, so a waker can
// never observe a G whose context is not yet saved. A G that has not run yet
// has no ctx and no stack (stack.base null, stack.size the size it will get).
//
// G records are never freed (a free G says Dead), so runtime::dump_goroutines
// may read the fields marked "dump" from any thread at any time: they are
// relaxed atomics, built once with the record, so a dump races with nothing.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <typeinfo>

#include <gocxx/detail/task.hpp>
#include <gocxx/detail/waiter.hpp>

#include "fiber/stack.hpp"
#include "fiber/switch.hpp"

namespace gocxx::detail {

struct Worker;

// Mirror of libstdc++'s __cxa_eh_globals (unwind-cxx.h; the same layout in
// every libstdc++ since GCC 3 outside ARM EABI): what __cxa_get_globals()
// points at.
struct EhGlobals {
    void* caught = nullptr;     // __cxa_exception* caughtExceptions
    unsigned int uncaught = 0;  // uncaughtExceptions
};

// Cache-line aligned, with what the scheduler touches to move and start a
// G in its first line: when 100,000 parked goroutines are woken at once every
// record is cold, and the global queue's walk over `next` then also brings in
// `ctx`, `stack`, `status` and `id` for the switch (and the saved context's
// address, so the stack can be prefetched: Scheduler::take_global).
struct alignas(64) G {
    enum class Action : std::uint8_t { Park, Yield, Exit };
    enum class Status : std::uint8_t { Dead = 0, Runnable, Running, Waiting };

    // First line.
    fctx_t ctx = nullptr;         // saved context while not running
    G* next = nullptr;            // link in the global run queue
    // A G a few places further down the global queue, set when a batch is
    // pushed: the queue's owner prefetches it while it walks `next` (a hint:
    // it may be stale, a prefetch never faults). Guarded like `next`.
    G* ahead = nullptr;
    Stack stack;
    // dump: written by whoever moves the G between states, read by dumps.
    std::atomic<Status> status{Status::Dead};
    std::atomic<std::uint64_t> id{0};
    // Set by the goroutine just before it switches to the scheduler; read by
    // the worker right after.
    Action action = Action::Park;
    bool obj_on_heap = false;

    Worker* worker = nullptr;     // the worker running it; set before each switch in
    const TaskVTable* vt = nullptr;
    void* obj = nullptr;          // the callable (in `closure`, or on the heap if large)
    void (*commit)(void*) = nullptr;
    void* commit_arg = nullptr;
    std::atomic<std::uint8_t> wait_reason{0};   // dump: a WaitReason while Waiting
    std::atomic<std::int64_t> wait_since{0};    // dump: coarse_now_ns() at park
    std::atomic<const std::type_info*> fn_type{nullptr};  // dump: the goroutine's callable
    SanFiber san;                 // sanitizer view of this stack
    // The waiter record of this goroutine's waits other than select's (one
    // at a time: a parked goroutine starts no other wait). In the G rather
    // than on the stack so that waking many parked goroutines walks the
    // dense G records, not one stack page each. See own_waiter().
    Waiter waiter;
    // The C++ runtime's per-thread state that belongs to the goroutine, not
    // its worker: libstdc++'s stack of caught exceptions and uncaught count
    // (a goroutine may park inside a catch block or in a destructor run by
    // unwinding), and errno. Swapped into the worker's thread by execute()
    // for as long as the goroutine runs there; touched by nobody else.
    EhGlobals eh;
    int saved_errno = 0;
    int blocking_depth = 0;       // runtime::blocking calls open (the goroutine's own)
    // Room for the callable: most closures (a few captures) fit.
    static constexpr std::size_t kClosureSize = 128;
    alignas(16) unsigned char closure[kClosureSize];
};

}  // namespace gocxx::detail
