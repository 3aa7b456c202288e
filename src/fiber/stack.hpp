// Goroutine stacks: reserved with mmap, guarded, pooled.
//
// A stack is one anonymous mapping, MAP_NORESERVE, so only the pages a
// goroutine touches cost memory. Its lowest page is a guard page: installed
// with madvise(MADV_GUARD_INSTALL) where the kernel has it (Linux 6.13+; it
// does not split the mapping), otherwise with mprotect(PROT_NONE), which
// splits it into two mappings. vm.max_map_count (65530 by default) caps the
// mappings of a process, so mprotect guards are rationed: at most
// kMprotectGuardBudget stacks carry one at a time, later stacks go without
// (documented in the README). Freed stacks go to a pool and are reused warm.
//
// The registry: every mapped stack that its user has registered (the
// scheduler does, once it has built the G at the stack's top) is listed
// until it is unmapped, so a goroutine dump can visit them all. Stacks in the
// pool stay listed: their G says Dead.
#pragma once
#include <cstddef>

namespace gocxx::detail {

struct Stack {
    char* base = nullptr;    // lowest address of the mapping (the guard page)
    std::size_t size = 0;    // whole mapping, guard included
    bool guarded = false;
    bool mprotected = false; // holds one unit of the mprotect budget
    bool fresh = false;      // just mapped (zero-filled, not registered); stack_alloc sets it
    char* top() const noexcept { return base + size; }
};

inline constexpr std::size_t kDefaultStackSize = 256 * 1024;
inline constexpr std::size_t kMinStackSize = 16 * 1024;
inline constexpr long kMprotectGuardBudget = 24000;

std::size_t page_size() noexcept;
std::size_t configured_stack_size() noexcept;  // GOCXX_STACK_SIZE or the last set_stack_size
void set_configured_stack_size(std::size_t bytes) noexcept;

// Throws std::system_error when no stack can be had (mmap failed): the caller
// gets a clear error and the runtime stays usable.
Stack stack_alloc(std::size_t size);
// Returns a stack to the global pool (or unmaps it, and drops it from the
// registry, when the pool is full).
void stack_free(Stack s) noexcept;

// Lists a fresh stack in the registry (throws std::bad_alloc).
void stack_register(const Stack& s);
// Calls f(stack) for every registered stack, under the registry's lock (a
// leaf: f must not allocate stacks or take scheduler locks).
void stack_for_each(void (*f)(const Stack&, void*), void* arg);

}  // namespace gocxx::detail
