// gocxx::os: the parts of Go's os package that network code meets.
#pragma once
#include <string>

#include <gocxx/error.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::os {

// Go's os.ErrDeadlineExceeded: an I/O deadline passed ("i/o timeout");
// net::is_timeout(err) is true for it.
inline const Error ErrDeadlineExceeded{"i/o timeout"};

// Go's os.SyscallError: a failed system call, "connect: connection
// refused". `err` is the errno; the message is Go's text for it.
struct SyscallError : ErrorBase {
    SyscallError(std::string syscall, int err) : syscall(std::move(syscall)), err(err) {}
    std::string syscall;
    int err;
    std::string error() const override;
};

// Go's text for an errno ("connection refused", "too many open files").
std::string errno_string(int err);

}  // namespace gocxx::os

GOCXX_API_END
