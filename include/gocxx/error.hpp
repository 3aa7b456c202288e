// gocxx::Error: Go's error. A value type; empty means nil.
//
//   Error err = ctx.err();
//   if (err) { ... }                          // if err != nil
//   if (err == context::Canceled) { ... }     // sentinel comparison
//   std::cout << err.message();
//
// Like errors.New, each Error("...") is a distinct error: == compares
// identity, not text, so sentinels work as in Go.
//
// An Error holds a shared, immutable error object (a gocxx::ErrorBase). Your
// own error types derive from ErrorBase, as a Go type implements `error`, and
// convert to Error implicitly:
//
//   struct NotFound : gocxx::ErrorBase {
//       explicit NotFound(std::string k) : key(std::move(k)) {}
//       std::string key;
//       std::string error() const override { return "not found: " + key; }
//   };
//   Error find(const std::string& k) { ...; return NotFound(k); }
//
// (A type that overrides a virtual function is not an aggregate, so give it a
// constructor.) Wrapping, errors::is, errors::as, errors::join: see
// <gocxx/errors.hpp>.
//
// Copies of an Error share the one object, which is const: Errors may be
// copied and read from any number of goroutines and threads at once.
#pragma once
#include <concepts>
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx {

class Error;

// The base of every error object: Go's `error` interface, plus the optional
// methods that Go's errors package looks for (Unwrap, Is). Derive from it
// publicly and override error(); override the others as needed. The object is
// immutable once it is inside an Error (it is held as `const`), so the
// methods must be const and safe to call from several threads at once.
class ErrorBase {
public:
    virtual ~ErrorBase();

    // Go's Error(): the error's text.
    virtual std::string error() const = 0;

    // Go's `Unwrap() error`: the one error this error wraps, or nil (the
    // default). Return an Error this object holds (a member), not a fresh one
    // each call: errors::as hands out pointers into the tree, which stay valid
    // only while the tree's owners do.
    virtual Error unwrap() const;

    // Go's `Unwrap() []error`: the errors this error combines (errors::join's
    // result returns its errors here); empty by default. Nil entries are
    // skipped. errors::is and errors::as look here only when unwrap() is nil.
    // The same ownership rule as unwrap() applies.
    virtual std::vector<Error> unwrap_all() const;

    // Go's optional `Is(error) bool`: true if this error should count as
    // equal to target (never nil here) for errors::is, beyond identity, e.g.
    // a type matching any target of its own type with the same code. Default:
    // false.
    virtual bool is(const Error& target) const;

protected:
    ErrorBase() = default;
    // Protected so that an ErrorBase cannot be copied on its own (slicing);
    // a derived type's copy and move use them.
    ErrorBase(const ErrorBase&) = default;
    ErrorBase(ErrorBase&&) = default;
    ErrorBase& operator=(const ErrorBase&) = default;
    ErrorBase& operator=(ErrorBase&&) = default;
};

class Error {
public:
    Error() noexcept = default;                       // nil
    Error(std::nullptr_t) noexcept {}                 // nil, for `return nullptr;`
    // A new error with this text (Go's errors.New): distinct from every other
    // error, even one with the same text.
    explicit Error(std::string message);
    // A new error holding a copy (or the moved-from value) of v: an object of
    // your own type derived from ErrorBase, e.g. `return NotFound("k");`. The
    // copy has v's static type: pass the most derived type, not a base
    // reference to it.
    template <class T>
        requires std::derived_from<std::remove_cvref_t<T>, ErrorBase> &&
                 std::constructible_from<std::remove_cvref_t<T>, T&&>
    Error(T&& v) : p_(std::make_shared<const std::remove_cvref_t<T>>(std::forward<T>(v))) {}
    // Takes shared ownership of an existing error object; a null p is nil.
    explicit Error(std::shared_ptr<const ErrorBase> p) noexcept : p_(std::move(p)) {}

    explicit operator bool() const noexcept { return p_ != nullptr; }
    // The error's text (the object's error()); "<nil>" for nil, as fmt prints it.
    std::string message() const { return p_ ? p_->error() : std::string("<nil>"); }
    // The error object, or nullptr for nil. It lives as long as some Error
    // that holds it.
    const ErrorBase* get() const noexcept { return p_.get(); }

    // Identity: true only for copies of the same error (or both nil), as Go's
    // == on errors.New values. Comparing with a freshly made value of your own
    // type would always be false, so that does not compile; use errors::is or
    // errors::as.
    friend bool operator==(const Error& a, const Error& b) noexcept { return a.p_ == b.p_; }
    friend bool operator==(const Error& a, std::nullptr_t) noexcept { return a.p_ == nullptr; }
    friend std::ostream& operator<<(std::ostream& os, const Error& e) { return os << e.message(); }

private:
    std::shared_ptr<const ErrorBase> p_;
};

// `err == NotFound("k")` would compare err with a brand-new error: always
// false. Rejected at compile time (see Error's operator==).
template <class T>
    requires std::derived_from<std::remove_cvref_t<T>, ErrorBase>
bool operator==(const Error&, const T&) = delete;

}  // namespace gocxx

GOCXX_API_END
