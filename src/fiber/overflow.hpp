// Stack overflow diagnostics: a goroutine that runs into its guard region gets
// Go's "goroutine stack overflow" message (with the stack size and how to
// raise it) instead of a bare segfault, and the process exits with status 2,
// as Go's fatal errors do.
//
// Each worker thread runs its signal handlers on an alternate stack (the
// faulting stack has no room left). The SIGSEGV/SIGBUS handler is installed
// once, after any the program had, and hands every fault that is not a
// goroutine's guard region back to the previous disposition.
#pragma once
#include <cstddef>

namespace gocxx::detail {

// Where the running goroutine's stack is, for the handler; set by the worker
// before each switch in (guard == nullptr: no goroutine).
struct OverflowInfo {
    const char* guard = nullptr;  // lowest address of the guard region
    std::size_t guard_size = 0;   // its bytes (the usable stack starts above them)
    std::size_t stack_size = 0;
    unsigned long long goid = 0;
};

// Per worker thread: installs the handler (once per process) and this
// thread's alternate signal stack. Returns the thread's info slot.
OverflowInfo* overflow_thread_init() noexcept;

}  // namespace gocxx::detail
