// xorshift64* (Vigna): the runtime's one cheap generator, for choices that
// need to be uniform and unpredictable to a program, not secure (which
// victim to steal from, select's random order, as Go's fastrand). The state
// must start non-zero; each user keeps its own (a worker's, a thread's).
#pragma once
#include <cstdint>

namespace gocxx::detail {

inline std::uint64_t next_rand(std::uint64_t& s) noexcept {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 2685821657736338717ULL;
}

// Uniform in [0, n) from the high 32 bits (Lemire's multiply-shift).
inline std::uint32_t next_rand_n(std::uint64_t& s, std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>(((next_rand(s) >> 32) * n) >> 32);
}

}  // namespace gocxx::detail
