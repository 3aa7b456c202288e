// gocxx::bufio::Reader over a source that hands out its bytes in small,
// uneven chunks (and, at the end, over a loopback connection): lines and
// delimited strings come back whole and in order, every byte exactly once.
#define BOOST_TEST_MODULE bufio
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <span>
#include <string>
#include <tuple>

#include <gocxx/bufio/reader.hpp>
#include <gocxx/gocxx.hpp>

using namespace gocxx;

namespace {
// Hands out `data` in chunks of 1, 2, 3, ... 7 bytes, then io::Eof (or `end`).
struct Chunky {
    std::string data;
    Error end = io::Eof;
    std::size_t at = 0, step = 0;
    std::pair<std::size_t, Error> read(std::span<char> b) {
        if (at == data.size()) return {0, end};
        const std::size_t n = std::min({b.size(), data.size() - at, step % 7 + 1});
        ++step;
        std::copy_n(data.data() + at, n, b.data());
        at += n;
        return {n, Error()};
    }
};
}  // namespace

BOOST_AUTO_TEST_CASE(read_string_returns_each_piece_with_its_delimiter) {
    Chunky src{"alpha\nbeta\n\ngamma"};
    bufio::Reader rd(src, 16);
    std::vector<std::string> got;
    Error err;
    for (int i = 0; i < 10 && !err; ++i) {
        auto [s, e] = rd.read_string('\n');
        got.push_back(s);
        err = e;
    }
    BOOST_TEST((got == std::vector<std::string>{"alpha\n", "beta\n", "\n", "gamma"}));
    BOOST_TEST((err == io::Eof));
}

BOOST_AUTO_TEST_CASE(read_string_longer_than_the_buffer) {
    const std::string big(1000, 'x');
    Chunky src{big + ";" + "tail"};
    bufio::Reader rd(src, 16);
    auto [s, e] = rd.read_string(';');
    BOOST_TEST(!e);
    BOOST_TEST(s == big + ";");
    auto [t, e2] = rd.read_string(';');
    BOOST_TEST(t == "tail");
    BOOST_TEST((e2 == io::Eof));
}

BOOST_AUTO_TEST_CASE(read_line_drops_line_endings_and_reports_prefixes) {
    Chunky src{"one\r\ntwo\n" + std::string(40, 'z') + "\nlast"};
    bufio::Reader rd(src, 16);
    auto [a, pa, ea] = rd.read_line();
    BOOST_TEST(a == "one");
    BOOST_TEST(!pa);
    auto [b, pb, eb] = rd.read_line();
    BOOST_TEST(b == "two");
    std::string long_line;
    bool prefix = true;
    for (int i = 0; i < 10 && prefix; ++i) {
        auto [part, p, e] = rd.read_line();
        BOOST_TEST(!e);
        long_line += part;
        prefix = p;
    }
    BOOST_TEST(long_line == std::string(40, 'z'));
    auto [l, pl, el] = rd.read_line();
    BOOST_TEST(l == "last");
    BOOST_TEST(!el);
    auto [none, pn, en] = rd.read_line();
    BOOST_TEST(none.empty());
    BOOST_TEST((en == io::Eof));
}

BOOST_AUTO_TEST_CASE(read_byte_peek_and_read_keep_every_byte_once) {
    std::string data;
    for (int i = 0; i < 300; ++i) data += static_cast<char>('a' + i % 26);
    Chunky src{data};
    bufio::Reader rd(src, 32);
    auto [pk, pe] = rd.peek(5);
    BOOST_TEST(!pe);
    BOOST_TEST(pk == data.substr(0, 5));
    BOOST_TEST((rd.peek(33).second == bufio::ErrBufferFull));
    std::string out;
    auto [c, ce] = rd.read_byte();
    BOOST_TEST(!ce);
    out += c;
    char buf[50];
    for (int i = 0; i < 100; ++i) {
        auto [n, e] = rd.read(buf);
        out.append(buf, n);
        if (e) {
            BOOST_TEST((e == io::Eof));
            break;
        }
    }
    BOOST_TEST(out == data);
    // io::read_all works on a Reader too.
    Chunky src2{data};
    bufio::Reader rd2(src2, 16);
    auto [all, ae] = io::read_all(rd2);
    BOOST_TEST(!ae);
    BOOST_TEST(all == data);
}

BOOST_AUTO_TEST_CASE(source_errors_come_after_the_buffered_data) {
    const Error boom("boom");
    Chunky src{"abc", boom};
    bufio::Reader rd(src);
    auto [s, e] = rd.read_string('\n');
    BOOST_TEST(s == "abc");
    BOOST_TEST((e == boom));
}

BOOST_AUTO_TEST_CASE(lines_over_a_connection) {
    gocxx::run([] {
        auto [ln, err] = net::listen("tcp", "127.0.0.1:0");
        BOOST_TEST_REQUIRE(!err);
        const int lines = 500;
        go([ln = ln] {
            auto [c, e] = ln.accept();
            if (e) return;
            for (int i = 0; i < lines; ++i) c.write("line " + std::to_string(i) + "\n");
            c.close();
        });
        auto [c, derr] = net::dial("tcp", ln.addr().string());
        BOOST_TEST_REQUIRE(!derr);
        bufio::Reader rd(c);
        int n = 0, bad = 0;
        for (;;) {
            auto [line, e] = rd.read_string('\n');
            if (e) {
                BOOST_TEST((e == io::Eof));
                BOOST_TEST(line.empty());
                break;
            }
            if (line != "line " + std::to_string(n) + "\n") ++bad;
            ++n;
        }
        BOOST_TEST(n == lines);
        BOOST_TEST(bad == 0);
        ln.close();
    });
}
