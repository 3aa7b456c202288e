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
#include <concepts>
#include <cstddef>
#include <new>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include <gocxx/chan.hpp>
#include <gocxx/detail/chan_core.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

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

// A select case, type-erased: its core entry (a SelectCase: select_cases
// takes them as an array) and its body, a function pointer + object. Every
// case type builds its own, so select<Cases...> does O(1) template work per
// case and has no code that switches over all of them: a select of N distinct
// callback types compiles in time linear in N (bench/compile_time/).
struct CaseBody {
    void (*fire)(void* self, bool received);  // null: nothing to run
    void* self;
};
// Runs a select over n_args cases in argument order; default_index: the
// default's index (its entry in sc a placeholder), or -1. Fires the chosen
// case's body after every lock is released and returns its index.
int select_records(SelectCase* sc, const CaseBody* bodies, int n_args, int default_index);

template <class T, class F>
struct RecvCase {
    ChanCore* c;
    F f;
    RecvSlot<T> slot;  // not zeroed: the core builds a T there, or nothing

    template <class G>
    RecvCase(ChanCore* ch, G&& g) : c(ch), f(std::forward<G>(g)) {}
    static constexpr bool is_default = false;
    static void fire_erased(void* self, bool received) { static_cast<RecvCase*>(self)->fire(received); }
    SelectCase entry() noexcept { return {c, slot.bytes, false}; }
    CaseBody body() noexcept { return {&fire_erased, this}; }
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
    static void fire_erased(void* self, bool) { static_cast<SendCase*>(self)->f(); }
    SelectCase entry() noexcept { return {c, &value, true}; }
    CaseBody body() noexcept {
        if constexpr (std::is_same_v<F, NoBody>) return {nullptr, nullptr};
        else return {&fire_erased, this};
    }
};

template <class F>
struct DefaultCase {
    F f;
    static constexpr bool is_default = true;
    static void fire_erased(void* self, bool) { static_cast<DefaultCase*>(self)->f(); }
    SelectCase entry() noexcept { return {nullptr, nullptr, false}; }  // a placeholder
    CaseBody body() noexcept {
        if constexpr (std::is_same_v<F, NoBody>) return {nullptr, nullptr};
        else return {&fire_erased, this};
    }
};

// A value that case_send may send: what ch.send(v) accepts, an implicit
// conversion to T (no explicit constructor, no C-style cast).
template <class T, class V>
T send_value(V&& v) {
    static_assert(std::is_convertible_v<V&&, T>,
                  "gocxx::case_send: the value does not convert implicitly to the channel's element "
                  "type T (ch.send(v) would reject it too); convert it explicitly, e.g. T(v)");
    if constexpr (std::is_convertible_v<V&&, T>) return std::forward<V>(v);
    else __builtin_unreachable();  // the static_assert has stopped the build
}

template <std::size_t N>
constexpr int count_true(const bool (&b)[N]) {
    int n = 0;
    for (bool x : b) n += x ? 1 : 0;
    return n;
}
template <std::size_t N>
constexpr int first_true(const bool (&b)[N]) {  // b[0] is a placeholder
    for (std::size_t i = 1; i < N; ++i)
        if (b[i]) return static_cast<int>(i) - 1;
    return -1;
}
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
    return {ch.core_(), std::forward<F>(f)};
}
template <class T, class F = detail::NoBody>
detail::RecvCase<T, std::decay_t<F>> case_recv(const RecvChannel<T>& ch, F&& f = {}) {
    return {ch.core_(), std::forward<F>(f)};
}
// The value converts to T as ch.send(v) would convert it: implicitly only.
template <class T, class V, class F = detail::NoBody>
detail::SendCase<T, std::decay_t<F>> case_send(const Channel<T>& ch, V&& v, F&& f = {}) {
    return {ch.core_(), detail::send_value<T>(std::forward<V>(v)), std::forward<F>(f)};
}
template <class T, class V, class F = detail::NoBody>
detail::SendCase<T, std::decay_t<F>> case_send(const SendChannel<T>& ch, V&& v, F&& f = {}) {
    return {ch.core_(), detail::send_value<T>(std::forward<V>(v)), std::forward<F>(f)};
}
template <class F = detail::NoBody>
detail::DefaultCase<std::decay_t<F>> case_default(F&& f = {}) {
    return {std::forward<F>(f)};
}

// No fold expressions and no per-case lambdas here: those instantiate code
// whose names carry all N case types (and clang nests a fold 256 deep at
// most); a pack expansion into an array of records does neither.
template <class... Cases>
int select(Cases&&... cases) {
    constexpr bool is_default[] = {false, std::remove_cvref_t<Cases>::is_default...};
    static_assert(detail::count_true(is_default) <= 1, "select: at most one case_default");
    constexpr int n_args = static_cast<int>(sizeof...(Cases));
    detail::SelectCase sc[n_args + 1] = {cases.entry()...};
    const detail::CaseBody bodies[n_args + 1] = {cases.body()...};
    return detail::select_records(sc, bodies, n_args, detail::first_true(is_default));
}

// ---------------------------------------------------------------------------
// Select: Go's reflect.Select, for a number of cases known only at run time.
//
//   gocxx::Select sel;
//   for (auto& ch : inputs) sel.recv(ch);     // each call returns its case index
//   sel.send(out, v);                         // case out <- v
//   sel.default_();                           // default: (at most one)
//   auto [i, value, ok] = sel.run();          // chosen, recv, recvOK := reflect.Select(cases)
//   if (i < n && ok) use(value.get<int>());
//
// One builder holds channels of any element types. run() is select: of the
// ready cases one is chosen uniformly at random, nil-channel cases are never
// ready, a receive from a closed channel is ready (value holds Go's zero value,
// ok == false), a send on a closed channel throws Panic("send on closed
// channel"), and without a default run() blocks until a case proceeds (no
// cases at all: forever). run() may be called again and again, as Go code
// reuses its []reflect.SelectCase: a send case sends a copy of its value each
// time (a move-only value is moved by the run that sends it, and its case is
// then never ready again).

namespace detail {
// What Select needs of an element type it only holds as bytes.
struct SelectElemOps {
    const std::type_info* type;
    std::size_t size;  // of the scratch slot (at least 1)
    std::size_t align;
    void* (*take)(void* slot);                     // new T moved from the received slot, which it destroys
    void* (*make_zero)();                          // new T of Go's zero value; null: T has none
    void (*del)(void* p) noexcept;                 // deletes a T from take/make_zero/hold
    void (*copy_into)(void* dst, const void* src);  // placement copy; null: T is move-only
    void (*destroy)(void* p) noexcept;             // placement destroy
};

template <class T>
void* select_take(void* slot) {
    if constexpr (stores_nothing<T>) {
        (void)slot;
        return new T{};
    } else {
        T* s = std::launder(static_cast<T*>(slot));
        T* p;
        try {
            p = new T(std::move(*s));
        } catch (...) {
            s->~T();
            throw;
        }
        s->~T();
        return p;
    }
}
template <class T>
constexpr auto select_make_zero() -> void* (*)() {
    if constexpr (std::default_initializable<T>) return [] { return static_cast<void*>(new T(zero<T>())); };
    else return nullptr;
}
template <class T>
constexpr auto select_copy_into() -> void (*)(void*, const void*) {
    if constexpr (std::is_copy_constructible_v<T>)
        return [](void* dst, const void* src) { ::new (dst) T(*static_cast<const T*>(src)); };
    else return nullptr;
}
template <class T>
inline constexpr SelectElemOps select_elem_ops = {
    &typeid(T),
    sizeof(T),
    alignof(T),
    &select_take<T>,
    select_make_zero<T>(),
    [](void* p) noexcept { delete static_cast<T*>(p); },
    select_copy_into<T>(),
    [](void* p) noexcept { static_cast<T*>(p)->~T(); },
};
}  // namespace detail

// The value a Select receive case took: Go's reflect.Value `recv`. Empty
// (is_valid() false) when the case chosen was a send or the default, or a
// closed channel's element type has no zero value (no default constructor).
class SelectValue {
public:
    SelectValue() noexcept = default;
    SelectValue(void* p, const detail::SelectElemOps* ops) noexcept : p_(p), ops_(ops) {}
    SelectValue(SelectValue&& o) noexcept : p_(std::exchange(o.p_, nullptr)), ops_(o.ops_) {}
    SelectValue& operator=(SelectValue&& o) noexcept {
        SelectValue tmp(std::move(o));
        std::swap(p_, tmp.p_);
        std::swap(ops_, tmp.ops_);
        return *this;
    }
    ~SelectValue() {
        if (p_) ops_->del(p_);
    }

    bool is_valid() const noexcept { return p_ != nullptr; }  // Go's Value.IsValid()
    explicit operator bool() const noexcept { return p_ != nullptr; }
    // Whether it holds a T (Go's `_, ok := v.Interface().(T)`).
    template <class T>
    bool holds() const noexcept {
        return p_ && *ops_->type == typeid(T);
    }
    // The T it holds (Go's v.Interface().(T)); Panic when it holds none or
    // another type. Move from it to take a move-only value out.
    template <class T>
    T& get() {
        check(typeid(T));
        return *static_cast<T*>(p_);
    }
    template <class T>
    const T& get() const {
        check(typeid(T));
        return *static_cast<const T*>(p_);
    }

private:
    void check(const std::type_info& t) const;  // throws Panic
    void* p_ = nullptr;
    const detail::SelectElemOps* ops_ = nullptr;
};

class Select {
public:
    // chosen, recv, recvOK := reflect.Select(cases)
    struct Result {
        int index;          // the case chosen (the default's index when it ran)
        SelectValue value;  // a receive case's value (Go's zero value when closed)
        bool ok;            // a receive case got a value sent (false: closed, or not a receive)
    };

    Select() = default;
    Select(Select&& o) noexcept;
    Select& operator=(Select&& o) noexcept;
    Select(const Select&) = delete;
    Select& operator=(const Select&) = delete;
    ~Select();

    // Each returns the new case's index (0, 1, ... in the order added).
    template <class T>
    int recv(const Channel<T>& ch) {  // reflect.SelectCase{Dir: reflect.SelectRecv, Chan: ch}
        return add_recv(ch.core_(), &detail::select_elem_ops<T>);
    }
    template <class T>
    int recv(const RecvChannel<T>& ch) {
        return add_recv(ch.core_(), &detail::select_elem_ops<T>);
    }
    template <class T, class V>
    int send(const Channel<T>& ch, V&& v) {  // reflect.SelectCase{Dir: reflect.SelectSend, Chan: ch, Send: v}
        return add_send(ch.core_(), &detail::select_elem_ops<T>, new T(std::forward<V>(v)));
    }
    template <class T, class V>
    int send(const SendChannel<T>& ch, V&& v) {
        return add_send(ch.core_(), &detail::select_elem_ops<T>, new T(std::forward<V>(v)));
    }
    // reflect.SelectCase{Dir: reflect.SelectDefault}; a second one throws
    // Panic("reflect.Select: multiple default cases").
    int default_();

    // The case turns into a nil-channel case: never ready again, its index
    // kept (Go's cases[i].Chan = reflect.Value{}).
    void disable(int i);
    // Removes case i; the later cases' indexes drop by one (Go's
    // cases = append(cases[:i], cases[i+1:]...)).
    void remove(int i);
    void clear() noexcept;
    int size() const noexcept { return static_cast<int>(cases_.size()); }

    // Runs the select once (see above).
    Result run();

private:
    enum class Kind : unsigned char { Recv, Send, Default };
    struct Case {
        Kind kind;
        bool spent = false;  // a move-only send value already sent
        detail::ChanCore* c = nullptr;                 // holds a handle; null: nil channel
        const detail::SelectElemOps* ops = nullptr;
        void* value = nullptr;    // send: the T to send (a heap T the case owns)
        void* scratch = nullptr;  // receive slot, or the per-run copy of a send value
    };
    int add_recv(detail::ChanCore* c, const detail::SelectElemOps* ops);
    int add_send(detail::ChanCore* c, const detail::SelectElemOps* ops, void* value);
    int add(Case c);
    static void free_case(Case& c) noexcept;

    std::vector<Case> cases_;
    int default_index_ = -1;
    std::vector<detail::SelectCase> sc_;  // reused by run()
    std::vector<int> arg_;                // sc_ index -> case index
    std::vector<bool> copied_;            // run(): the send copies made
};

}  // namespace gocxx

GOCXX_API_END
