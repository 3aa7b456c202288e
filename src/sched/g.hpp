// G: one goroutine (Go's g): a record from the GPool (gpool.hpp) with room
// for a small closure. Its stack is taken when it first runs.
//
// Ownership (who may touch a G's fields):
//   - while running: the goroutine itself and the worker running it;
//   - while runnable: whichever run queue holds it (nobody else);
//   - while parked: nobody but the single party that wins the right to wake it
//     (the one that dequeued its waiter under the channel lock, or claimed its
//     select); that party calls goready() exactly once;
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

struct G {
    enum class Action : std::uint8_t { Park, Yield, Exit };
    enum class Status : std::uint8_t { Dead = 0, Runnable, Running, Waiting };

    fctx_t ctx = nullptr;         // saved context while not running
    SanFiber san;                 // sanitizer view of this stack
    Stack stack;
    const TaskVTable* vt = nullptr;
    void* obj = nullptr;          // the callable (in `closure`, or on the heap if large)
    bool obj_on_heap = false;
    Worker* worker = nullptr;     // the worker running it; set before each switch in
    G* next = nullptr;            // link in the global run queue
    // dump: written by whoever moves the G between states, read by dumps.
    std::atomic<std::uint64_t> id{0};
    std::atomic<Status> status{Status::Dead};
    std::atomic<std::uint8_t> wait_reason{0};   // a WaitReason while Waiting
    std::atomic<std::int64_t> wait_since{0};    // coarse_now_ns() at park
    std::atomic<const std::type_info*> fn_type{nullptr};  // the goroutine's callable
    // Set by the goroutine just before it switches to the scheduler; read by
    // the worker right after.
    Action action = Action::Park;
    void (*commit)(void*) = nullptr;
    void* commit_arg = nullptr;
    // The waiter record of this goroutine's waits other than select's (one
    // at a time: a parked goroutine starts no other wait). In the G rather
    // than on the stack so that waking many parked goroutines walks the
    // dense G records, not one stack page each. See own_waiter().
    Waiter waiter;
    // Room for the callable: most closures (a few captures) fit.
    static constexpr std::size_t kClosureSize = 128;
    alignas(16) unsigned char closure[kClosureSize];
};

}  // namespace gocxx::detail
