// G records: where goroutines live (Go's allg and gFree).
//
// A G is a fixed-size record with room for a small closure, allocated from
// chunks that are never freed; a finished G goes back to a free list and is
// reused. Its stack is not taken when the goroutine is made, only when it
// first runs (Scheduler::start_g), on the worker that runs it: a goroutine
// made and finished on one worker reuses that worker's warm stack, and
// goroutines that pile up before they run cost a record each, not a stack.
//
// Free lists: each worker keeps up to kLocalMax free Gs (owner thread only),
// in front of a global list under a lock; a worker that frees many moves a
// batch to the global list, one that makes many takes a batch from it. The
// chunk list is push-only and published with release, so a dump may walk
// every G ever made without a lock; it reads only the G's "dump" fields.
#pragma once
#include <atomic>
#include <cstddef>

#include <gocxx/detail/lock.hpp>
#include <gocxx/detail/thread_annotations.hpp>

#include "sched/g.hpp"

namespace gocxx::detail {

class GPool {
public:
    static constexpr int kLocalMax = 64;
    static constexpr int kBatch = 32;
    static constexpr int kPerChunk = 64;

    struct LocalList {  // a worker's, owner thread only
        G* head = nullptr;
        int n = 0;
    };

    // A free G (status Dead); local may be null (a plain thread). Throws
    // std::bad_alloc when a new chunk cannot be had.
    G* get(LocalList* local);
    void put(LocalList* local, G* g) noexcept;

    // f(g, arg) for every G ever made (Dead ones included).
    void for_each(void (*f)(G*, void*), void* arg) const;

private:
    struct Chunk {
        Chunk* next = nullptr;
        G gs[kPerChunk];
    };
    G* new_chunk() GOCXX_REQUIRES(lock_);  // returns one G; the others go to the global list

    Lock lock_;
    G* free_ GOCXX_GUARDED_BY(lock_) = nullptr;  // linked through G::next
    std::atomic<Chunk*> chunks_{nullptr};
};

}  // namespace gocxx::detail
