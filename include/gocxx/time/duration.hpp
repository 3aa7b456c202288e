// Go's Duration.String, time.Since and time.Until.
//
//   fmt << time::to_string(1500ms);          // "1.5s"
//   time::Duration took = time::since(start);
#pragma once
#include <chrono>
#include <limits>
#include <string>

#include <gocxx/time/sleep.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::time {

// Go's d.String(): "0s", "1ns", "1.5µs" (U+00B5), "150ms", "1.5s", "2m0s",
// "1h2m3.5s", "-1.5s"; the text Go prints, byte for byte. Other std::chrono
// durations are converted to Duration first (saturating, as to_duration).
std::string to_string(Duration d);
template <class Rep, class Period>
std::string to_string(std::chrono::duration<Rep, Period> d) {
    return to_string(to_duration(d));
}

// Go's t.Sub(u): t - u, saturating at Duration::min()/max() as Go's does.
constexpr Duration sub(Time t, Time u) noexcept {
    Duration::rep r;
    if (__builtin_sub_overflow(t.time_since_epoch().count(), u.time_since_epoch().count(), &r))
        return t > u ? Duration::max() : Duration::min();
    return Duration(r);
}

// time.Since(t): the time elapsed since t, now() - t.
inline Duration since(Time t) noexcept { return sub(now(), t); }

// time.Until(t): the time until t, t - now() (negative once t has passed).
inline Duration until(Time t) noexcept { return sub(t, now()); }

}  // namespace gocxx::time

GOCXX_API_END
