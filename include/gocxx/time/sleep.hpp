// gocxx::time::sleep: Go's time.Sleep.
#pragma once
#include <chrono>

namespace gocxx::time {

using Duration = std::chrono::nanoseconds;
using Time = std::chrono::steady_clock::time_point;

inline Time now() noexcept { return std::chrono::steady_clock::now(); }

// Inside a goroutine: parks it on the scheduler's timers and frees the
// worker. On a plain thread: sleeps the thread. d <= 0 returns at once.
void sleep_for(Duration d);
template <class Rep, class Period>
void sleep(std::chrono::duration<Rep, Period> d) {
    sleep_for(std::chrono::duration_cast<Duration>(d));
}

}  // namespace gocxx::time
