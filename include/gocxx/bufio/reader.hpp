// gocxx::bufio::Reader: Go's bufio.Reader over anything with Go's Read
// (net::Conn, your own type: `read(std::span<char>)` -> {std::size_t, Error}).
//
//   bufio::Reader rd(conn);
//   for (;;) {
//       auto [line, err] = rd.read_string('\n');   // the line with its '\n'
//       if (!line.empty()) handle(line);
//       if (err) break;                            // io::Eof at the end
//   }
//
// The Reader holds a reference to its source, which must outlive it (as a Go
// Reader holds the interface it wraps). One goroutine at a time uses it.
#pragma once
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <gocxx/error.hpp>
#include <gocxx/io/io.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::bufio {

// Go's bufio.ErrBufferFull ("bufio: buffer full").
inline const Error ErrBufferFull{"bufio: buffer full"};

class Reader {
public:
    static constexpr std::size_t kDefaultSize = 4096;  // Go's defaultBufSize

    template <class R>
        requires(!std::is_same_v<std::remove_cvref_t<R>, Reader>)
    explicit Reader(R& r, std::size_t size = kDefaultSize)
        : src_([&r](std::span<char> b) -> std::pair<std::size_t, Error> { return r.read(b); }),
          buf_(size < 16 ? 16 : size) {}

    // Go's Read: from the buffer if it holds anything, else one read of the
    // source (straight into buf when buf is at least the buffer's size).
    std::pair<std::size_t, Error> read(std::span<char> buf);
    // Go's ReadString(delim): up to and including delim. If the source ends
    // (or fails) first: what was read, and that error (io::Eof at the end).
    std::pair<std::string, Error> read_string(char delim);
    // Go's ReadLine: a line without its "\n" or "\r\n"; is_prefix is true
    // when the line did not fit the buffer (the rest comes in the next calls).
    std::tuple<std::string, bool, Error> read_line();
    // Go's ReadByte: {byte, nil} or {0, err}.
    std::pair<char, Error> read_byte();
    // Go's Peek(n): the next n bytes without consuming them (fewer, with
    // the error, if the source ends first; ErrBufferFull if n > the size).
    std::pair<std::string_view, Error> peek(std::size_t n);
    // Bytes buffered and not yet read.
    std::size_t buffered() const noexcept { return w_ - r_; }

private:
    // Reads once more into the buffer's free space (moving data to the front
    // first); records the source's error in err_.
    void fill();
    Error take_err() noexcept { return std::exchange(err_, Error()); }

    std::function<std::pair<std::size_t, Error>(std::span<char>)> src_;
    std::vector<char> buf_;
    std::size_t r_ = 0, w_ = 0;  // buf_[r_, w_) is buffered
    Error err_;                  // the source's error, reported once the buffer is drained
};

}  // namespace gocxx::bufio

GOCXX_API_END
