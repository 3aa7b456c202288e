// Channel<T>, SendChannel<T>, RecvChannel<T>: Go's chan T, chan<- T, <-chan T.
//
// A channel value is a reference (like Go's, or a shared_ptr): copies share the
// channel, == compares identity, and every method is const. A
// default-constructed Channel<T> is a live unbuffered channel; Go's nil
// channel is `Channel<T> ch = nullptr;` and blocks forever.
#pragma once
#include <concepts>
#include <cstddef>
#include <iterator>
#include <optional>
#include <type_traits>
#include <utility>

#include <gocxx/detail/chan_core.hpp>
#include <gocxx/panic.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx {

// Go's struct{}: `Channel<Unit>` carries signals and stores no payload.
struct Unit {
    friend constexpr bool operator==(Unit, Unit) noexcept { return true; }
};

template <class T> class Channel;
template <class T> class SendChannel;
template <class T> class RecvChannel;

namespace detail {
// Go's zero value of T, what a receive from a closed channel yields: T{},
// except that the zero value of a channel type is the nil channel (a
// default-constructed Channel<T> is a live one; SendChannel and RecvChannel
// default to nil anyway).
template <class T>
struct ZeroValue {
    static T make() { return T{}; }
};
template <class T>
struct ZeroValue<Channel<T>> {
    static Channel<T> make() noexcept { return nullptr; }
};
template <class T>
T zero() { return ZeroValue<T>::make(); }

// Storage for one T that a receive may or may not construct (never, for a
// payload that stores nothing: see elem_ops).
template <class T>
struct RecvSlot {
    alignas(T) unsigned char bytes[sizeof(T)];
    T* ptr() noexcept { return std::launder(reinterpret_cast<T*>(bytes)); }
    T take() noexcept {  // moves the received T out and destroys the slot's copy
        if constexpr (stores_nothing<T>) {
            return T{};  // an empty payload: its only value
        } else {
            T v(std::move(*ptr()));
            ptr()->~T();
            return v;
        }
    }
    void discard() noexcept {  // destroys the received T unseen
        if constexpr (!stores_nothing<T>) ptr()->~T();
    }
};
}  // namespace detail

// recv() and recv_ok() return Go's zero value once the channel is closed.
#define GOCXX_RECV_NEEDS_ZERO_(f)                                                                  \
    "gocxx::Channel<T>::" f " needs std::default_initializable<T>: a receive from a closed "      \
    "channel returns Go's zero value, T{}, and this T has no default constructor. Give T one, " \
    "send a std::optional<T>, or receive with `for (T v : ch)` or try_recv(), which need none"

template <class T>
class Channel {
    static_assert(std::is_nothrow_move_constructible_v<T>,
                  "gocxx::Channel<T> needs a noexcept move constructor: values move "
                  "under the channel's lock, where a throw would leave it broken");
    static_assert(std::is_nothrow_destructible_v<T>, "gocxx::Channel<T> needs a noexcept destructor");

public:
    using value_type = T;

    // make(chan T): unbuffered.
    Channel() : c_(detail::chan_make(&detail::elem_ops<T>, 0)) {}
    // make(chan T, n). A template so that Channel<T>(0) is not ambiguous with
    // the nullptr constructor. n < 0 throws Panic("makechan: size out of range").
    template <std::integral I>
    explicit Channel(I n) : c_(detail::chan_make(&detail::elem_ops<T>, static_cast<long long>(n))) {}
    // var ch chan T: the nil channel.
    Channel(std::nullptr_t) noexcept : c_(nullptr) {}

    Channel(const Channel& o) noexcept : c_(o.c_) { if (c_) detail::chan_retain(c_); }
    Channel(Channel&& o) noexcept : c_(std::exchange(o.c_, nullptr)) {}
    Channel& operator=(Channel o) noexcept { std::swap(c_, o.c_); return *this; }
    ~Channel() { if (c_) detail::chan_release(c_); }

    // ch <- v. Blocks until a receiver takes it (unbuffered) or there is room.
    void send(const T& v) const { T tmp(v); detail::chan_send(c_, &tmp, true); }
    void send(T&& v) const { detail::chan_send(c_, &v, true); }

    // v := <-ch: Go's zero value (T{}; nil for a channel type) once the
    // channel is closed and drained.
    // T must have a default constructor, for that zero value.
    T recv() const {
        static_assert(std::default_initializable<T>, GOCXX_RECV_NEEDS_ZERO_("recv()"));
        if constexpr (std::default_initializable<T>) {
            detail::RecvSlot<T> s;
            if (detail::chan_recv(c_, s.bytes, true).received) return s.take();
            return detail::zero<T>();
        } else {
            __builtin_unreachable();
        }
    }
    // v, ok := <-ch
    std::pair<T, bool> recv_ok() const {
        static_assert(std::default_initializable<T>, GOCXX_RECV_NEEDS_ZERO_("recv_ok()"));
        if constexpr (std::default_initializable<T>) {
            detail::RecvSlot<T> s;
            if (detail::chan_recv(c_, s.bytes, true).received) return {s.take(), true};
            return {detail::zero<T>(), false};
        } else {
            __builtin_unreachable();
        }
    }

    // Non-blocking forms (select with a default). A failed try_send leaves v
    // untouched; try_send on a closed channel throws Panic, as Go's select does.
    bool try_send(const T& v) const {
        if (!c_) return false;
        T tmp(v);
        return detail::chan_send(c_, &tmp, false);
    }
    bool try_send(T&& v) const { return detail::chan_send(c_, &v, false); }
    // Empty when nothing is ready, and also when closed and drained.
    std::optional<T> try_recv() const {
        detail::RecvSlot<T> s;
        if (detail::chan_recv(c_, s.bytes, false).received) return std::optional<T>(s.take());
        return std::nullopt;
    }

    // close(ch): Panic on a nil or an already closed channel.
    void close() const { detail::chan_close(c_); }

    std::size_t len() const noexcept { return detail::chan_len(c_); }
    std::size_t cap() const noexcept { return detail::chan_cap(c_); }

    friend bool operator==(const Channel& a, const Channel& b) noexcept { return a.c_ == b.c_; }
    friend bool operator==(const Channel& a, std::nullptr_t) noexcept { return a.c_ == nullptr; }

    // for v := range ch: receives until the channel is closed and drained.
    class iterator {
    public:
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        explicit iterator(detail::ChanCore* c) : c_(c) { next(); }
        T&& operator*() { return std::move(*v_); }
        iterator& operator++() { next(); return *this; }
        void operator++(int) { next(); }
        friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept { return !it.v_; }

    private:
        void next() {
            v_.reset();
            detail::RecvSlot<T> s;
            if (detail::chan_recv(c_, s.bytes, true).received) v_.emplace(s.take());
        }
        detail::ChanCore* c_ = nullptr;
        std::optional<T> v_;
    };
    iterator begin() const { return iterator(c_); }
    std::default_sentinel_t end() const noexcept { return {}; }

    // For select and the directional handles; not part of the user's API.
    detail::ChanCore* core_() const noexcept { return c_; }

private:
    detail::ChanCore* c_;
};

// chan<- T: the sending half. Implicit from Channel<T>; may be nil, and a
// default-constructed one is nil (Go's zero value), so a struct holding one
// can travel through a channel by value.
template <class T>
class SendChannel {
public:
    SendChannel() noexcept : ch_(nullptr) {}
    SendChannel(std::nullptr_t) noexcept : ch_(nullptr) {}
    SendChannel(Channel<T> ch) noexcept : ch_(std::move(ch)) {}
    void send(const T& v) const { ch_.send(v); }
    void send(T&& v) const { ch_.send(std::move(v)); }
    bool try_send(const T& v) const { return ch_.try_send(v); }
    bool try_send(T&& v) const { return ch_.try_send(std::move(v)); }
    void close() const { ch_.close(); }
    std::size_t len() const noexcept { return ch_.len(); }
    std::size_t cap() const noexcept { return ch_.cap(); }
    friend bool operator==(const SendChannel& a, const SendChannel& b) noexcept { return a.ch_ == b.ch_; }
    friend bool operator==(const SendChannel& a, std::nullptr_t) noexcept { return a.ch_ == nullptr; }
    detail::ChanCore* core_() const noexcept { return ch_.core_(); }

private:
    Channel<T> ch_;
};

#undef GOCXX_RECV_NEEDS_ZERO_

// <-chan T: the receiving half. Implicit from Channel<T>; may be nil, and a
// default-constructed one is nil (Go's zero value).
template <class T>
class RecvChannel {
public:
    RecvChannel() noexcept : ch_(nullptr) {}
    RecvChannel(std::nullptr_t) noexcept : ch_(nullptr) {}
    RecvChannel(Channel<T> ch) noexcept : ch_(std::move(ch)) {}
    T recv() const { return ch_.recv(); }
    std::pair<T, bool> recv_ok() const { return ch_.recv_ok(); }
    std::optional<T> try_recv() const { return ch_.try_recv(); }
    std::size_t len() const noexcept { return ch_.len(); }
    std::size_t cap() const noexcept { return ch_.cap(); }
    auto begin() const { return ch_.begin(); }
    auto end() const noexcept { return ch_.end(); }
    friend bool operator==(const RecvChannel& a, const RecvChannel& b) noexcept { return a.ch_ == b.ch_; }
    friend bool operator==(const RecvChannel& a, std::nullptr_t) noexcept { return a.ch_ == nullptr; }
    detail::ChanCore* core_() const noexcept { return ch_.core_(); }

private:
    Channel<T> ch_;
};

}  // namespace gocxx

GOCXX_API_END
