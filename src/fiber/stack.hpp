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
#pragma once
#include <cstddef>

namespace gocxx::detail {

struct Stack {
    char* base = nullptr;    // lowest address of the mapping (the guard page)
    std::size_t size = 0;    // whole mapping, guard included
    bool guarded = false;
    bool mprotected = false; // holds one unit of the mprotect budget
    char* top() const noexcept { return base + size; }
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
