// A type-erased, move-only nullary callable, built in place in storage that
// the runtime provides (the closure room of the new goroutine's G record,
// src/sched/g.hpp), so starting a goroutine allocates nothing on the heap for
// small closures.
#pragma once
#include <cstddef>
#include <new>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::detail {

struct TaskVTable {
    std::size_t size;
    std::size_t align;
    void (*move_to)(void* dst, void* src);  // move-construct *src into dst
    void (*invoke)(void* obj);
    void (*destroy)(void* obj) noexcept;
    const std::type_info* type;  // named in goroutine dumps
};

template <class F>
inline constexpr TaskVTable task_vtable = {
    sizeof(F), alignof(F),
    [](void* dst, void* src) { ::new (dst) F(std::move(*static_cast<F*>(src))); },
    [](void* obj) { (*static_cast<F*>(obj))(); },
    [](void* obj) noexcept { static_cast<F*>(obj)->~F(); },
    &typeid(F),
};

// Starts a goroutine running the callable *obj (moved from). Defined in src/sched.
void spawn(const TaskVTable& vt, void* obj);

}  // namespace gocxx::detail

GOCXX_API_END
