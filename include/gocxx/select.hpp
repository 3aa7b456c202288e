// select: Go's select statement.
//
//   int i = gocxx::select(
//       gocxx::case_recv(a, [&](int v) { ... }),           // case v := <-a:
//       gocxx::case_recv(b, [&](int v, bool ok) { ... }),  // case v, ok := <-b:
//       gocxx::case_recv(done, [&] { ... }),               // case <-done:
//       gocxx::case_send(c, x, [&] { ... }),               // case c <- x:
//       gocxx::case_default([&] { ... }));                 // default:
//
// Returns the index (in argument order) of the case that ran. Of several ready
// cases one is chosen uniformly at random; nil-channel cases are never ready;
// a closed channel's receive case is ready (the callback gets Go's zero value,
// T{} or a nil channel, and false).
//
// The index form, for a case body that must `return`, `break` or `continue`
// the enclosing loop (a `return` in a callback only leaves the lambda):
//
//   int v; bool ok;
//   switch (gocxx::select(
//       gocxx::case_recv(a, gocxx::into(v)),       // case v = <-a:
//       gocxx::case_recv(b, gocxx::into(v, ok)),   // case v, ok = <-b:
//       gocxx::case_send(c, x),                    // case c <- x:
//       gocxx::case_default())) {                  // default:
//   case 0: ...; return;
//   ...
//   }
//
// into(v) writes v only when its case is chosen (the zero value and ok =
// false on a closed channel). Callback and into cases mix freely.
// Without a default, select parks the goroutine (or blocks the thread) until
// exactly one case proceeds. The callback runs after every channel lock is
// released, so it may use the same channels freely.
#pragma once
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include <gocxx/chan.hpp>
#include <gocxx/detail/chan_core.hpp>

namespace gocxx {

namespace detail {
struct NoBody {
    void operator()() const noexcept {}
};

// case_recv's "callback" for the index form: assigns the received value (and
// ok) to the caller's variables when its case is chosen.
template <class V>
struct Into {
    V* v;
    bool* ok;
    template <class X>
        requires std::is_assignable_v<V&, X&&>
    void operator()(X&& x, bool received) const {
        *v = std::forward<X>(x);
        if (ok) *ok = received;
    }
};

template <class T, class F>
struct RecvCase {
    ChanCore* c;
    F f;
    RecvSlot<T> slot;
    static constexpr bool is_default = false;
    SelectCase make() { return {c, slot.bytes, false}; }
    void fire(bool received) {
        if constexpr (std::is_invocable_v<F&, T, bool>) {
            if (received) f(slot.take(), true);
            else f(zero<T>(), false);
        } else if constexpr (std::is_invocable_v<F&, T>) {
            if (received) f(slot.take());
            else f(zero<T>());
        } else {
            static_assert(std::is_invocable_v<F&>,
                          "case_recv callback must take (T, bool), (T) or nothing");
            if (received) slot.discard();
            f();
        }
    }
};

template <class T, class F>
struct SendCase {
    ChanCore* c;
    T value;
    F f;
    static constexpr bool is_default = false;
    SelectCase make() { return {c, &value, true}; }
    void fire(bool) { f(); }
};

template <class F>
struct DefaultCase {
    F f;
    static constexpr bool is_default = true;
    void fire(bool) { f(); }
};
}  // namespace detail

// The index form's receive targets: case_recv(ch, into(v)) is Go's
// `case v = <-ch:`, case_recv(ch, into(v, ok)) is `case v, ok = <-ch:`.
template <class V>
detail::Into<V> into(V& v) noexcept {
    return {&v, nullptr};
}
template <class V>
detail::Into<V> into(V& v, bool& ok) noexcept {
    return {&v, &ok};
}

template <class T, class F = detail::NoBody>
detail::RecvCase<T, std::decay_t<F>> case_recv(const Channel<T>& ch, F&& f = {}) {
    return {ch.core_(), std::forward<F>(f), {}};
}
template <class T, class F = detail::NoBody>
detail::RecvCase<T, std::decay_t<F>> case_recv(const RecvChannel<T>& ch, F&& f = {}) {
    return {ch.core_(), std::forward<F>(f), {}};
}
template <class T, class V, class F = detail::NoBody>
detail::SendCase<T, std::decay_t<F>> case_send(const Channel<T>& ch, V&& v, F&& f = {}) {
    return {ch.core_(), T(std::forward<V>(v)), std::forward<F>(f)};
}
template <class T, class V, class F = detail::NoBody>
detail::SendCase<T, std::decay_t<F>> case_send(const SendChannel<T>& ch, V&& v, F&& f = {}) {
    return {ch.core_(), T(std::forward<V>(v)), std::forward<F>(f)};
}
template <class F = detail::NoBody>
detail::DefaultCase<std::decay_t<F>> case_default(F&& f = {}) {
    return {std::forward<F>(f)};
}

template <class... Cases>
int select(Cases&&... cases) {
    constexpr int n_default = (0 + ... + (std::decay_t<Cases>::is_default ? 1 : 0));
    static_assert(n_default <= 1, "select: at most one case_default");
    constexpr int n = static_cast<int>(sizeof...(Cases)) - n_default;

    std::array<detail::SelectCase, n == 0 ? 1 : n> sc{};
    std::array<int, n == 0 ? 1 : n> arg_index{};  // sc index -> argument index
    int default_index = -1;
    {
        int k = 0, a = 0;
        auto add = [&](auto& c) {
            if constexpr (std::decay_t<decltype(c)>::is_default) {
                default_index = a;
            } else {
                sc[k] = c.make();
                arg_index[k++] = a;
            }
            ++a;
        };
        (add(cases), ...);
        (void)add;  // select() with no cases: Go's select {}
    }
    detail::SelectResult r = detail::select_cases(sc.data(), n, n_default == 1);
    const int chosen = r.index < 0 ? default_index : arg_index[r.index];
    int a = 0;
    auto fire = [&](auto& c) {
        if (a++ == chosen) c.fire(r.received);
    };
    (fire(cases), ...);
    (void)fire;
    return chosen;
}

}  // namespace gocxx
