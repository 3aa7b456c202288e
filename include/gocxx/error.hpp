// gocxx::Error: Go's error. A value type; empty means nil.
//
//   Error err = ctx.err();
//   if (err) { ... }                          // if err != nil
//   if (err == context::Canceled) { ... }     // sentinel comparison
//   std::cout << err.message();
//
// Like errors.New, each Error("...") is a distinct error: == compares
// identity, not text, so sentinels work as in Go.
#pragma once
#include <memory>
#include <ostream>
#include <string>

namespace gocxx {

class Error {
public:
    Error() noexcept = default;                       // nil
    Error(std::nullptr_t) noexcept {}                 // nil, for `return nullptr;`
    explicit Error(std::string message) : p_(std::make_shared<const std::string>(std::move(message))) {}

    explicit operator bool() const noexcept { return p_ != nullptr; }
    // The error's text; "<nil>" for nil, as fmt prints it.
    const std::string& message() const noexcept {
        static const std::string nil = "<nil>";
        return p_ ? *p_ : nil;
    }

    friend bool operator==(const Error& a, const Error& b) noexcept { return a.p_ == b.p_; }
    friend bool operator==(const Error& a, std::nullptr_t) noexcept { return a.p_ == nullptr; }
    friend std::ostream& operator<<(std::ostream& os, const Error& e) { return os << e.message(); }

private:
    std::shared_ptr<const std::string> p_;
};

}  // namespace gocxx
