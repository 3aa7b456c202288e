// Go's panic and fatal-error reports: how the process ends when an exception
// escapes a goroutine, or run()'s function with nobody catching it, and on
// the runtime's fatal errors (Go's throw). All end with exit status 2, as
// Go's do, after flushing what the program wrote to stdout.
#pragma once
#include <cstdint>
#include <exception>
#include <string>

namespace gocxx::detail {

// The panic value as Go's printpanicval writes it: a Panic's what(), an
// error's error(), else the exception's type and what().
std::string describe_exception(std::exception_ptr ep);

// "panic: <value>\n\ngoroutine <id> [running]:\n...", exit status 2.
[[noreturn]] void panic_exit(std::uint64_t goid, std::exception_ptr ep) noexcept;

// Go's fatal error (throw): "fatal error: <msg>", every goroutine, exit
// status 2. Not an exception: nothing can catch it (Go's recover cannot).
[[noreturn]] void fatal_error(const char* msg) noexcept;

}  // namespace gocxx::detail
