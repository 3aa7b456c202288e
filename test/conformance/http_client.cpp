// http_client: how the client takes what a hand-written HTTP server sends: a
// body with Content-Length, a chunked body, a connection closed inside the
// body, a garbage status line, a refused connection, Client.Timeout, and
// keep-alive reuse (counted by the server's accepts).
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gocxx/http/http.hpp>

#include "fmt.hpp"

using namespace gocxx;
using namespace std::chrono_literals;


using Reply = std::function<std::pair<std::string, bool>(const std::string& path, Channel<Unit> release)>;

// RawServer answers each request on ln with reply(path): the bytes to send,
// and whether to close the connection after them. It counts connections.
struct RawServer {
    net::Listener ln;
    sync::Mutex mu;
    int accepts = 0;
    Channel<Unit> release;

    std::string url(const std::string& path) const { return "http://" + ln.addr().string() + path; }
    int connections() {
        std::lock_guard<sync::Mutex> g(mu);
        return accepts;
    }
    // mask puts PORT for the server's port in err's text.
    std::string mask(const Error& err) const {
        const std::string port = net::split_host_port(ln.addr().string()).first.port;
        std::string s = err.message();
        const std::string from = ":" + port + "/";
        for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += 6) s.replace(at, from.size(), ":PORT/");
        return s;
    }
};

static std::pair<std::shared_ptr<RawServer>, Error> newRawServer(Reply reply) {
    auto [ln, err] = net::listen("tcp", "127.0.0.1:0");
    if (err) return {nullptr, err};
    auto s = std::make_shared<RawServer>();
    s->ln = ln;
    go([s, reply] {
        for (;;) {
            auto [c, err] = s->ln.accept();
            if (err) return;
            {
                std::lock_guard<sync::Mutex> g(s->mu);
                s->accepts++;
            }
            go([s, reply, c = c] {
                auto g = defer([&] { c.close(); });
                bufio::Reader rd(c);
                for (;;) {
                    auto [line, err] = rd.read_string('\n');
                    if (err) return;
                    std::istringstream fields(line);            // strings.Fields(line)
                    std::string method, path;
                    fields >> method >> path;
                    for (;;) {
                        auto [h, err] = rd.read_string('\n');
                        if (err) return;
                        if (h == "\r\n") break;
                    }
                    auto [out, closeAfter] = reply(path, s->release);
                    if (auto [n, werr] = c.write(out); werr || closeAfter) return;
                }
            });
        }
    });
    return {s, Error()};
}

int main() {
    return gocxx::run([] {
        auto [s, err0] = newRawServer([](const std::string& path, Channel<Unit> release) -> std::pair<std::string, bool> {
            if (path == "/length") return {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Test: one\r\n\r\nhello", false};
            if (path == "/chunked")
                return {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                        "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n",
                        false};
            if (path == "/short") return {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel", true};
            if (path == "/garbage") return {"GARBAGE\r\n\r\n", true};
            if (path == "/badcode") return {"HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n", true};
            if (path == "/badversion") return {"HTTP/x 200 OK\r\nContent-Length: 0\r\n\r\n", true};
            if (path == "/created")
                return {"HTTP/1.1 201 Created\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}", false};
            if (path == "/http10") return {"HTTP/1.0 200 OK\r\n\r\nuntil close", true};
            if (path == "/slow") {
                release.recv();                                 // <-release
                return {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true};
            }
            return {"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", false};
        });
        if (err0) {
            fmt::Println("listen:", err0);
            return;
        }
        http::Client client;                                    // client := &http.Client{}

        auto get = [&, &s = s](const std::string& what, const std::string& path) {
            auto [resp, err] = client.get(s->url(path));
            if (err) {
                fmt::Println(what, "error:", s->mask(err));
                return;
            }
            const std::string& body = resp.body;                // body, err := io.ReadAll(resp.Body)
            fmt::Println(what, "->", resp.status, resp.proto, "ContentLength", resp.content_length,
                         "body", fmt::quote(body), "err", Error());
            for (const char* k : {"Content-Type", "Content-Length", "Transfer-Encoding", "X-Test"}) {
                if (std::string v = resp.header.get(k); !v.empty()) {
                    fmt::Println("   ", std::string(k) + ":", v);
                }
            }
        };
        get("content-length", "/length");
        get("chunked", "/chunked");
        get("201", "/created");
        get("HTTP/1.0 until close", "/http10");
        get("404", "/nosuch");

        // A connection that closes inside the body: Go's Get succeeds and reading
        // the body fails; gocxx reads the body within Get, which fails.
        auto [resp, err] = client.get(s->url("/short"));
        fmt::Println("short body: failed", static_cast<bool>(err), "unexpected EOF", errors::is(err, io::ErrUnexpectedEOF));

        // Not HTTP.
        std::tie(std::ignore, err) = client.get(s->url("/garbage"));
        fmt::Println("garbage status line:", s->mask(err));
        std::tie(std::ignore, err) = client.get(s->url("/badcode"));
        fmt::Println("bad status code:", s->mask(err));
        std::tie(std::ignore, err) = client.get(s->url("/badversion"));
        fmt::Println("bad version:", s->mask(err));

        // Nothing listening.
        std::tie(std::ignore, err) = client.get("http://127.0.0.1:1/");
        fmt::Println("refused:", err);
        fmt::Println("is OpError", errors::as<net::OpError>(err) != nullptr, "timeout", net::is_timeout(err));
        std::tie(std::ignore, err) = client.get("ftp://127.0.0.1/");
        fmt::Println("scheme:", err);

        // Client.Timeout before the headers come.
        http::Client timed;                                     // timed := &http.Client{Timeout: 100 * time.Millisecond}
        timed.timeout = 100ms;
        const auto start = time::now();
        std::tie(std::ignore, err) = timed.get(s->url("/slow"));
        fmt::Println("timeout:", s->mask(err));
        // time.Since(start): time::since is not in this branch yet
        fmt::Println("timeout() true", net::is_timeout(err), "waited at least 100ms", time::now() - start >= 100ms);
        s->release.close();                                     // close(s.release)

        // Keep-alive: two requests read to the end share one connection; a reply
        // with Connection: close is not reused.
        auto [ka, err1] = newRawServer([](const std::string& path, Channel<Unit>) -> std::pair<std::string, bool> {
            if (path == "/close") return {"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbye", true};
            return {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false};
        });
        if (err1) {
            fmt::Println("listen:", err1);
            return;
        }
        for (int i = 0; i < 3; i++) {
            auto [resp, err] = client.get(ka->url("/keep"));
            if (err) {
                fmt::Println("keep-alive get:", err);
                return;
            }
            fmt::Println("keep-alive", i, resp.body);
        }
        fmt::Println("connections for 3 kept-alive requests:", ka->connections());
        for (int i = 0; i < 2; i++) {
            auto [resp, err] = client.get(ka->url("/close"));
            if (err) {
                fmt::Println("close get:", err);
                return;
            }
            fmt::Println("close", i, resp.body);
        }
        fmt::Println("connections after 2 Connection: close requests:", ka->connections());
    });
}
