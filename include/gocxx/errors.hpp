// gocxx::errors: Go's errors package (Is, As, Unwrap, Join) and fmt.Errorf's
// %w wrapping.
//
//   Error err = errors::wrap(read(name), "read " + name);  // fmt.Errorf("read %s: %w", name, err)
//   if (errors::is(err, context::Canceled)) { ... }        // errors.Is
//   if (auto* nf = errors::as<NotFound>(err)) { ... nf->key ... }  // errors.As
//   Error all = errors::join(e1, e2, e3);                  // errors.Join
//
// An error may wrap one error (ErrorBase::unwrap) or several
// (ErrorBase::unwrap_all), so the errors reachable from err form a tree. is
// and as walk it depth-first, err itself first, then what it wraps, each
// branch of a join in order, as Go 1.20's do.
#pragma once
#include <concepts>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <gocxx/error.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::errors {

namespace detail {
// Depth-first search of err's tree: the first error object e for which
// match(*e, arg) is true, or nullptr. The pointer is owned by err's tree.
using Match = bool (*)(const ErrorBase& e, void* arg);
const ErrorBase* find(const Error& err, Match match, void* arg);
}  // namespace detail

// Go's errors.Is: true if some error in err's tree is target (identity, ==)
// or says it is (its ErrorBase::is(target) returns true). is(nil, nil) is
// true; is(err, nil) is false for a non-nil err, and is(nil, target) false
// for a non-nil target.
bool is(const Error& err, const Error& target);

// Go's errors.As: the first error object in err's tree whose dynamic type is
// T or derived from T (a dynamic_cast succeeds), or nullptr; nullptr for nil.
// T is normally a type derived from ErrorBase; any polymorphic class works,
// so an interface-like mixin that some error types also derive from can be
// asked for, like Go's As with an interface target.
//
//   if (auto* nf = errors::as<NotFound>(err)) use(nf->key);
//
// The pointer belongs to err's tree: it stays valid while err (or another
// Error sharing the tree) is alive. Hence err must be an lvalue: as on a
// temporary (`as<T>(f())`) does not compile, as it would dangle at once.
template <class T>
    requires std::is_class_v<T> && std::is_polymorphic_v<T>
const T* as(const Error& err) {
    const T* found = nullptr;
    detail::find(
        err,
        [](const ErrorBase& e, void* out) {
            const T* p = dynamic_cast<const T*>(&e);
            if (p != nullptr) *static_cast<const T**>(out) = p;
            return p != nullptr;
        },
        &found);
    return found;
}
template <class T>
const T* as(const Error&&) = delete;

// Go's errors.Unwrap: the one error err wraps (its ErrorBase::unwrap()), or
// nil: nil for nil, for an error that wraps nothing, and for a join (which
// wraps several; Go's Unwrap does not look at Unwrap() []error either).
Error unwrap(const Error& err);

// Go's errors.Join: an error that wraps the non-nil errors of errs, in order
// (ErrorBase::unwrap_all returns them). Nil entries are dropped; if none is
// left the result is nil. Its message is the messages joined with "\n". Like
// Go's, the result is a new error even for a single error: join(e) != e, but
// is(join(e), e).
Error join(std::vector<Error> errs);

// errors::join(a, b, ...): the same with the errors as arguments; each is an
// Error, nullptr, or a value of an error type (converted as by Error's
// constructor). join() is nil.
template <class... E>
    requires(std::convertible_to<E, Error> && ...)
Error join(E&&... errs) {
    std::vector<Error> v;
    v.reserve(sizeof...(E));
    (v.emplace_back(std::forward<E>(errs)), ...);
    return join(std::move(v));
}

// fmt.Errorf("<message>: %w", err): a new error with the text
// message + ": " + err.message(), made now, that wraps err (unwrap returns it,
// so is and as see through it).
//
// wrap(nil, "x") is not nil: it is a plain error with text "x: <nil>" that
// wraps nothing (unwrap gives nil). (Go's Errorf with a nil %w operand also
// returns a non-nil error, with text "x: %!w(<nil>)".) Check err first if a
// nil should stay nil.
Error wrap(Error err, std::string message);

}  // namespace gocxx::errors

GOCXX_API_END
