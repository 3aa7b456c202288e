// Duration.String, as Go's time/time.go writes it: the digits are built from
// the end of a buffer, fraction first.
#include <gocxx/time/duration.hpp>

#include <cstdint>

namespace gocxx::time {

namespace {

// The fraction of v / 10^prec (".12345") just before buf[w], trailing zeros
// (and the point, if nothing is left) left out. Returns v / 10^prec.
std::uint64_t put_frac(char* buf, int& w, std::uint64_t v, int prec) noexcept {
    bool print = false;
    for (int i = 0; i < prec; ++i) {
        const auto digit = static_cast<char>(v % 10);
        print = print || digit != 0;
        if (print) buf[--w] = static_cast<char>('0' + digit);
        v /= 10;
    }
    if (print) buf[--w] = '.';
    return v;
}

// v in decimal just before buf[w].
void put_int(char* buf, int& w, std::uint64_t v) noexcept {
    if (v == 0) {
        buf[--w] = '0';
        return;
    }
    for (; v > 0; v /= 10) buf[--w] = static_cast<char>('0' + v % 10);
}

}  // namespace

std::string to_string(Duration d) {
    // The longest is "-2562047h47m16.854775808s".
    char buf[32];
    int w = sizeof buf;
    const bool neg = d.count() < 0;
    std::uint64_t u = static_cast<std::uint64_t>(d.count());
    if (neg) u = -u;  // unsigned: the minimum's magnitude too

    constexpr std::uint64_t kMicro = 1000, kMilli = 1000000, kSecond = 1000000000;
    if (u < kSecond) {
        // Under a second: a smaller unit, like 1.2ms.
        int prec = 0;
        buf[--w] = 's';
        if (u == 0) return "0s";
        if (u < kMicro) {
            buf[--w] = 'n';
        } else if (u < kMilli) {
            prec = 3;
            buf[--w] = '\xb5';  // U+00B5 MICRO SIGN, 0xC2 0xB5 in UTF-8
            buf[--w] = '\xc2';
        } else {
            prec = 6;
            buf[--w] = 'm';
        }
        u = put_frac(buf, w, u, prec);
        put_int(buf, w, u);
    } else {
        buf[--w] = 's';
        u = put_frac(buf, w, u, 9);
        put_int(buf, w, u % 60);  // whole seconds
        u /= 60;
        if (u > 0) {  // minutes
            buf[--w] = 'm';
            put_int(buf, w, u % 60);
            u /= 60;
            if (u > 0) {  // hours: Go stops there (days differ in length)
                buf[--w] = 'h';
                put_int(buf, w, u);
            }
        }
    }
    if (neg) buf[--w] = '-';
    return std::string(buf + w, sizeof buf - w);
}

}  // namespace gocxx::time
