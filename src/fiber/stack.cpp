#include "fiber/stack.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <system_error>
#include <vector>

#include <gocxx/detail/lock.hpp>

namespace gocxx::detail {

namespace {

constexpr int kMadvGuardInstall = 102;  // Linux 6.13; Debian 12's headers lack the name
// The pool keeps every freed stack (up to kPoolMax), so that a burst of
// goroutines ending (100,000 released at once) costs no munmap on the way;
// the monitor trims it back to kPoolKeep once nobody draws from it.
constexpr std::size_t kPoolKeep = 4096;
constexpr std::size_t kPoolMax = std::size_t(1) << 18;
constexpr auto kPoolIdle = std::chrono::seconds(1);

std::atomic<std::size_t> g_stack_size{0};
std::atomic<int> g_guard_mode{0};  // 0 unknown, 1 madvise works, 2 use mprotect
std::atomic<long> g_mprotect_used{0};

// The pool: a plain vector under the runtime's spinning Lock. Workers keep
// their own small caches in front of it and move stacks to and from it in
// batches (src/sched/scheduler.cpp), so it is taken once per batch: 100,000
// goroutines ending on two workers at once had both queue on a mutex here.
Lock g_pool_mu;
// Guarded by g_pool_mu: batches taken from or given to the pool. Frees count
// as use too: while 100,000 goroutines end, the pool fills, and trimming it
// then (munmap, a TLB shootdown that interrupts every worker) doubled the
// time to release them when the burst had started over a second before.
std::uint64_t g_pool_uses GOCXX_GUARDED_BY(g_pool_mu) = 0;
// Reserved in full up front: stack_free_batch is noexcept and must not allocate
// (it runs when memory is short, among other times).
// Built on first use, not by a static constructor: a user's static
// constructor may start a goroutine before this file's initialisers ran (in
// a static link the order between files is unspecified).
std::vector<Stack>& pool() GOCXX_REQUIRES(g_pool_mu) {
    static std::vector<Stack>* v = [] {
        auto* p = new std::vector<Stack>();  // leaked: outlives exit
        p->reserve(kPoolMax);
        return p;
    }();
    return *v;
}

std::size_t round_to_pages(std::size_t n) {
    const std::size_t p = page_size();
    return (n + p - 1) / p * p;
}

void install_guard(Stack& s) {
    int mode = g_guard_mode.load(std::memory_order_relaxed);
    if (mode != 2) {
        if (::madvise(s.base, s.guard(), kMadvGuardInstall) == 0) {
            g_guard_mode.store(1, std::memory_order_relaxed);
            s.guarded = true;
            return;
        }
        if (mode == 1) return;  // worked before: a transient failure, go unguarded
        g_guard_mode.store(2, std::memory_order_relaxed);
    }
    if (g_mprotect_used.fetch_add(1, std::memory_order_relaxed) >= kMprotectGuardBudget) {
        g_mprotect_used.fetch_sub(1, std::memory_order_relaxed);
        return;  // over budget: no guard rather than exhaust vm.max_map_count
    }
    // One PROT_NONE mapping over the whole region, whatever its width.
    if (::mprotect(s.base, s.guard(), PROT_NONE) == 0) {
        s.guarded = s.mprotected = true;
    } else {
        g_mprotect_used.fetch_sub(1, std::memory_order_relaxed);
    }
}

void unmap(const Stack& s) noexcept {
    ::munmap(s.base, s.mapped());
    if (s.mprotected) g_mprotect_used.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace

std::size_t page_size() noexcept {
    static const std::size_t p = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return p;
}

// Why stack_guard_size (stack.hpp) is what it is. The guard's width decides
// which frames are caught in code built without -fstack-clash-protection: a
// frame of F bytes starts at a stack pointer at or above bottom(), so its
// lowest byte lies at most F below bottom(), and any frame up to the guard's
// width faults in the guard. A frame bigger than the
// whole stack cannot run anyway, so 4 x the stack covers every frame that
// could have fitted and by-value payloads several times the stack (a
// Channel<std::array<char, 1 << 20>>::send on the default 256 KiB stack).
// The address space is free (MAP_NORESERVE; 47 bits hold 100 million
// default stacks with their guards), but MADV_GUARD_INSTALL writes a marker
// into the page tables for each guard page: about 1% of the stack size in
// page tables per stack (measured: 2.5 KiB for 256 KiB + 1 MiB, 640 bytes for
// 64 KiB + 256 KiB), and about 10 us more to map a fresh stack (pooled
// stacks keep theirs). Hence the cap at 1 MiB, so that bigger stacks do not
// pay more, and the floor at 64 KiB, so that small ones still catch the
// usual big buffers (a 64 KiB read buffer). Code built with
// -fstack-clash-protection probes every page in order and hits any guard.

// GOCXX_STACK_SIZE: a number of bytes with an optional k, m or g (either
// case; powers of 1024). Anything else, less than kMinStackSize, or a size
// that cannot be mapped ends the process with a message naming the variable:
// a typo must not silently leave the default (or one byte) in force.
std::size_t stack_size_from_env(const char* env) noexcept {
    auto die = [env](const char* why) {
        std::fflush(stdout);
        std::fprintf(stderr, "gocxx: GOCXX_STACK_SIZE=%s: %s\n", env, why);
        std::_Exit(2);
    };
    const char* p = env;
    unsigned long long v = 0;
    if (*p < '0' || *p > '9') die("not a size (bytes, optionally followed by k, m or g)");
    for (; *p >= '0' && *p <= '9'; ++p) {
        if (v > (~0ULL - 9) / 10) die("too large");
        v = v * 10 + static_cast<unsigned>(*p - '0');
    }
    int shift = 0;
    switch (*p) {
        case '\0': break;
        case 'k': case 'K': shift = 10; ++p; break;
        case 'm': case 'M': shift = 20; ++p; break;
        case 'g': case 'G': shift = 30; ++p; break;
        default: die("not a size (bytes, optionally followed by k, m or g)");
    }
    if (*p != '\0') die("not a size (bytes, optionally followed by k, m or g)");
    if (shift && v > (~0ULL >> shift)) die("too large");
    v <<= shift;
    if (v < kMinStackSize) die("below the minimum of 16k");
    // Reserve it once (with its guard region), to learn that it can be mapped at all.
    if (v > (~0ULL >> 1)) die("too large");
    const std::size_t whole = static_cast<std::size_t>(v) + stack_guard_size(static_cast<std::size_t>(v));
    void* probe = ::mmap(nullptr, whole, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (probe == MAP_FAILED) die("too large: a stack of that size cannot be mapped");
    ::munmap(probe, whole);
    return static_cast<std::size_t>(v);
}

std::size_t configured_stack_size() noexcept {
    std::size_t s = g_stack_size.load(std::memory_order_relaxed);
    if (s != 0) return s;
    s = kDefaultStackSize;
    if (const char* env = std::getenv("GOCXX_STACK_SIZE")) s = stack_size_from_env(env);
    s = round_to_pages(s);
    std::size_t expected = 0;
    g_stack_size.compare_exchange_strong(expected, s, std::memory_order_relaxed);
    return g_stack_size.load(std::memory_order_relaxed);
}

void set_configured_stack_size(std::size_t bytes) noexcept {
    if (bytes < kMinStackSize) bytes = kMinStackSize;
    g_stack_size.store(round_to_pages(bytes), std::memory_order_relaxed);
}

Stack stack_alloc(std::size_t size) {
    size = round_to_pages(size);
    Stack pooled;
    if (stack_take_pooled(size, &pooled, 1) == 1) return pooled;
    const std::size_t guard = stack_guard_size(size);
    void* p = ::mmap(nullptr, guard + size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (p == MAP_FAILED) {
        throw std::system_error(errno, std::generic_category(),
                                "gocxx: cannot allocate a goroutine stack of " +
                                    std::to_string(size) + " bytes (mmap)");
    }
    Stack s;
    s.base = static_cast<char*>(p);
    s.size = size;
    install_guard(s);
    return s;
}

std::size_t stack_take_pooled(std::size_t size, Stack* out, std::size_t max) noexcept {
    size = round_to_pages(size);
    std::size_t n = 0;
    LockGuard<Lock> g(g_pool_mu);
    for (std::size_t i = pool().size(); i-- > 0 && n < max;) {
        if (pool()[i].size != size) continue;
        out[n++] = pool()[i];
        pool()[i] = pool().back();
        pool().pop_back();
    }
    if (n) ++g_pool_uses;
    return n;
}

void stack_free_batch(const Stack* s, std::size_t n) noexcept {
    std::size_t kept = 0;
    bool keep[64];
    const std::size_t configured = configured_stack_size();
    while (kept < n) {  // in slices of 64 (keep's size)
        const std::size_t m = std::min<std::size_t>(n - kept, 64);
        {
            LockGuard<Lock> g(g_pool_mu);
            for (std::size_t i = 0; i < m; ++i) {
                const Stack& st = s[kept + i];
                keep[i] = pool().size() < kPoolMax && st.size == configured;
                if (keep[i]) pool().push_back(st);
            }
            ++g_pool_uses;
        }
        for (std::size_t i = 0; i < m; ++i)
            if (!keep[i]) unmap(s[kept + i]);  // outside the lock
        kept += m;
    }
}

std::size_t stack_trim(std::size_t max_unmap, bool force) noexcept {
    // Only the monitor calls this: these are its own.
    static std::uint64_t last_uses = 0;
    static auto last_change = std::chrono::steady_clock::now();
    Stack batch[64];
    std::size_t done = 0;
    while (done < max_unmap) {
        std::size_t n = 0;
        {
            LockGuard<Lock> g(g_pool_mu);
            const auto now = std::chrono::steady_clock::now();
            if (g_pool_uses != last_uses) {
                last_uses = g_pool_uses;
                last_change = now;
            }
            // In use within the last second: leave it (a burst that ends and
            // starts again reuses its stacks warm).
            if (!force && now - last_change < kPoolIdle) return done;
            while (n < 64 && done + n < max_unmap && pool().size() > kPoolKeep) {
                batch[n++] = pool().back();
                pool().pop_back();
            }
        }
        if (n == 0) break;
        for (std::size_t i = 0; i < n; ++i) unmap(batch[i]);  // outside the lock
        done += n;
    }
    return done;
}

}  // namespace gocxx::detail
