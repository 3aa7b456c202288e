// gocxx::time::sleep: Go's time.Sleep.
#pragma once
#include <chrono>
#include <limits>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::time {

using Duration = std::chrono::nanoseconds;
using Time = std::chrono::steady_clock::time_point;

// d as a Duration (nanoseconds), saturating: a duration too long for int64
// nanoseconds (std::chrono::hours::max()) is Duration::max(), not an overflow.
template <class Rep, class Period>
constexpr Duration to_duration(std::chrono::duration<Rep, Period> d) noexcept {
    using Wide = std::chrono::duration<long double>;
    if (Wide(d) >= Wide(Duration::max())) return Duration::max();
    if (Wide(d) <= Wide(Duration::min())) return Duration::min();
    return std::chrono::duration_cast<Duration>(d);
}

// t + d, saturating: a deadline past the end of time is the last instant
// before it (so such a timer never fires, as in Go, yet still counts as a
// pending timer), one before its beginning is Time::min().
constexpr Time add(Time t, Duration d) noexcept {
    const auto tn = t.time_since_epoch().count();
    const auto dn = d.count();
    using Rep = Duration::rep;
    if (dn > 0 && tn > std::numeric_limits<Rep>::max() - 1 - dn) return Time(Duration(std::numeric_limits<Rep>::max() - 1));
    if (dn < 0 && tn < std::numeric_limits<Rep>::min() - dn) return Time::min();
    return t + d;
}

// time.Now(). steady_clock's time, or the runtime's virtual time when the
// program runs with GOCXX_VIRTUAL_CLOCK=1 (see docs/testing.md, "Deterministic time").
Time now() noexcept;

// Inside a goroutine: parks it on the scheduler's timers and frees the
// worker. On a plain thread: sleeps the thread (under the virtual clock it
// waits on the runtime's timers instead). d <= 0 returns at once.
void sleep_for(Duration d);
template <class Rep, class Period>
void sleep(std::chrono::duration<Rep, Period> d) {
    sleep_for(to_duration(d));
}

}  // namespace gocxx::time

GOCXX_API_END
