// G: one goroutine (Go's g). It lives at the top of its own stack, so a
// goroutine costs no heap allocation and a pooled stack brings its G with it.
//
// Ownership (who may touch a G's fields):
//   - while running: the goroutine itself and the worker running it;
//   - while runnable: whichever run queue holds it (nobody else);
//   - while parked: nobody but the single party that wins the right to wake it
//     (the one that dequeued its waiter under the channel lock, or claimed its
//     select); that party calls goready() exactly once.
// `ctx` is valid only while the G is not running; it is written by the worker
// after the switch away from the G, before any commit runs, so a waker can
// never observe a G whose context is not yet saved.
//
// The G is built once per stack mapping and lives as long as the mapping:
// a pooled stack keeps its G (status Dead) and the next goroutine reuses it.
// That lets runtime::dump_goroutines walk every mapped stack and read the
// fields below marked "dump" from any thread at any time: they are relaxed
// atomics, never re-constructed, so a dump races with nothing.
#pragma once
#include <atomic>
#include <cstdint>
#include <typeinfo>

#include <gocxx/detail/task.hpp>

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
    void* obj = nullptr;          // the callable (on the stack, or on the heap if large)
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
};

}  // namespace gocxx::detail
