// fmt::Println for the conformance ports: prints its operands the way Go's
// fmt.Println does (space-separated, bools as true/false, slices as [a b c],
// a nil error as <nil>), one whole line at a time.
#pragma once
#include <cstddef>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gocxx/gocxx.hpp>

namespace fmt {

inline void put(std::ostream& os, bool b) { os << (b ? "true" : "false"); }
inline void put(std::ostream& os, const char* s) { os << s; }
inline void put(std::ostream& os, const std::string& s) { os << s; }
inline void put(std::ostream& os, const gocxx::Error& e) { os << e.message(); }
template <class T>
void put(std::ostream& os, const T& v) { os << v; }
template <class T>
void put(std::ostream& os, const std::vector<T>& v) {
    os << '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) os << ' ';
        put(os, v[i]);
    }
    os << ']';
}

template <class... A>
void Println(const A&... a) {
    std::ostringstream os;
    int i = 0;
    ((os << (i++ ? " " : ""), put(os, a)), ...);
    os << '\n';
    std::cout << os.str() << std::flush;
}

// Like Go's fmt.Sprint when every other operand is a string: the operands
// concatenated (the ports spell out the spaces Go would add).
template <class... A>
std::string Sprint(const A&... a) {
    std::ostringstream os;
    (put(os, a), ...);
    return os.str();
}

// Go's strconv.Quote (fmt's %q) for the ASCII the HTTP ports print.
inline std::string quote(std::string_view s) {
    std::string out = "\"";
    for (unsigned char ch : s) {
        switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (ch < 0x20 || ch >= 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", ch);
                out += buf;
            } else {
                out += static_cast<char>(ch);
            }
        }
    }
    return out + "\"";
}

}  // namespace fmt
