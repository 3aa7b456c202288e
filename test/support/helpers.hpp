// Helpers the test files share. Bounded waits only: each polls a condition
// with runtime::gosched() and gives up after 10 s; none is synchronisation.
#pragma once
#include <atomic>
#include <chrono>
#include <string>

#include <gocxx/gocxx.hpp>

namespace gocxx::test {

// The message of the Panic that f throws, or "<no panic>".
template <class F>
std::string panic_message(F&& f) {
    try {
        f();
    } catch (const Panic& p) {
        return p.what();
    }
    return "<no panic>";
}

// A goroutine leaves num_goroutine() only after its function has returned, so
// the count is polled (bounded) rather than asserted at once.
inline bool goroutines_drop_to(int n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (runtime::num_goroutine() > n) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        runtime::gosched();
    }
    return true;
}

// Whether ctx is done right now (Go: select { case <-ctx.Done(): default: }).
inline bool is_done(const context::Context& ctx) { return select(case_recv(ctx.done()), case_default()) == 0; }

// A payload that counts its live instances (to prove nothing leaks).
struct Counted {
    static inline std::atomic<long> live{0};
    int v = 0;
    Counted() noexcept { live.fetch_add(1); }
    explicit Counted(int x) noexcept : v(x) { live.fetch_add(1); }
    Counted(const Counted& o) noexcept : v(o.v) { live.fetch_add(1); }
    Counted(Counted&& o) noexcept : v(o.v) {
        o.v = -1;
        live.fetch_add(1);
    }
    Counted& operator=(const Counted&) = default;
    Counted& operator=(Counted&&) = default;
    ~Counted() { live.fetch_sub(1); }
};

// 0 + 1 + ... + (n - 1)
constexpr long sum_below(long n) { return n * (n - 1) / 2; }

}  // namespace gocxx::test
