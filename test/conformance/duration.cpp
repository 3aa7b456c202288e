// Duration.String: Go's text for every unit boundary, negatives and the
// extremes; time.Since and time.Until as ordering facts.
#include <cstdint>
#include <limits>

#include "fmt.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

int main() {
    return gocxx::run([] {
        constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
        constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
        for (time::Duration d : {                               // for _, d := range []time.Duration{
                 time::Duration(0),
                 time::Duration(1),
                 time::Duration(999),
                 time::Duration(1us),
                 time::Duration(1500),
                 time::Duration(999999),
                 time::Duration(1ms),
                 time::Duration(1000001),
                 time::Duration(1500us),
                 time::Duration(12345678),
                 time::Duration(150ms),
                 time::Duration(999999999),
                 time::Duration(1s),
                 time::Duration(1s) + time::Duration(1),
                 time::Duration(1500ms),
                 time::Duration(59s),
                 time::Duration(1min),
                 time::Duration(2min),
                 time::Duration(90s),
                 time::Duration(61100ms),
                 time::Duration(1h),
                 time::Duration(1h) + time::Duration(1),
                 time::Duration(1h + 2min + 3500ms),
                 time::Duration(24h),
                 time::Duration(100h + 59min + 59s),
                 time::Duration(-1),
                 time::Duration(-1500us),
                 time::Duration(-1500ms),
                 time::Duration(-2min),
                 time::Duration(-(1h + 1s)),
                 time::Duration(kMax),
                 time::Duration(kMin),
                 time::Duration(kMin + 1),
             }) {
            fmt::Println(static_cast<std::int64_t>(d.count()), time::to_string(d));  // fmt.Println(int64(d), d.String())
        }

        const time::Time start = time::now();                               // start := time.Now()
        time::sleep(20ms);
        fmt::Println("since >= 20ms", time::since(start) >= 20ms);          // time.Since(start) >= 20*time.Millisecond
        fmt::Println("since < 1h", time::since(start) < 1h);
        const time::Time deadline = time::now() + 1h;                       // deadline := time.Now().Add(time.Hour)
        fmt::Println("until > 59m", time::until(deadline) > 59min);         // time.Until(deadline) > 59*time.Minute
        fmt::Println("until <= 1h", time::until(deadline) <= 1h);
        fmt::Println("until past < 0", time::until(start) < time::Duration(0));
    });
}
