// Goroutine stacks: reserved with mmap, guarded, pooled.
//
// A stack is one anonymous mapping, MAP_NORESERVE, so only the pages a
// goroutine touches cost memory. Below the usable stack (the size configured)
// the same mapping reserves a guard region, stack_guard_size(size) bytes:
//
//   base                     bottom()                              top()
//   | guard region (no access) | usable stack, grows down from top |
//
// It is installed with madvise(MADV_GUARD_INSTALL) where the kernel has it
// (Linux 6.13+; it does not split the mapping and costs no memory but the
// page tables that hold its markers), otherwise with mprotect(PROT_NONE),
// which splits it into two mappings. vm.max_map_count (65530 by default)
// caps the mappings of a process, so mprotect guards are rationed: at most
// kMprotectGuardBudget stacks carry one at a time, later stacks go without
// (documented in docs/runtime.md, "Stacks"). Freed stacks go to a pool and are reused warm.
//
// The region is wide, not one page: a frame larger than the guard moves the
// stack pointer past it in one step, and code built without
// -fstack-clash-protection then touches the stack below (another goroutine's
// live frames) instead of faulting. Any frame up to the guard's width lands
// in it. See stack_guard_size for the width.
#pragma once
#include <cstddef>

namespace gocxx::detail {

// The guard region below a stack of `size` (page-rounded) bytes: 4 x size,
// at least 64 KiB and at most 1 MiB (1 MiB at the default 256 KiB); why, in
// stack.cpp. A function of the size alone, so that a Stack carries none (a
// G record stays 384 bytes) and the pool, matching on size, matches on it
// too. Both bounds are multiples of every Linux page size (4, 16, 64 KiB).
constexpr std::size_t stack_guard_size(std::size_t size) noexcept {
    constexpr std::size_t kMin = std::size_t(64) << 10, kMax = std::size_t(1) << 20;
    return size > kMax / 4 ? kMax : (4 * size < kMin ? kMin : 4 * size);
}

struct Stack {
    char* base = nullptr;    // lowest address of the mapping (the guard region)
    std::size_t size = 0;    // usable bytes above the guard: the size asked for
    bool guarded = false;    // the guard region is installed
    bool mprotected = false; // holds one unit of the mprotect budget
    std::size_t guard() const noexcept { return stack_guard_size(size); }
    char* bottom() const noexcept { return base + guard(); }
    char* top() const noexcept { return bottom() + size; }
    std::size_t mapped() const noexcept { return guard() + size; }
};

inline constexpr std::size_t kDefaultStackSize = 256 * 1024;
inline constexpr std::size_t kMinStackSize = 16 * 1024;
// The value of GOCXX_STACK_SIZE ("64k", "1m", "1g", bytes); ends the process
// with a clear message when it is not a usable size.
std::size_t stack_size_from_env(const char* env) noexcept;
inline constexpr long kMprotectGuardBudget = 24000;

std::size_t page_size() noexcept;
std::size_t configured_stack_size() noexcept;  // GOCXX_STACK_SIZE or the last set_stack_size
void set_configured_stack_size(std::size_t bytes) noexcept;

// Throws std::system_error when no stack can be had (mmap failed): the caller
// gets a clear error and the runtime stays usable.
Stack stack_alloc(std::size_t size);
// Up to max pooled stacks of this size, into out, under one lock (a worker
// refilling its cache); none are mapped here. Returns how many.
std::size_t stack_take_pooled(std::size_t size, Stack* out, std::size_t max) noexcept;
// Returns n stacks to the global pool under one lock (a worker emptying its
// cache), unmapping those the pool has no room for or that are of another size
// than the one configured now.
void stack_free_batch(const Stack* s, std::size_t n) noexcept;
// Unmaps up to max_unmap pooled stacks beyond the few kept warm for good,
// unless (without force) stacks were taken from or given to the pool within
// the last second: it is in use. Returns how many went. The monitor calls
// it; one caller at a time.
std::size_t stack_trim(std::size_t max_unmap, bool force = false) noexcept;

}  // namespace gocxx::detail
