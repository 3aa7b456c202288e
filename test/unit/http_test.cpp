// gocxx::http client and server over loopback: round trips, keep-alive
// reuse, Go's answers to bad input (400, 431, a read timeout), a throwing
// handler (500, server stays up), a server that sends garbage, shutdown with
// requests in flight, max_conns_per_host, and the client's timeout. Each
// GOCXX_TEST runs with 1, 2 and 4 workers, from a goroutine and a thread.
#define BOOST_TEST_MODULE http
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <vector>
#include <chrono>
#include <string>

#include <gocxx/http/http.hpp>

#include "fixture.hpp"
#include "helpers.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& s, const std::string& sub) { return s.find(sub) != std::string::npos; }

// A server on 127.0.0.1:0 for the test's lifetime, serving `mux`.
struct TestServer {
    http::ServeMux mux;
    std::unique_ptr<http::Server> srv;
    net::Listener ln;
    Channel<Error> served{1};
    time::Duration read_timeout{};

    void start() {
        auto [l, err] = net::listen("tcp", "127.0.0.1:0");
        BOOST_TEST_REQUIRE(!err, err.message());
        ln = l;
        srv = std::make_unique<http::Server>(mux);
        srv->read_timeout = read_timeout;
        go([this] { served.send(srv->serve(ln)); });
    }
    std::string url(const std::string& path) const { return "http://" + ln.addr().string() + path; }
    ~TestServer() {
        if (srv) {
            srv->close();
            served.recv();
        }
    }
};

// Sends raw bytes and returns everything the server answers until it closes.
std::string raw_exchange(const std::string& addr, const std::string& bytes) {
    auto [c, err] = net::dial("tcp", addr);
    if (err) return "dial: " + err.message();
    c.set_deadline(time::now() + 10s);
    c.write(bytes);
    auto [all, rerr] = io::read_all(c);
    return all;
}

}  // namespace

GOCXX_TEST(get_and_post_round_trip) {
    TestServer ts;
    ts.mux.handle_func("GET /payments/{id}/status", [](http::ResponseWriter& w, http::Request& r) {
        w.header().set("Content-Type", "application/json");
        w.write("{\"id\":\"" + r.path_value("id") + "\",\"q\":\"" + r.url.query("x") + "\"}");
    });
    ts.mux.handle_func("POST /echo", [](http::ResponseWriter& w, http::Request& r) {
        w.header().set("X-Len", std::to_string(r.body.size()));
        w.write_header(http::StatusCreated);
        w.write(r.header.get("Content-Type") + ":" + r.body);
    });
    ts.start();
    http::Client client;
    auto [resp, err] = client.get(ts.url("/payments/42/status?x=a%20b"));
    BOOST_TEST_REQUIRE(!err, err.message());
    BOOST_TEST(resp.status_code == 200);
    BOOST_TEST(resp.status == "200 OK");
    BOOST_TEST(resp.header.get("content-type") == "application/json");
    BOOST_TEST(resp.body == "{\"id\":\"42\",\"q\":\"a b\"}");
    BOOST_TEST(!resp.header.get("Date").empty());

    auto [r2, err2] = client.post(ts.url("/echo"), "text/plain", "hello");
    BOOST_TEST_REQUIRE(!err2, err2.message());
    BOOST_TEST(r2.status_code == 201);
    BOOST_TEST(r2.header.get("X-Len") == "5");
    BOOST_TEST(r2.body == "text/plain:hello");

    auto [r3, err3] = client.get(ts.url("/nowhere"));
    BOOST_TEST(!err3);
    BOOST_TEST(r3.status_code == 404);
    BOOST_TEST(r3.body == "404 page not found\n");
    auto [r4, err4] = client.post(ts.url("/payments/1/status"), "text/plain", "");
    BOOST_TEST(r4.status_code == 405);
}

// Sequential requests reuse one kept-alive connection; concurrent ones
// open more, and come back to the idle list (at most 2 kept per host).
GOCXX_TEST(keep_alive_reuses_connections) {
    std::atomic<int> seen_remote_changes{0};
    Channel<std::string> remotes(1000);
    TestServer ts;  // after what its handlers use: destroyed (and stopped) first
    ts.mux.handle_func("/", [&](http::ResponseWriter& w, http::Request& r) {
        remotes.send(r.remote_addr);
        w.write("ok");
    });
    ts.start();
    http::Client client;
    client.transport = std::make_shared<http::Transport>();
    for (int i = 0; i < 20; ++i) {
        auto [resp, err] = client.get(ts.url("/"));
        BOOST_TEST_REQUIRE(!err, err.message());
        BOOST_TEST(resp.body == "ok");
    }
    const std::string first = remotes.recv();
    for (int i = 1; i < 20; ++i)
        if (remotes.recv() != first) seen_remote_changes.fetch_add(1);
    BOOST_TEST(seen_remote_changes.load() == 0);  // one connection for all 20
}

// r.context() is done once the client goes away (Go's background read):
// a handler waiting on it wakes when the client closes, with Canceled.
GOCXX_TEST(request_context_done_when_client_goes_away) {
    Channel<Unit> started(1);
    Channel<std::string> outcome(1);
    TestServer ts;
    ts.mux.handle_func("/wait", [&](http::ResponseWriter& w, http::Request& r) {
        started.send(Unit{});
        std::string what = "handler was not woken";
        select(case_recv(r.context().done(), [&] { what = r.context().err().message(); }),
               case_recv(time::after(20s)));
        outcome.send(what);
        w.write("late");
    });
    ts.start();
    auto [c, err] = net::dial("tcp", ts.ln.addr().string());
    BOOST_TEST_REQUIRE(!err, err.message());
    c.write("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
    started.recv();
    c.close();
    BOOST_TEST(outcome.recv() == "context canceled");
}

// A client that stays keeps the context alive for the whole handler, and a
// request that arrives while the handler runs (pipelined: its first byte is
// taken by the background read) is served next, whole.
GOCXX_TEST(request_context_lives_while_client_waits_and_pipelined_request_is_kept) {
    Channel<Unit> started(2);
    Channel<Unit> release;
    TestServer ts;
    ts.mux.handle_func("/", [&](http::ResponseWriter& w, http::Request& r) {
        if (r.url.path == "/slow") {
            started.send(Unit{});
            release.recv();
        }
        w.write(r.url.path + (r.context().err() ? " done" : " alive"));
    });
    ts.start();
    auto [c, err] = net::dial("tcp", ts.ln.addr().string());
    BOOST_TEST_REQUIRE(!err, err.message());
    c.set_deadline(time::now() + 10s);
    c.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    started.recv();
    c.write("GET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    release.close();
    auto [all, rerr] = io::read_all(c);
    BOOST_TEST(!rerr);
    const auto first = all.find("/slow alive");
    const auto second = all.find("/second alive");
    BOOST_TEST(first != std::string::npos, all);
    BOOST_TEST(second != std::string::npos, all);
    BOOST_TEST(first < second);
}

GOCXX_TEST(bad_input_gets_go_answers) {
    TestServer ts;
    ts.mux.handle_func("/", [](http::ResponseWriter& w, http::Request&) { w.write("ok"); });
    ts.srv = nullptr;
    ts.start();
    const std::string addr = ts.ln.addr().string();
    std::string r = raw_exchange(addr, "NOT A REQUEST\r\n\r\n");
    BOOST_TEST(r.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0, r);
    BOOST_TEST(contains(r, "Connection: close"));
    std::string big = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2 << 20, 'a') + "\r\n\r\n";
    r = raw_exchange(addr, big);
    BOOST_TEST(r.rfind("HTTP/1.1 431 Request Header Fields Too Large\r\n", 0) == 0, r.substr(0, 80));
    // After all that the server still serves.
    r = raw_exchange(addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0, r);
    BOOST_TEST(contains(r, "\r\n\r\nok"));
}

GOCXX_TEST(throwing_handler_answers_500_and_server_stays_up) {
    TestServer ts;
    ts.mux.handle_func("/boom", [](http::ResponseWriter& w, http::Request&) {
        w.write("partial");
        throw std::runtime_error("handler failed");
    });
    ts.mux.handle_func("/fine", [](http::ResponseWriter& w, http::Request&) { w.write("fine"); });
    ts.start();
    http::Client client;
    auto [r1, e1] = client.get(ts.url("/boom"));
    BOOST_TEST_REQUIRE(!e1, e1.message());
    BOOST_TEST(r1.status_code == 500);
    BOOST_TEST(r1.body == "Internal Server Error\n");
    auto [r2, e2] = client.get(ts.url("/fine"));
    BOOST_TEST_REQUIRE(!e2, e2.message());
    BOOST_TEST(r2.body == "fine");
}

GOCXX_TEST(read_timeout_cuts_off_a_silent_client) {
    TestServer ts;
    ts.mux.handle_func("/", [](http::ResponseWriter& w, http::Request&) { w.write("ok"); });
    ts.read_timeout = 100ms;
    ts.start();
    auto [c, err] = net::dial("tcp", ts.ln.addr().string());
    BOOST_TEST_REQUIRE(!err);
    c.write("GET / HTTP/1.1\r\n");  // and then nothing
    c.set_read_deadline(time::now() + 10s);
    const auto t0 = time::now();
    auto [all, rerr] = io::read_all(c);
    BOOST_TEST(!rerr, rerr.message());  // the server closed: EOF
    BOOST_TEST((time::now() - t0 < 5s));
}

GOCXX_TEST(garbage_from_a_server_is_an_error) {
    auto [ln, err] = net::listen("tcp", "127.0.0.1:0");
    BOOST_TEST_REQUIRE(!err);
    go([ln = ln] {
        for (int i = 0; i < 2; ++i) {
            auto [c, e] = ln.accept();
            if (e) return;
            char buf[1024];
            c.read(buf);
            c.write(i == 0 ? "this is not http\r\n\r\n" : "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
            c.close();
        }
    });
    http::Client client;
    client.timeout = 10s;
    auto [r1, e1] = client.get("http://" + ln.addr().string() + "/");
    BOOST_TEST(bool(e1));
    BOOST_TEST(contains(e1.message(), "Get \"http://" + ln.addr().string() + "/\": "), e1.message());
    auto [r2, e2] = client.get("http://" + ln.addr().string() + "/");
    BOOST_TEST(contains(e2.message(), "unexpected EOF"), e2.message());
    ln.close();
}

GOCXX_TEST(client_errors_read_as_go) {
    std::string addr;
    {
        auto [ln, err] = net::listen("tcp", "127.0.0.1:0");
        addr = ln.addr().string();
        ln.close();
    }
    http::Client client;
    auto [r, e] = client.get("http://" + addr + "/x");
    BOOST_TEST(e.message() == "Get \"http://" + addr + "/x\": dial tcp " + addr + ": connect: connection refused");
    BOOST_TEST(errors::as<net::OpError>(e) != nullptr);
    auto [r2, e2] = client.get("ftp://example.com/");
    BOOST_TEST(e2.message() == "Get \"ftp://example.com/\": unsupported protocol scheme \"ftp\"");
}

GOCXX_TEST(client_timeout_and_context) {
    Channel<Unit> release;
    TestServer ts;
    ts.mux.handle_func("/slow", [release](http::ResponseWriter& w, http::Request& r) {
        select(case_recv(release), case_recv(r.context().done()), case_recv(time::after(5s)));
        w.write("late");
    });
    ts.start();
    http::Client client;
    client.timeout = 100ms;
    const auto t0 = time::now();
    auto [r, e] = client.get(ts.url("/slow"));
    BOOST_TEST(bool(e));
    BOOST_TEST((time::now() - t0 < 3s));
    BOOST_TEST(contains(e.message(), "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"),
               e.message());
    BOOST_TEST(errors::is(e, context::DeadlineExceeded));
    BOOST_TEST(net::is_timeout(e));

    auto [ctx, cancel] = context::with_cancel(context::background());
    auto [req, rerr] = http::new_request_with_context(ctx, "GET", ts.url("/slow"));
    BOOST_TEST_REQUIRE(!rerr);
    go([cancel = cancel] {
        time::sleep(50ms);
        cancel();
    });
    http::Client plain;
    auto [r2, e2] = plain.do_(req);
    BOOST_TEST(errors::is(e2, context::Canceled), e2.message());
    release.close();
}

// At most max_conns_per_host at once: the others park until one is free.
GOCXX_TEST(max_conns_per_host_parks_callers) {
    std::atomic<int> in_flight{0}, peak{0};
    TestServer ts;
    ts.mux.handle_func("/", [&](http::ResponseWriter& w, http::Request&) {
        const int now = in_flight.fetch_add(1) + 1;
        int p = peak.load();
        while (now > p && !peak.compare_exchange_weak(p, now)) {
        }
        time::sleep(5ms);
        in_flight.fetch_sub(1);
        w.write("ok");
    });
    ts.start();
    http::Client client;
    client.transport = std::make_shared<http::Transport>();
    client.transport->max_conns_per_host = 3;
    std::atomic<int> ok{0};
    sync::WaitGroup wg;
    for (int i = 0; i < 30; ++i) {
        wg.add(1);
        go([&] {
            auto [r, e] = client.get(ts.url("/"));
            if (!e && r.body == "ok") ok.fetch_add(1);
            wg.done();
        });
    }
    wg.wait();
    BOOST_TEST(ok.load() == 30);
    BOOST_TEST(peak.load() <= 3);
    BOOST_TEST(peak.load() >= 1);
}

GOCXX_TEST(shutdown_lets_requests_in_flight_finish) {
    Channel<Unit> entered(1), release;
    TestServer ts;
    ts.mux.handle_func("/", [entered, release](http::ResponseWriter& w, http::Request&) {
        entered.send(Unit{});
        release.recv();
        w.write("finished");
    });
    ts.start();
    Channel<std::string> result(1);
    go([&] {
        http::Client client;
        auto [r, e] = client.get(ts.url("/"));
        result.send(e ? e.message() : r.body);
    });
    entered.recv();
    Channel<Error> shut(1);
    go([&] {
        auto [ctx, cancel] = context::with_timeout(context::background(), 10s);
        shut.send(ts.srv->shutdown(ctx));
        cancel();
    });
    release.close();
    BOOST_TEST(result.recv() == "finished");
    BOOST_TEST(!shut.recv());
    BOOST_TEST((ts.served.recv() == http::ErrServerClosed));
    ts.srv = nullptr;
}

// A server out of descriptors backs off and retries accept (Go's "http:
// Accept error: ...; retrying in 5ms"), and serves the waiting client once
// some are free again.
BOOST_AUTO_TEST_CASE(server_keeps_serving_after_running_out_of_descriptors) {
    runtime::gomaxprocs(2);
    gocxx::run([] {
        TestServer ts;
        ts.mux.handle_func("/", [](http::ResponseWriter& w, http::Request&) { w.write("ok"); });
        ts.start();
        // The client's socket is made before the limit drops; it connects
        // after, so the server's accept is the call that runs out.
        const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        BOOST_TEST_REQUIRE(s >= 0);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        sa.sin_port = htons(static_cast<std::uint16_t>(std::stoi(ts.ln.addr().string().substr(10))));
        rlimit old{};
        ::getrlimit(RLIMIT_NOFILE, &old);
        int top = ::dup(0);
        ::close(top);
        rlimit low = old;
        low.rlim_cur = static_cast<rlim_t>(top + 8);
        std::vector<int> fill;
        BOOST_TEST_REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
        for (int i = 0; i < 64; ++i) {
            const int d = ::dup(0);
            if (d < 0) break;
            fill.push_back(d);
        }
        BOOST_TEST_REQUIRE(::connect(s, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
        const std::string req = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        BOOST_TEST_REQUIRE(::write(s, req.data(), req.size()) == static_cast<ssize_t>(req.size()));
        time::sleep(50ms);  // the server meets EMFILE meanwhile (not synchronisation: it retries anyway)
        for (int d : fill) ::close(d);
        ::setrlimit(RLIMIT_NOFILE, &old);
        timeval tv{10, 0};
        ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        std::string all;
        runtime::blocking([&] {
            char buf[4096];
            for (ssize_t n; (n = ::read(s, buf, sizeof buf)) > 0;) all.append(buf, static_cast<std::size_t>(n));
        });
        ::close(s);
        BOOST_TEST(all.rfind("HTTP/1.1 200 OK\r\n", 0) == 0, all);
    });
}
