// gocxx::context: Go's context package.
//
//   auto [ctx, cancel] = context::with_timeout(context::background(), 2s);
//   auto guard = defer([&] { cancel(); });
//   select(case_recv(ctx.done(), [&] { err = ctx.err(); }), case_recv(results, ...));
//
// A Context is a cheap, copyable handle. Cancelling a context cancels every
// context derived from it; cancel functions are idempotent; a context that
// finishes (cancelled, or its parent cancelled) releases its timer at once.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include <gocxx/chan.hpp>
#include <gocxx/error.hpp>
#include <gocxx/time/sleep.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::context {

// Go's sentinel errors, compared with ==.
inline const Error Canceled{"context canceled"};
inline const Error DeadlineExceeded{"context deadline exceeded"};

// A typed key for with_value: each Key object is its own key (Go's unexported
// key types). Define keys as globals: `inline const context::Key<User> user_key;`
template <class T>
class Key {
public:
    Key() = default;
    Key(const Key&) = delete;
    Key& operator=(const Key&) = delete;
};

namespace detail {
struct Node;
std::shared_ptr<const void> find_value(const Node* n, const void* key) noexcept;
}  // namespace detail

class Context {
public:
    Context();  // background()

    // A channel closed when the context is done; nil (never ready) for
    // contexts that can never be cancelled, as in Go.
    RecvChannel<Unit> done() const;
    // nil until done; then Canceled or DeadlineExceeded.
    Error err() const;
    // The deadline, and whether there is one.
    std::pair<time::Time, bool> deadline() const;
    // ctx.Value(key).(T): the value of the nearest with_value for key.
    template <class T>
    std::optional<T> value(const Key<T>& key) const {
        auto p = detail::find_value(n_.get(), &key);
        if (!p) return std::nullopt;
        return *static_cast<const T*>(p.get());
    }

    explicit Context(std::shared_ptr<detail::Node> n) noexcept : n_(std::move(n)) {}
    const std::shared_ptr<detail::Node>& node_() const noexcept { return n_; }

private:
    std::shared_ptr<detail::Node> n_;
};

// Cancels its context (and all derived from it); safe to call many times,
// from any goroutine or thread.
using CancelFunc = std::function<void()>;
// Go's CancelCauseFunc: cancel(err) cancels as CancelFunc does and records
// err as the cause (a nil Error, `cancel(nullptr)`, records Canceled). Only
// the first call counts.
using CancelCauseFunc = std::function<void(const Error&)>;

Context background();
Context todo();
std::pair<Context, CancelFunc> with_cancel(const Context& parent);
std::pair<Context, CancelFunc> with_deadline(const Context& parent, time::Time d);
std::pair<Context, CancelFunc> with_timeout(const Context& parent, time::Duration d);
template <class Rep, class Period>
std::pair<Context, CancelFunc> with_timeout(const Context& parent, std::chrono::duration<Rep, Period> d) {
    return with_timeout(parent, time::to_duration(d));
}

// Go 1.20's causes. with_cancel_cause: `auto [ctx, cancel] = ...; cancel(err);`
// ctx.err() is still Canceled; cause(ctx) is err.
std::pair<Context, CancelCauseFunc> with_cancel_cause(const Context& parent);
// As with_deadline/with_timeout, with a plain cancel (Go 1.21): when the
// deadline passes, err() is DeadlineExceeded and cause() is `cause` (nil:
// DeadlineExceeded); cancel() gives Canceled for both.
std::pair<Context, CancelFunc> with_deadline_cause(const Context& parent, time::Time d, Error cause);
std::pair<Context, CancelFunc> with_timeout_cause(const Context& parent, time::Duration d, Error cause);
template <class Rep, class Period>
std::pair<Context, CancelFunc> with_timeout_cause(const Context& parent, std::chrono::duration<Rep, Period> d,
                                                  Error cause) {
    return with_timeout_cause(parent, time::to_duration(d), std::move(cause));
}
// context.Cause(ctx): nil while ctx is not done; then the cause its nearest
// cancellable context was cancelled with: the Error given to a
// CancelCauseFunc or with_*_cause, the parent's cause when the parent's
// cancellation reached it, else ctx.err(). nil for background(), todo() and
// without_cancel contexts.
Error cause(const Context& ctx);

// Go 1.21's context.WithoutCancel: parent's values, but never done (nil
// done(), nil err() and cause(), no deadline), whatever happens to parent.
Context without_cancel(const Context& parent);

// Go's context.AfterFunc: once ctx is done, f runs in its own goroutine
// (at once if ctx is done already). The returned stop() ends the
// association: true if it kept f from running, false if f has been started
// or stop was called before. A context that can never be done never runs f.
std::function<bool()> after_func(const Context& ctx, std::function<void()> f);

namespace detail {
Context with_value_erased(const Context& parent, const void* key, std::shared_ptr<const void> value);
}
template <class T, class V>
Context with_value(const Context& parent, const Key<T>& key, V&& value) {
    return detail::with_value_erased(parent, &key, std::make_shared<const T>(std::forward<V>(value)));
}

}  // namespace gocxx::context

GOCXX_API_END
