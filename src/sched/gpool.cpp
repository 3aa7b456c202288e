#include "sched/gpool.hpp"

namespace gocxx::detail {

G* GPool::get(LocalList* local) {
    if (local && local->head) {
        G* g = local->head;
        local->head = g->next;
        --local->n;
        return g;
    }
    LockGuard<Lock> guard(lock_);
    if (!free_) return new_chunk();
    G* g = free_;
    free_ = g->next;
    // Take a batch along, so that the next gets are local.
    for (int i = 0; local && free_ && i < kBatch; ++i) {
        G* h = free_;
        free_ = h->next;
        h->next = local->head;
        local->head = h;
        ++local->n;
    }
    return g;
}

void GPool::put(LocalList* local, G* g) noexcept {
    if (local) {
        g->next = local->head;
        local->head = g;
        if (++local->n <= kLocalMax) return;
        // Too many here: move a batch to the global list.
        G* first = local->head;
        G* last = first;
        for (int i = 1; i < kBatch; ++i) last = last->next;
        local->head = last->next;
        local->n -= kBatch;
        LockGuard<Lock> guard(lock_);
        last->next = free_;
        free_ = first;
        return;
    }
    LockGuard<Lock> guard(lock_);
    g->next = free_;
    free_ = g;
}

G* GPool::new_chunk() {
    Chunk* c = new Chunk();  // Gs built (Dead) before the chunk is published
    for (int i = kPerChunk - 1; i >= 1; --i) {
        c->gs[i].next = free_;
        free_ = &c->gs[i];
    }
    c->next = chunks_.load(std::memory_order_relaxed);
    chunks_.store(c, std::memory_order_release);  // writers hold lock_: no CAS needed
    return &c->gs[0];
}

void GPool::for_each(void (*f)(G*, void*), void* arg) const {
    for (Chunk* c = chunks_.load(std::memory_order_acquire); c; c = c->next)
        for (G& g : c->gs) f(&g, arg);
}

}  // namespace gocxx::detail
