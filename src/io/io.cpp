// io's and os's sentinel errors, and Go's text for an errno.
#include <gocxx/io/io.hpp>
#include <gocxx/os.hpp>

#include <cstring>

namespace gocxx {

namespace io {
}  // namespace io

namespace os {


// Go's syscall.Errno texts are glibc's, lower-cased ("Connection refused"
// -> "connection refused").
std::string errno_string(int err) {
    const char* d = ::strerrordesc_np(err);
    std::string s = d ? d : "errno " + std::to_string(err);
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
}

std::string SyscallError::error() const {
    if (syscall.empty()) return errno_string(err);
    return syscall + ": " + errno_string(err);
}

}  // namespace os
}  // namespace gocxx
