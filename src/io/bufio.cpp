// bufio.Reader, following Go's bufio.go (fill, Read, ReadSlice, ReadLine).
#include <gocxx/bufio/reader.hpp>

#include <algorithm>
#include <cstring>

namespace gocxx::bufio {

namespace {
constexpr int kMaxEmptyReads = 100;  // Go's maxConsecutiveEmptyReads
const Error& no_progress() {  // io.ErrNoProgress; built on first use (static constructors may read)
    static const Error e{"multiple Read calls return no data or error"};
    return e;
}
}  // namespace

void Reader::fill() {
    if (r_ > 0) {
        std::memmove(buf_.data(), buf_.data() + r_, w_ - r_);
        w_ -= r_;
        r_ = 0;
    }
    for (int i = 0; i < kMaxEmptyReads; ++i) {
        auto [n, err] = src_(std::span<char>(buf_.data() + w_, buf_.size() - w_));
        w_ += n;
        if (err) {
            err_ = err;
            return;
        }
        if (n > 0) return;
    }
    err_ = no_progress();
}

std::pair<std::size_t, Error> Reader::read(std::span<char> buf) {
    if (buf.empty()) return {0, buffered() > 0 ? Error() : take_err()};
    if (r_ == w_) {
        if (err_) return {0, take_err()};
        if (buf.size() >= buf_.size()) return src_(buf);  // large read: skip the copy
        r_ = w_ = 0;
        auto [n, err] = src_(std::span<char>(buf_.data(), buf_.size()));
        if (n == 0) return {0, err};
        w_ = n;
        err_ = err;
    }
    const std::size_t n = std::min(buf.size(), w_ - r_);
    std::memcpy(buf.data(), buf_.data() + r_, n);
    r_ += n;
    return {n, Error()};
}

std::pair<std::string, Error> Reader::read_string(char delim) {
    std::string out;
    for (;;) {
        const char* begin = buf_.data() + r_;
        const char* end = buf_.data() + w_;
        if (const char* at = std::find(begin, end, delim); at != end) {
            out.append(begin, at + 1);
            r_ += static_cast<std::size_t>(at + 1 - begin);
            return {std::move(out), Error()};
        }
        out.append(begin, end);  // no delimiter yet: keep it all, read on
        r_ = w_;
        if (err_) return {std::move(out), take_err()};
        fill();
    }
}

std::tuple<std::string, bool, Error> Reader::read_line() {
    // Go's ReadSlice('\n') within one buffer, then the line ending dropped.
    for (;;) {
        const char* begin = buf_.data() + r_;
        const char* end = buf_.data() + w_;
        if (const char* at = std::find(begin, end, '\n'); at != end) {
            std::string line(begin, at);
            r_ += static_cast<std::size_t>(at + 1 - begin);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            return {std::move(line), false, Error()};
        }
        if (err_) {
            std::string rest(begin, end);
            r_ = w_;
            if (rest.empty()) return {std::string(), false, take_err()};
            return {std::move(rest), false, Error()};  // Go: the last line without '\n', then EOF next time
        }
        if (w_ - r_ == buf_.size()) {  // full: hand out a prefix (keep a trailing '\r' for the next call)
            std::size_t n = buf_.size();
            if (buf_[r_ + n - 1] == '\r') --n;
            std::string part(begin, begin + n);
            r_ += n;
            return {std::move(part), true, Error()};
        }
        fill();
    }
}

std::pair<char, Error> Reader::read_byte() {
    while (r_ == w_) {
        if (err_) return {0, take_err()};
        fill();
    }
    return {buf_[r_++], Error()};
}

std::pair<std::string_view, Error> Reader::peek(std::size_t n) {
    if (n > buf_.size()) return {std::string_view(buf_.data() + r_, w_ - r_), ErrBufferFull};
    while (w_ - r_ < n && !err_) fill();
    if (w_ - r_ < n) return {std::string_view(buf_.data() + r_, w_ - r_), err_};
    return {std::string_view(buf_.data() + r_, n), Error()};
}

}  // namespace gocxx::bufio
