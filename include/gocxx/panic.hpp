// gocxx::Panic: Go's run-time panics as a C++ exception.
#pragma once
#include <stdexcept>
#include <string>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx {

// Thrown wherever Go panics (send on a closed channel, negative WaitGroup
// counter, ...). what() is Go's own message, word for word.
class Panic : public std::logic_error {
public:
    explicit Panic(const std::string& msg) : std::logic_error(msg) {}
    explicit Panic(const char* msg) : std::logic_error(msg) {}
};

}  // namespace gocxx

GOCXX_API_END
