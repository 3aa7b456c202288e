// The context switch, and the only place that tells the sanitizers about it.
//
// Boost.Context's fcontext is the primitive: jump(to, data) saves the current
// context and resumes `to`, which receives {the context just saved, data}.
// AddressSanitizer must be told the stack we are about to run on
// (start_switch) and that we arrived (finish_switch); ThreadSanitizer keeps a
// fiber object per goroutine and must be told which one runs next.
#pragma once
#include <boost/context/detail/fcontext.hpp>

#include <cstddef>

#include "base/sanitizers.hpp"  // GOCXX_ASAN, GOCXX_TSAN

#ifdef GOCXX_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef GOCXX_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace gocxx::detail {

namespace bctx = boost::context::detail;
using fctx_t = bctx::fcontext_t;
using transfer_t = bctx::transfer_t;

// One side of a switch: the stack it runs on, as the sanitizers need it.
struct SanFiber {
    const void* stack_bottom = nullptr;  // lowest address
    std::size_t stack_size = 0;
    void* asan_fake_stack = nullptr;     // ASan's per-fiber fake-stack handle
    void* tsan_fiber = nullptr;
};

// Called just before jumping from `from` to `to`. `exiting`: `from` will never
// run again (its fake stack may be freed).
inline void san_before_switch([[maybe_unused]] SanFiber* from, [[maybe_unused]] SanFiber* to,
                              [[maybe_unused]] bool exiting) noexcept {
#ifdef GOCXX_ASAN
    __sanitizer_start_switch_fiber(exiting ? nullptr : &from->asan_fake_stack, to->stack_bottom,
                                   to->stack_size);
#endif
#ifdef GOCXX_TSAN
    __tsan_switch_to_fiber(to->tsan_fiber, 0);
#endif
}

// Called first thing after arriving on `self`. `prev`: if non-null, receives
// the bounds of the stack we came from (how a thread learns its own stack).
inline void san_after_switch([[maybe_unused]] SanFiber* self, [[maybe_unused]] SanFiber* prev) noexcept {
#ifdef GOCXX_ASAN
    const void* bottom = nullptr;
    std::size_t size = 0;
    __sanitizer_finish_switch_fiber(self->asan_fake_stack, &bottom, &size);
    if (prev && !prev->stack_bottom) {
        prev->stack_bottom = bottom;
        prev->stack_size = size;
    }
#endif
}

inline void san_fiber_create([[maybe_unused]] SanFiber* f) noexcept {
#ifdef GOCXX_TSAN
    f->tsan_fiber = __tsan_create_fiber(0);
#endif
}
inline void san_fiber_destroy([[maybe_unused]] SanFiber* f) noexcept {
#ifdef GOCXX_TSAN
    if (f->tsan_fiber) __tsan_destroy_fiber(f->tsan_fiber);
    f->tsan_fiber = nullptr;
#endif
}
inline void san_thread_init([[maybe_unused]] SanFiber* f) noexcept {
#ifdef GOCXX_TSAN
    f->tsan_fiber = __tsan_get_current_fiber();
#endif
}

}  // namespace gocxx::detail
