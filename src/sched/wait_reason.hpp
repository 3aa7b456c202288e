// Why a party waits: Go's waitReason, shown by runtime::dump_goroutines,
// SIGQUIT and the deadlock report. The strings are Go's own where Go has the
// same wait (Go 1.21+ spellings), so a dump reads like Go's.
#pragma once
#include <cstdint>

namespace gocxx::detail {

enum class WaitReason : std::uint8_t {
    None,
    ChanReceive,
    ChanSend,
    ChanReceiveNil,
    ChanSendNil,
    Select,
    SelectNoCases,
    Sleep,
    WaitGroupWait,
    MutexLock,
    RWMutexRLock,
    RWMutexLock,
    CondWait,
    IOWait,
};

inline const char* wait_reason_string(WaitReason r) noexcept {
    switch (r) {
        case WaitReason::None: return "waiting";
        case WaitReason::ChanReceive: return "chan receive";
        case WaitReason::ChanSend: return "chan send";
        case WaitReason::ChanReceiveNil: return "chan receive (nil chan)";
        case WaitReason::ChanSendNil: return "chan send (nil chan)";
        case WaitReason::Select: return "select";
        case WaitReason::SelectNoCases: return "select (no cases)";
        case WaitReason::Sleep: return "sleep";
        case WaitReason::WaitGroupWait: return "sync.WaitGroup.Wait";
        case WaitReason::MutexLock: return "sync.Mutex.Lock";
        case WaitReason::RWMutexRLock: return "sync.RWMutex.RLock";
        case WaitReason::RWMutexLock: return "sync.RWMutex.Lock";
        case WaitReason::CondWait: return "sync.Cond.Wait";
        case WaitReason::IOWait: return "IO wait";
    }
    return "waiting";
}

// A cheap monotonic clock for "waiting since" stamps: CLOCK_MONOTONIC_COARSE
// is a vDSO read of the last tick (1-4 ms resolution), a few ns, so every
// park can afford it. Nanoseconds.
std::int64_t coarse_now_ns() noexcept;

}  // namespace gocxx::detail
