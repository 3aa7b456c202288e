// gocxx::net over the netpoller, on loopback only: parking reads, writes and
// accepts from goroutines and plain threads (each GOCXX_TEST runs with 1, 2
// and 4 workers, from a goroutine and from a thread), deadlines, close
// waking parked operations, EOF, refused, reset and unanswering peers, Go's error texts,
// and many connections at once (every byte sent is received once).
#define BOOST_TEST_MODULE net
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "helpers.hpp"

using namespace gocxx;
using namespace std::chrono_literals;
using gocxx::test::scaled;

namespace {

bool contains(const std::string& s, const std::string& sub) { return s.find(sub) != std::string::npos; }
bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

net::Listener must_listen(const char* network = "tcp", const char* addr = "127.0.0.1:0") {
    auto [ln, err] = net::listen(network, addr);
    BOOST_TEST_REQUIRE(!err, err.message());
    return ln;
}

// Echoes every connection the listener accepts until it is closed.
void serve_echo(net::Listener ln) {
    go([ln] {
        for (;;) {
            auto [c, err] = ln.accept();
            if (err) return;
            go([c = c] {
                char buf[4096];
                for (;;) {
                    auto [n, rerr] = c.read(buf);
                    if (n > 0 && c.write(std::string_view(buf, n)).second) break;
                    if (rerr) break;
                }
                c.close();
            });
        }
    });
}

// A connected pair over loopback: {client, server side}.
std::pair<net::Conn, net::Conn> conn_pair(const net::Listener& ln) {
    Channel<net::Conn> accepted(1);
    go([ln, accepted] { accepted.send(ln.accept().first); });
    auto [c, err] = net::dial("tcp", ln.addr().string());
    BOOST_TEST_REQUIRE(!err, err.message());
    net::Conn s = accepted.recv();
    BOOST_TEST_REQUIRE(bool(s));
    return {c, s};
}

double ms_since(time::Time t) { return std::chrono::duration<double, std::milli>(time::now() - t).count(); }

}  // namespace

GOCXX_TEST(echo_round_trips) {
    net::Listener ln = must_listen();
    serve_echo(ln);
    auto [c, err] = net::dial("tcp", ln.addr().string());
    BOOST_TEST_REQUIRE(!err, err.message());
    BOOST_TEST(c.remote_addr().string() == ln.addr().string());
    BOOST_TEST(starts_with(c.local_addr().string(), "127.0.0.1:"));
    for (int i = 0; i < 100; ++i) {
        const std::string msg = "message " + std::to_string(i);
        auto [n, werr] = c.write(msg);
        BOOST_TEST_REQUIRE(!werr, werr.message());
        BOOST_TEST(n == msg.size());
        std::string got(msg.size(), '\0');
        auto [m, rerr] = io::read_full(c, got);
        BOOST_TEST_REQUIRE(!rerr, rerr.message());
        BOOST_TEST(got == msg);
    }
    BOOST_TEST(!c.close());
    BOOST_TEST(!ln.close());
}

// Many connections at once, each sending a distinct pattern through the
// echo server: every byte comes back once, in order, on its own connection.
GOCXX_TEST(many_connections_conserve_bytes) {
    net::Listener ln = must_listen();
    serve_echo(ln);
    const int conns = static_cast<int>(scaled(200));
    const int rounds = 20;
    std::atomic<long> bad{0}, echoed{0};
    sync::WaitGroup wg;
    for (int i = 0; i < conns; ++i) {
        wg.add(1);
        go([&, i] {
            auto guard = defer([&] { wg.done(); });
            auto [c, err] = net::dial("tcp", ln.addr().string());
            if (err) {
                bad.fetch_add(1);
                return;
            }
            for (int r = 0; r < rounds; ++r) {
                const std::string msg = std::to_string(i) + ":" + std::to_string(r) + std::string(100 + i % 7, 'a' + r % 26);
                if (c.write(msg).second) {
                    bad.fetch_add(1);
                    return;
                }
                std::string got(msg.size(), '\0');
                if (io::read_full(c, got).second || got != msg) {
                    bad.fetch_add(1);
                    return;
                }
                echoed.fetch_add(static_cast<long>(msg.size()));
            }
            c.close_write();
            char b;
            if (c.read(std::span<char>(&b, 1)).second != io::Eof) bad.fetch_add(1);  // the server closes after EOF
            c.close();
        });
    }
    wg.wait();
    BOOST_TEST(bad.load() == 0);
    BOOST_TEST(echoed.load() > 0);
    ln.close();
}

GOCXX_TEST(read_deadline_times_out_with_go_text) {
    net::Listener ln = must_listen();
    auto [c, s] = conn_pair(ln);
    const auto t0 = time::now();
    BOOST_TEST(!c.set_read_deadline(t0 + 50ms));
    char buf[16];
    auto [n, err] = c.read(buf);
    BOOST_TEST(n == 0u);
    BOOST_TEST(ms_since(t0) >= 50);
    BOOST_TEST(ms_since(t0) < 2000);
    BOOST_TEST(net::is_timeout(err));
    BOOST_TEST(errors::is(err, os::ErrDeadlineExceeded));
    BOOST_TEST(err.message() == "read tcp " + c.local_addr().string() + "->" + c.remote_addr().string() + ": i/o timeout");
    auto* op = errors::as<net::OpError>(err);
    BOOST_TEST_REQUIRE(op != nullptr);
    BOOST_TEST(op->op == "read");
    BOOST_TEST(op->timeout());
    // The deadline stays in force until moved: the next read fails at once.
    const auto t1 = time::now();
    BOOST_TEST(net::is_timeout(c.read(buf).second));
    BOOST_TEST(ms_since(t1) < 1000);
    // Cleared, a read waits for data again.
    BOOST_TEST(!c.set_read_deadline(time::Time{}));
    BOOST_TEST(!s.write("x").second);
    auto [m, err2] = c.read(buf);
    BOOST_TEST(!err2);
    BOOST_TEST(m == 1u);
}

GOCXX_TEST(past_deadline_fails_at_once_for_read_and_write) {
    net::Listener ln = must_listen();
    auto [c, s] = conn_pair(ln);
    BOOST_TEST(!c.set_deadline(time::now() - 1s));
    char buf[4];
    const auto t0 = time::now();
    BOOST_TEST(net::is_timeout(c.read(buf).second));
    auto [n, werr] = c.write("data");
    BOOST_TEST(net::is_timeout(werr));
    BOOST_TEST(n == 0u);
    BOOST_TEST(starts_with(werr.message(), "write tcp "));
    BOOST_TEST(ms_since(t0) < 1000);
}

// A deadline moved while a read is parked takes effect: pushed later, the
// read keeps waiting past the old one; pulled in, it ends then.
GOCXX_TEST(deadline_moved_while_parked) {
    net::Listener ln = must_listen();
    auto [c, s] = conn_pair(ln);
    Channel<std::pair<double, bool>> done(1);
    const auto t0 = time::now();
    BOOST_TEST(!c.set_read_deadline(t0 + 60ms));
    go([c = c, done, t0] {
        char buf[4];
        auto [n, err] = c.read(buf);
        done.send({ms_since(t0), net::is_timeout(err)});
    });
    // Push it to 300 ms before the first one passes.
    BOOST_TEST(!c.set_read_deadline(t0 + 300ms));
    auto [took, timed_out] = done.recv();
    BOOST_TEST(timed_out);
    BOOST_TEST(took >= 300, "read ended after " << took << " ms");
    // Pulled in: from 10 s to 50 ms while parked.
    const auto t1 = time::now();
    BOOST_TEST(!c.set_read_deadline(t1 + 10s));
    go([c = c, done, t1] {
        char buf[4];
        auto [n, err] = c.read(buf);
        done.send({ms_since(t1), net::is_timeout(err)});
    });
    time::sleep(20ms);  // not synchronisation: the read may or may not be parked yet; both must work
    BOOST_TEST(!c.set_read_deadline(time::now() + 30ms));
    auto [took2, timed_out2] = done.recv();
    BOOST_TEST(timed_out2);
    BOOST_TEST(took2 < 5000, "read ended after " << took2 << " ms");
}

GOCXX_TEST(write_deadline_stops_a_blocked_writer) {
    net::Listener ln = must_listen();
    auto [c, s] = conn_pair(ln);  // s never reads: c's send buffer fills
    BOOST_TEST(!c.set_write_deadline(time::now() + 100ms));
    const std::string chunk(1 << 20, 'x');
    std::size_t total = 0;
    Error err;
    for (int i = 0; i < 64 && !err; ++i) {
        auto [n, e] = c.write(chunk);
        total += n;
        err = e;
    }
    BOOST_TEST(net::is_timeout(err), err.message());
    BOOST_TEST(total > 0u);
}

GOCXX_TEST(close_wakes_parked_reader_writer_and_accept) {
    net::Listener ln = must_listen();
    auto [c, s] = conn_pair(ln);
    Channel<Error> errs(3);
    go([c = c, errs] {
        char buf[4];
        errs.send(c.read(buf).second);
    });
    go([ln, errs] { errs.send(ln.accept().second); });
    // Let both park (bounded poll of the dump; not needed for correctness:
    // a read or accept that starts after close fails the same way).
    for (int i = 0; i < 200; ++i) {
        std::ostringstream os;
        runtime::dump_goroutines(os);
        std::string d = os.str();
        std::size_t k = 0, at = 0;
        while ((at = d.find("[IO wait", at)) != std::string::npos) ++k, ++at;
        if (k >= 2) break;
        time::sleep(5ms);
    }
    BOOST_TEST(!c.close());
    BOOST_TEST(!ln.close());
    for (int i = 0; i < 2; ++i) {
        Error e = errs.recv();
        BOOST_TEST(errors::is(e, net::ErrClosed), e.message());
        BOOST_TEST(contains(e.message(), "use of closed network connection"));
    }
    // A second close, and operations after close, say so too.
    Error again = c.close();
    BOOST_TEST(errors::is(again, net::ErrClosed));
    BOOST_TEST(starts_with(again.message(), "close tcp "));
    BOOST_TEST(errors::is(c.write("x").second, net::ErrClosed));
    BOOST_TEST(errors::is(ln.close(), net::ErrClosed));
    auto [ac, aerr] = ln.accept();
    BOOST_TEST(aerr.message() == "accept tcp " + ln.addr().string() + ": use of closed network connection");
}

GOCXX_TEST(eof_after_draining) {
    net::Listener ln = must_listen();
    auto [c, s] = conn_pair(ln);
    BOOST_TEST(!s.write("hello, ").second);
    BOOST_TEST(!s.write("world").second);
    BOOST_TEST(!s.close_write());
    auto [all, err] = io::read_all(c);
    BOOST_TEST(!err);
    BOOST_TEST(all == "hello, world");
    char b[1];
    auto [n, e2] = c.read(b);
    BOOST_TEST(n == 0u);
    BOOST_TEST((e2 == io::Eof));
    // After close_write the other direction still works.
    BOOST_TEST(!c.write("back").second);
    std::string got(4, '\0');
    BOOST_TEST(!io::read_full(s, got).second);
    BOOST_TEST(got == "back");
}

GOCXX_TEST(refused_and_bad_addresses_read_as_go) {
    std::string addr;
    {
        net::Listener ln = must_listen();
        addr = ln.addr().string();
        ln.close();
    }
    auto [c, err] = net::dial("tcp", addr);
    BOOST_TEST(!c);
    BOOST_TEST(err.message() == "dial tcp " + addr + ": connect: connection refused");
    BOOST_TEST(errors::as<net::OpError>(err) != nullptr);

    BOOST_TEST(net::dial("tcp", "nonsense").second.message() == "dial tcp: address nonsense: missing port in address");
    BOOST_TEST(net::dial("udpx", "127.0.0.1:1").second.message() == "dial udpx: unknown network udpx");
    BOOST_TEST(net::listen("tcp", "127.0.0.1:99999").second.message() == "listen tcp: address 99999: invalid port");
    BOOST_TEST(net::dial("tcp6", "127.0.0.1:80").second.message() ==
               "dial tcp6: address 127.0.0.1: no suitable address found");
    auto [hp, sperr] = net::split_host_port("[::1]:8080");
    BOOST_TEST(!sperr);
    BOOST_TEST(hp.host == "::1");
    BOOST_TEST(hp.port == "8080");
    BOOST_TEST(net::join_host_port("::1", "80") == "[::1]:80");
}

GOCXX_TEST(reset_peer_gives_connection_reset) {
    net::Listener ln = must_listen();
    auto [c, s] = conn_pair(ln);
    linger l{1, 0};  // close with RST
    BOOST_TEST(::setsockopt(s.fd(), SOL_SOCKET, SO_LINGER, &l, sizeof l) == 0);
    BOOST_TEST(!c.write("unread").second);  // unread data at the peer also makes its close an RST
    time::sleep(10ms);  // lets the bytes arrive; not synchronisation of our own
    s.close();
    char buf[16];
    Error err;
    for (int i = 0; i < 10 && !err; ++i) err = c.read(buf).second;
    BOOST_TEST(contains(err.message(), "read: connection reset by peer"), err.message());
}

GOCXX_TEST(unix_sockets) {
    char path[] = "/tmp/gocxx-net-XXXXXX";
    BOOST_TEST_REQUIRE(::mkdtemp(path) != nullptr);
    const std::string sock = std::string(path) + "/s";
    auto [ln, err] = net::listen("unix", sock);
    BOOST_TEST_REQUIRE(!err, err.message());
    BOOST_TEST(ln.addr().string() == sock);
    serve_echo(ln);
    auto [c, derr] = net::dial("unix", sock);
    BOOST_TEST_REQUIRE(!derr, derr.message());
    BOOST_TEST(c.remote_addr().string() == sock);
    BOOST_TEST(!c.write("over unix").second);
    std::string got(9, '\0');
    BOOST_TEST(!io::read_full(c, got).second);
    BOOST_TEST(got == "over unix");
    c.close();
    ln.close();
    BOOST_TEST(::access(sock.c_str(), F_OK) != 0);  // the listener removed its socket file
    ::rmdir(path);
    BOOST_TEST(contains(net::dial("unix", sock).second.message(), "connect: no such file or directory"));
}

GOCXX_TEST(ipv6_loopback) {
    auto [ln, err] = net::listen("tcp6", "[::1]:0");
    if (err) {
        BOOST_TEST_MESSAGE("no IPv6 loopback here: " << err.message());
        return;
    }
    serve_echo(ln);
    BOOST_TEST(starts_with(ln.addr().string(), "[::1]:"));
    auto [c, derr] = net::dial("tcp", ln.addr().string());
    BOOST_TEST_REQUIRE(!derr, derr.message());
    BOOST_TEST(!c.write("v6").second);
    std::string got(2, '\0');
    BOOST_TEST(!io::read_full(c, got).second);
    BOOST_TEST(got == "v6");
    ln.close();
}

GOCXX_TEST(dial_with_ended_context_or_timeout) {
    net::Listener ln = must_listen();
    auto [ctx, cancel] = context::with_cancel(context::background());
    cancel();
    auto [c, err] = net::dial_context(ctx, "tcp", ln.addr().string());
    BOOST_TEST(!c);
    BOOST_TEST(errors::is(err, context::Canceled), err.message());
    BOOST_TEST(err.message() == "dial tcp " + ln.addr().string() + ": operation was canceled");
    // A live context dials normally; so does a generous timeout.
    auto [ctx2, cancel2] = context::with_timeout(context::background(), 10s);
    auto [c2, err2] = net::dial_context(ctx2, "tcp", ln.addr().string());
    BOOST_TEST(!err2, err2.message());
    cancel2();
    auto [c3, err3] = net::dial_timeout("tcp", ln.addr().string(), 10s);
    BOOST_TEST(!err3, err3.message());
    auto [c4, err4] = net::dial_timeout("tcp", ln.addr().string(), -1s);
    BOOST_TEST(net::is_timeout(err4));
    BOOST_TEST(errors::is(err4, context::DeadlineExceeded));
    BOOST_TEST(err4.message() == "dial tcp " + ln.addr().string() + ": i/o timeout");
}

// A peer that does not answer (a listener whose accept queue is full: the
// kernel drops the SYN), the unreachable peer loopback can make: dial_timeout
// ends with Go's "i/o timeout", and a context cancelled while the connect is
// parked ends it with "operation was canceled".
GOCXX_TEST(unanswered_dial_ends_by_its_timeout_or_context) {
    const int l = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    BOOST_TEST_REQUIRE(l >= 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    BOOST_TEST_REQUIRE(::bind(l, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
    BOOST_TEST_REQUIRE(::listen(l, 0) == 0);  // a queue of one, never accepted
    BOOST_TEST_REQUIRE(::getsockname(l, reinterpret_cast<sockaddr*>(&sa), &len) == 0);
    const std::string addr = "127.0.0.1:" + std::to_string(ntohs(sa.sin_port));
    std::vector<net::Conn> held;  // the connections that fill the queue
    Error timed_out;
    for (int i = 0; i < 8 && !timed_out; ++i) {  // the queue holds one or two
        auto [c, err] = net::dial_timeout("tcp", addr, 300ms);
        if (err) timed_out = err;
        else held.push_back(c);
    }
    BOOST_TEST_REQUIRE(bool(timed_out), "every dial was answered");
    BOOST_TEST(timed_out.message() == "dial tcp " + addr + ": i/o timeout");
    BOOST_TEST(net::is_timeout(timed_out));
    BOOST_TEST(errors::is(timed_out, context::DeadlineExceeded));

    auto [ctx, cancel] = context::with_cancel(context::background());
    go([cancel = cancel] {
        time::sleep(50ms);  // the dial is parked in its connect by then, or not yet begun: both end Canceled
        cancel();
    });
    const time::Time t0 = time::now();
    auto [c, err] = net::dial_context(ctx, "tcp", addr);
    BOOST_TEST(!c);
    BOOST_TEST(err.message() == "dial tcp " + addr + ": operation was canceled");
    BOOST_TEST(errors::is(err, context::Canceled));
    BOOST_TEST(ms_since(t0) < 10000);
    ::close(l);
}

// 10,000 connections at once within the file limit (its soft limit raised
// to the hard one): 5,000 dialed and 5,000 accepted, each passing one byte.
BOOST_AUTO_TEST_CASE(ten_thousand_concurrent_connections) {
    rlimit rl{};
    ::getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
    const long pairs = std::min<long>(scaled(5000), (static_cast<long>(rl.rlim_cur) - 200) / 2);
    BOOST_TEST_MESSAGE("connection pairs: " << pairs << " (file limit " << rl.rlim_cur << ")");
    runtime::gomaxprocs(2);
    gocxx::run([&] {
        net::Listener ln = must_listen();
        std::vector<net::Conn> server(static_cast<std::size_t>(pairs)), client(static_cast<std::size_t>(pairs));
        std::atomic<long> errs{0}, got{0};
        sync::WaitGroup wg;
        wg.add(1);
        go([&] {
            for (long i = 0; i < pairs; ++i) {
                auto [c, err] = ln.accept();
                if (err) {
                    errs.fetch_add(1);
                    break;
                }
                server[static_cast<std::size_t>(i)] = c;
            }
            wg.done();
        });
        // Dial in waves of 500, under the listen backlog.
        for (long base = 0; base < pairs; base += 500) {
            sync::WaitGroup dials;
            for (long i = base; i < std::min(pairs, base + 500); ++i) {
                dials.add(1);
                go([&, i] {
                    auto [c, err] = net::dial("tcp", ln.addr().string());
                    if (err) errs.fetch_add(1);
                    client[static_cast<std::size_t>(i)] = c;
                    dials.done();
                });
            }
            dials.wait();
        }
        wg.wait();
        BOOST_TEST(errs.load() == 0);
        // Every client reads one byte, parked all at once; then each server
        // side writes it.
        sync::WaitGroup readers;
        for (long i = 0; i < pairs; ++i) {
            readers.add(1);
            go([&, i] {
                char b;
                auto [n, err] = client[static_cast<std::size_t>(i)].read(std::span<char>(&b, 1));
                if (n == 1 && b == 'z') got.fetch_add(1);
                readers.done();
            });
        }
        for (long i = 0; i < pairs; ++i) server[static_cast<std::size_t>(i)].write("z");
        readers.wait();
        BOOST_TEST(got.load() == pairs);
        for (auto& c : client) c.close();
        for (auto& c : server) c.close();
        ln.close();
    });
}

// Out of file descriptors: accept fails with Go's text, and works again once
// some are closed. The limit is lowered to a few above what is open, filled
// with duplicates of one descriptor, and restored at the end.
BOOST_AUTO_TEST_CASE(accept_out_of_descriptors_then_recovers) {
    runtime::gomaxprocs(2);
    gocxx::run([] {
        net::Listener ln = must_listen();
        auto [c1, e1] = net::dial("tcp", ln.addr().string());  // waits in the backlog
        BOOST_TEST_REQUIRE(!e1);
        rlimit old{};
        ::getrlimit(RLIMIT_NOFILE, &old);
        int top = ::dup(0);  // the lowest free descriptor
        BOOST_TEST_REQUIRE(top >= 0);
        ::close(top);
        rlimit low = old;
        low.rlim_cur = static_cast<rlim_t>(top + 16);
        BOOST_TEST_REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
        std::vector<int> fill;
        for (int i = 0; i < 64; ++i) {
            const int d = ::dup(ln.fd());
            if (d < 0) break;
            fill.push_back(d);
        }
        auto [c, err] = ln.accept();
        BOOST_TEST(!c);
        BOOST_TEST(err.message() == "accept tcp " + ln.addr().string() + ": accept4: too many open files", err.message());
        for (int d : fill) ::close(d);
        ::setrlimit(RLIMIT_NOFILE, &old);
        auto [c2, err2] = ln.accept();
        BOOST_TEST(!err2, err2.message());
        BOOST_TEST(bool(c2));
    });
}
