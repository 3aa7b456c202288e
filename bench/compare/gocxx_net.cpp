// gocxx side of bench/compare.py's network workloads; the Go side is
// bench/go/net/main.go (same names, counts and output lines).
//
//   gocxx_net http_client_L URL   N = 10 L payments, at most L in flight, against
//                                 the partner at URL (bench/go/partner): a
//                                 goroutine per payment, a buffered channel as
//                                 the semaphore, a WaitGroup, one shared
//                                 http::Client keeping L idle connections;
//                                 prints `http_client_L WALL ms`
//   gocxx_net tcp_echo_C          C connections of 512-byte ping-pong to an echo
//                                 server in this process for 2 s; prints
//                                 `tcp_echo_C NS ns/msg` (wall time / round trips)
//   gocxx_net http_hello          "Hello, World!" on GET /; prints `LISTEN addr`
//                                 and serves until killed (wrk drives it)
//   gocxx_net https_client_L URL CA   http_client_L over HTTPS (URL https://...),
//                                 trusting the CA file CA
//   gocxx_net tls_handshake_N ADDR CA  N new TLS connections one after another
//                                 (tls::dial: dial and handshake; close) to
//                                 ADDR; prints `tls_handshake_N US us/conn`
//
// GOMAXPROCS from the environment, as Go reads it.
#include <gocxx/gocxx.hpp>
#include <gocxx/http/http.hpp>
#include <gocxx/io/io.hpp>
#include <gocxx/net/net.hpp>
#include <gocxx/tls/tls.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

using namespace gocxx;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPaymentsPerLimit = 10;  // N = 10 L
constexpr std::size_t kEchoMsg = 512;  // bytes per echo message
constexpr auto kEchoTime = std::chrono::seconds(2);

template <class... A>
[[noreturn]] void fail(const char* fmt, A... a) {
    std::fprintf(stderr, "gocxx_net: ");
    std::fprintf(stderr, fmt, a...);
    std::fprintf(stderr, "\n");
    std::exit(1);
}

double http_client(int limit, const std::string& partner, const std::string& ca = "") {
    const int n = kPaymentsPerLimit * limit;
    double ms = 0;
    long failed_total = 0;
    std::string first_error;
    gocxx::run([&] {
        http::Client client;
        client.transport = std::make_shared<http::Transport>();
        client.transport->max_idle_conns_per_host = limit;  // as Go's MaxIdleConnsPerHost = L
        client.transport->tls_config.root_cas_file = ca;    // https: the partner's CA
        std::atomic<long> failed{0};
        const auto t0 = Clock::now();
        Channel<Unit> sem(limit);
        sync::WaitGroup wg;
        for (int i = 0; i < n; i++) {
            sem.send({});
            wg.add(1);
            go([&, i] {
                auto release = defer([&] {
                    sem.recv();
                    wg.done();
                });
                auto [resp, err] = client.get(partner + "/payments/" + std::to_string(i) + "/status");
                if (err || resp.status_code != http::StatusOK || resp.body != "settled") {
                    if (failed++ == 0) first_error = err ? err.message() : resp.status;
                }
            });
        }
        wg.wait();
        ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        failed_total = failed;
    });
    if (failed_total > 0)
        fail("http%s_client_%d: %ld of %d requests failed (%s)", ca.empty() ? "" : "s", limit, failed_total, n,
             first_error.c_str());
    return ms;
}

double tls_handshake(int n, const std::string& addr, const std::string& ca) {
    double us = 0;
    gocxx::run([&] {
        tls::Config cfg;
        cfg.root_cas_file = ca;
        const auto t0 = Clock::now();
        for (int i = 0; i < n; i++) {
            auto [c, err] = tls::dial("tcp", addr, cfg);
            if (err) fail("tls_handshake: %s", err.message().c_str());
            c.close();
        }
        us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / n;
    });
    return us;
}

void echo_serve(net::Conn c) {
    std::array<char, kEchoMsg> buf;
    for (;;) {
        auto [n, err] = c.read(buf);
        if (n > 0) {
            if (auto [m, werr] = c.write(std::string_view(buf.data(), n)); werr) break;
        }
        if (err) break;
    }
    c.close();
}

double tcp_echo(int conns) {
    double ns = 0;
    gocxx::run([&] {
        auto [ln, err] = net::listen("tcp", "127.0.0.1:0");
        if (err) fail("listen: %s", err.message().c_str());
        go([ln] {
            for (;;) {
                auto [c, err] = ln.accept();
                if (err) return;
                go(echo_serve, c);
            }
        });
        const std::string addr = ln.addr().string();
        std::atomic<bool> stop{false};
        std::atomic<long> total{0};
        sync::WaitGroup dialed, wg;
        Channel<Unit> start;
        dialed.add(conns);
        wg.add(conns);
        for (int i = 0; i < conns; i++) {
            go([&] {
                auto [c, err] = net::dial("tcp", addr);
                dialed.done();
                if (err) fail("dial: %s", err.message().c_str());
                const std::string msg(kEchoMsg, 'x');
                std::array<char, kEchoMsg> buf;
                start.recv();
                long k = 0;
                while (!stop.load(std::memory_order_relaxed)) {
                    if (auto [m, werr] = c.write(msg); werr) fail("write: %s", werr.message().c_str());
                    if (auto [m, rerr] = io::read_full(c, buf); rerr) fail("read: %s", rerr.message().c_str());
                    k++;
                }
                c.close();
                total += k;
                wg.done();
            });
        }
        dialed.wait();
        const auto t0 = Clock::now();
        start.close();
        time::sleep(kEchoTime);
        stop = true;
        wg.wait();
        const double el = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
        ln.close();
        ns = el / static_cast<double>(total.load());
    });
    return ns;
}

void http_hello() {
    gocxx::run([] {
        auto [ln, err] = net::listen("tcp", "127.0.0.1:0");
        if (err) fail("listen: %s", err.message().c_str());
        http::ServeMux mux;
        mux.handle_func("/", [](http::ResponseWriter& w, http::Request&) {
            w.header().set("Content-Type", "text/plain");
            w.write("Hello, World!");
        });
        http::Server srv(mux);
        std::printf("LISTEN %s\n", ln.addr().string().c_str());
        std::fflush(stdout);
        if (Error e = srv.serve(ln)) fail("serve: %s", e.message().c_str());
    });
}

[[noreturn]] void usage() {
    std::fprintf(stderr, "usage: gocxx_net http_client_L URL | https_client_L URL CA | tls_handshake_N ADDR CA | "
                         "tcp_echo_C | http_hello\n");
    std::exit(2);
}

int suffix(const std::string& name, const std::string& prefix) {
    const int v = std::atoi(name.c_str() + prefix.size());
    if (v < 1) usage();
    return v;
}

}  // namespace

int main(int argc, char** argv) {
    if (const char* s = std::getenv("GOMAXPROCS"); s && std::atoi(s) > 0) runtime::gomaxprocs(std::atoi(s));
    if (argc < 2) usage();
    const std::string name = argv[1];
    if (name.rfind("http_client_", 0) == 0 && argc == 3) {
        std::printf("%s %.2f ms\n", name.c_str(), http_client(suffix(name, "http_client_"), argv[2]));
    } else if (name.rfind("https_client_", 0) == 0 && argc == 4) {
        std::printf("%s %.2f ms\n", name.c_str(), http_client(suffix(name, "https_client_"), argv[2], argv[3]));
    } else if (name.rfind("tls_handshake_", 0) == 0 && argc == 4) {
        std::printf("%s %.2f us/conn\n", name.c_str(), tls_handshake(suffix(name, "tls_handshake_"), argv[2], argv[3]));
    } else if (name.rfind("tcp_echo_", 0) == 0 && argc == 2) {
        std::printf("%s %.2f ns/msg\n", name.c_str(), tcp_echo(suffix(name, "tcp_echo_")));
    } else if (name == "http_hello" && argc == 2) {
        http_hello();
    } else {
        usage();
    }
    return 0;
}
