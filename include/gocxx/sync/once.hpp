// gocxx::sync::Once: Go's sync.Once.
#pragma once
#include <atomic>
#include <mutex>
#include <utility>

#include <gocxx/sync/mutex.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::sync {

class Once {
public:
    // Calls f the first time only. Later (and concurrent) callers wait until
    // the first call has finished. If f throws, the exception reaches the
    // first caller and the Once still counts as done, as Go's does.
    template <class F>
    void call(F&& f) {
        if (done_.load(std::memory_order_acquire)) return;
        std::lock_guard<Mutex> guard(m_);
        if (done_.load(std::memory_order_relaxed)) return;
        struct MarkDone {
            std::atomic<bool>& d;
            ~MarkDone() { d.store(true, std::memory_order_release); }
        } mark{done_};
        std::forward<F>(f)();
    }

private:
    std::atomic<bool> done_{false};
    Mutex m_;
};

}  // namespace gocxx::sync

GOCXX_API_END
