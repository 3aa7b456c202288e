// The type-erased channel core that Channel<T> and select() drive. The
// algorithm lives in src/chan/ and src/select/; this header only declares it.
#pragma once
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::detail {

// How the core moves and destroys a T it holds only as bytes. A payload whose
// size is 0 (gocxx::Unit and other empty types) occupies no buffer memory.
struct ElemOps {
    std::size_t size;   // 0 for an empty payload
    std::size_t align;
    void (*move_construct)(void* dst, void* src) noexcept;  // dst: raw storage
    void (*destroy)(void* p) noexcept;
    bool trivial;       // trivially copyable: the core copies the bytes itself
};

// An empty, trivially constructible payload (gocxx::Unit) is never stored:
// the core moves nothing and the receiving side makes a fresh T{}.
template <class T>
inline constexpr bool stores_nothing = std::is_empty_v<T> && std::is_trivially_default_constructible_v<T>;

template <class T>
inline constexpr ElemOps elem_ops = {
    stores_nothing<T> ? 0 : sizeof(T),
    alignof(T),
    [](void* dst, void* src) noexcept { ::new (dst) T(std::move(*static_cast<T*>(src))); },
    [](void* p) noexcept { static_cast<T*>(p)->~T(); },
    std::is_trivially_copyable_v<T>,
};

struct ChanCore;  // opaque: src/chan/chan_core.hpp

ChanCore* chan_make(const ElemOps* ops, long long cap);  // throws Panic on cap < 0
void chan_retain(ChanCore* c) noexcept;
void chan_release(ChanCore* c) noexcept;
std::size_t chan_len(const ChanCore* c) noexcept;  // nil: 0
std::size_t chan_cap(const ChanCore* c) noexcept;  // nil: 0

// Sends by moving from *src. block=false: returns false, *src untouched, when
// the send cannot complete at once. Throws Panic on a closed channel.
bool chan_send(ChanCore* c, void* src, bool block);

struct RecvResult {
    bool selected;  // the receive completed (always true when blocking)
    bool received;  // a value was constructed in *dst (false: closed and drained)
};
// dst is raw storage for a T; on received, the caller owns the T built there.
RecvResult chan_recv(ChanCore* c, void* dst, bool block);

void chan_close(ChanCore* c);  // Panic on nil or already closed

// select: one entry per case that has a channel (nil-channel cases included,
// with c == nullptr: never ready).
struct SelectCase {
    ChanCore* c;
    void* elem;    // send: the value to move from; recv: raw storage for a T
    bool is_send;
};
struct SelectResult {
    int index;      // index into the cases array, or -1 when the default ran
    bool received;  // recv case: a value was constructed in its elem
};
SelectResult select_cases(SelectCase* cases, int n, bool has_default);

}  // namespace gocxx::detail

GOCXX_API_END
