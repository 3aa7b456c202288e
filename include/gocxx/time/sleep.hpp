// gocxx::time::sleep: Go's time.Sleep.
#pragma once
#include <chrono>

namespace gocxx::time {

using Duration = std::chrono::nanoseconds;
using Time = std::chrono::steady_clock::time_point;

// time.Now(). steady_clock's time, or the runtime's virtual time when the
// program runs with GOCXX_VIRTUAL_CLOCK=1 (see README: deterministic tests).
Time now() noexcept;

// Inside a goroutine: parks it on the scheduler's timers and frees the
// worker. On a plain thread: sleeps the thread (under the virtual clock it
// waits on the runtime's timers instead). d <= 0 returns at once.
void sleep_for(Duration d);
template <class Rep, class Period>
void sleep(std::chrono::duration<Rep, Period> d) {
    sleep_for(std::chrono::duration_cast<Duration>(d));
}

}  // namespace gocxx::time
