// gocxx::io: Go's io package for anything with Go's Read and Write.
//
// A reader is any object r with `r.read(std::span<char>)` returning
// {std::size_t, Error} (net::Conn, bufio::Reader, your own type); a writer
// has `w.write(std::string_view)` returning {std::size_t, Error}. As in Go,
// a read may return data and an error together, and io::Eof says the stream
// ended.
#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <gocxx/error.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::io {

// Go's io.EOF ("EOF") and io.ErrUnexpectedEOF ("unexpected EOF").
inline const Error Eof{"EOF"};
inline const Error ErrUnexpectedEOF{"unexpected EOF"};
// Go's io.ErrShortWrite ("short write").
inline const Error ErrShortWrite{"short write"};

// io.ReadAll: reads until EOF (not an error here) or another error.
template <class R>
std::pair<std::string, Error> read_all(R& r) {
    std::string out;
    std::size_t len = 0;
    out.resize(512);
    for (;;) {
        if (len == out.size()) out.resize(out.size() * 2);
        auto [n, err] = r.read(std::span<char>(out.data() + len, out.size() - len));
        len += n;
        if (err) {
            out.resize(len);
            if (err == Eof) return {std::move(out), Error()};
            return {std::move(out), err};
        }
    }
}

// io.ReadFull: reads exactly buf.size() bytes. EOF before any byte gives
// Eof; EOF after some gives ErrUnexpectedEOF.
template <class R>
std::pair<std::size_t, Error> read_full(R& r, std::span<char> buf) {
    std::size_t got = 0;
    while (got < buf.size()) {
        auto [n, err] = r.read(buf.subspan(got));
        got += n;
        if (err) {
            if (got == buf.size()) return {got, Error()};
            if (err == Eof) return {got, got == 0 ? Eof : ErrUnexpectedEOF};
            return {got, err};
        }
    }
    return {got, Error()};
}
template <class R, class B>
    requires std::is_convertible_v<B&, std::span<char>>
std::pair<std::size_t, Error> read_full(R& r, B& buf) {
    return read_full(r, std::span<char>(buf));
}

// io.Copy: from r to w until EOF (which is not an error here); returns the
// bytes copied.
template <class W, class R>
std::pair<std::size_t, Error> copy(W& w, R& r) {
    char buf[32 * 1024];
    std::size_t total = 0;
    for (;;) {
        auto [n, rerr] = r.read(std::span<char>(buf, sizeof buf));
        if (n > 0) {
            auto [m, werr] = w.write(std::string_view(buf, n));
            total += m;
            if (werr) return {total, werr};
            if (m != n) return {total, ErrShortWrite};
        }
        if (rerr) return {total, rerr == Eof ? Error() : rerr};
    }
}

// io.WriteString.
template <class W>
std::pair<std::size_t, Error> write_string(W& w, std::string_view s) {
    return w.write(s);
}

}  // namespace gocxx::io

GOCXX_API_END
