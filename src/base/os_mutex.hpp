// A std::mutex that clang's thread safety analysis knows (libstdc++'s is not
// annotated): for the runtime's few locks that may be held across a system
// call (starting a thread), where a spinning detail::Lock would burn the
// waiters' CPUs. Take it with LockGuard<OsMutex>.
#pragma once
#include <mutex>

#include <gocxx/detail/thread_annotations.hpp>

namespace gocxx::detail {

class GOCXX_CAPABILITY("mutex") OsMutex {
public:
    constexpr OsMutex() noexcept = default;  // constant-initialized, as std::mutex
    OsMutex(const OsMutex&) = delete;
    OsMutex& operator=(const OsMutex&) = delete;
    void lock() GOCXX_ACQUIRE() { m_.lock(); }
    bool try_lock() GOCXX_TRY_ACQUIRE(true) { return m_.try_lock(); }
    void unlock() GOCXX_RELEASE() { m_.unlock(); }

private:
    std::mutex m_;
};

}  // namespace gocxx::detail
