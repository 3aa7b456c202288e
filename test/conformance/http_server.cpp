// http_server: an http.Server on loopback with a ServeMux (exact paths, a
// subtree, headers and status codes, http.Error, http.NotFound, a handler
// reading the body and query, a handler that panics), asked by the default
// client (Get, Post, Do with a header, HEAD) and by hand over TCP; then
// Shutdown and the error of Serve.
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <gocxx/http/http.hpp>

#include "fmt.hpp"

using namespace gocxx;


// show prints a response: its status, the headers named, and its body quoted.
template <class... K>
static void show(const std::string& what, const http::Response& resp, const Error& err, const K&... keys) {
    if (err) {
        fmt::Println(what, "error:", err);
        return;
    }
    const std::string& body = resp.body;                        // body, err := io.ReadAll(resp.Body)
    fmt::Println(what, "->", resp.status, resp.status_code, resp.proto);
    for (const std::string& k : std::vector<std::string>{std::string(keys)...}) {
        fmt::Println("   ", k + ":", fmt::quote(resp.header.get(k)));
    }
    fmt::Println("    body", fmt::quote(body), Error());
}

int main() {
    return gocxx::run([] {
        http::ServeMux mux;                                     // mux := http.NewServeMux()
        mux.handle_func("/hello", [](http::ResponseWriter& w, http::Request&) {
            w.write("hello, world\n");
        });
        mux.handle_func("/html", [](http::ResponseWriter& w, http::Request&) {
            w.write("<html><body>hi</body></html>");
        });
        mux.handle_func("/files/", [](http::ResponseWriter& w, http::Request& r) {
            w.write("file " + r.url.path);
        });
        mux.handle_func("/files/special", [](http::ResponseWriter& w, http::Request&) {
            w.write("the special file");
        });
        mux.handle_func("/created", [](http::ResponseWriter& w, http::Request&) {
            w.header().set("Content-Type", "application/json");
            w.header().set("X-Id", "42");
            w.header().add("X-Multi", "a");
            w.header().add("X-Multi", "b");
            w.write_header(http::StatusCreated);
            w.write(R"({"id":42})");
        });
        mux.handle_func("/teapot", [](http::ResponseWriter& w, http::Request&) {
            http::error(w, "nope", 418);                        // http.Error(w, "nope", http.StatusTeapot)
        });
        mux.handle_func("/gone", [](http::ResponseWriter& w, http::Request& r) {
            http::not_found(w, r);
        });
        mux.handle_func("/nocontent", [](http::ResponseWriter& w, http::Request&) {
            w.write_header(http::StatusNoContent);
        });
        mux.handle_func("/odd", [](http::ResponseWriter& w, http::Request&) {
            w.write_header(299);
            w.write("odd");
        });
        mux.handle_func("/echo", [](http::ResponseWriter& w, http::Request& r) {
            const std::string& body = r.body;                   // body, _ := io.ReadAll(r.Body)
            w.header().set("Content-Type", "text/plain");
            w.write("method=" + r.method + " path=" + r.url.path + " rawquery=" + r.url.raw_query +
                    " q=" + r.url.query("q") + " missing=" + r.url.query("missing") +
                    " custom=" + r.header.get("x-custom") + " ctype=" + r.header.get("Content-Type") +
                    " ua=" + r.header.get("User-Agent") + " body=" + body);
        });
        mux.handle_func("/panic", [](http::ResponseWriter&, http::Request&) {
            throw Panic("boom");                                // panic("boom")
        });

        auto [ln, err0] = net::listen("tcp", "127.0.0.1:0");
        if (err0) {
            fmt::Println("listen:", err0);
            return;
        }
        const std::string base = "http://" + ln.addr().string();
        http::Server srv(mux);                                  // srv := &http.Server{Handler: mux}
        Channel<Error> served(1);                               // served := make(chan error, 1)
        go([&srv, ln = ln, served] {                            // go func() {
            served.send(srv.serve(ln));                         //     served <- srv.Serve(ln)
        });

        auto [resp, err] = http::get(base + "/hello");          // resp, err := http.Get(base + "/hello")
        show("GET /hello", resp, err, "Content-Type", "Content-Length");
        std::tie(resp, err) = http::get(base + "/html");
        show("GET /html", resp, err, "Content-Type");
        std::tie(resp, err) = http::get(base + "/files/a/b.txt");
        show("GET /files/a/b.txt", resp, err);
        std::tie(resp, err) = http::get(base + "/files/");
        show("GET /files/", resp, err);
        std::tie(resp, err) = http::get(base + "/files/special");
        show("GET /files/special", resp, err);
        std::tie(resp, err) = http::get(base + "/created");
        show("GET /created", resp, err, "Content-Type", "Content-Length", "X-Id");
        if (!err) {
            fmt::Println("    X-Multi", resp.header.values("X-Multi"));
        }
        std::tie(resp, err) = http::get(base + "/teapot");
        show("GET /teapot", resp, err, "Content-Type", "X-Content-Type-Options");
        std::tie(resp, err) = http::get(base + "/gone");
        show("GET /gone", resp, err, "Content-Type");
        std::tie(resp, err) = http::get(base + "/nosuch");
        show("GET /nosuch", resp, err, "Content-Type", "Content-Length");
        std::tie(resp, err) = http::get(base + "/hello/more");
        show("GET /hello/more", resp, err);
        std::tie(resp, err) = http::get(base + "/nocontent");
        show("GET /nocontent", resp, err, "Content-Type", "Content-Length");
        std::tie(resp, err) = http::get(base + "/odd");
        show("GET /odd", resp, err);

        std::tie(resp, err) = http::get(base + "/echo?q=a%20b&x=1");
        show("GET /echo?q", resp, err, "Content-Type");
        http::Client client;                                    // http.DefaultClient
        std::tie(resp, err) = client.post(base + "/echo", "application/x-test", "posted data");
        show("POST /echo", resp, err);

        auto [req, err1] = http::new_request("PUT", base + "/echo?q=put", "put body");
        if (err1) {
            fmt::Println("new request:", err1);
            return;
        }
        req.header.set("x-custom", "custom value");
        std::tie(resp, err) = client.do_(req);                  // resp, err = http.DefaultClient.Do(req)
        show("PUT /echo with x-custom", resp, err);

        std::tie(req, err1) = http::new_request("HEAD", base + "/hello");
        if (err1) {
            fmt::Println("new request:", err1);
            return;
        }
        std::tie(resp, err) = client.do_(req);
        show("HEAD /hello", resp, err, "Content-Type", "Content-Length");
        if (!err) {
            fmt::Println("    ContentLength", resp.content_length);
        }

        // A handler that panics: Go's server logs it and drops the connection (the
        // client sees an error), gocxx's answers 500; either way the request
        // fails, and the server stays up.
        std::tie(resp, err) = http::get(base + "/panic");
        bool failed = static_cast<bool>(err);
        if (!err) {
            failed = resp.status_code == http::StatusInternalServerError;
        }
        fmt::Println("GET /panic failed:", failed);
        std::tie(resp, err) = http::get(base + "/hello");
        show("GET /hello after the panic", resp, err);

        // By hand: lower-case header names reach the handler canonicalised; the
        // reply's status line and header names as sent.
        auto [c, err2] = net::dial("tcp", ln.addr().string());
        if (err2) {
            fmt::Println("dial:", err2);
            return;
        }
        c.write("GET /echo?q=raw HTTP/1.1\r\nHost: example.com\r\nx-custom: lower\r\nuser-agent: by-hand\r\nConnection: close\r\n\r\n");
        bufio::Reader rd(c);                                    // rd := bufio.NewReader(c)
        auto [status, serr] = rd.read_string('\n');
        (void)serr;
        fmt::Println("raw status line", fmt::quote(status));
        std::vector<std::string> names;
        for (;;) {
            auto [line, lerr] = rd.read_string('\n');
            if (lerr || line == "\r\n") break;
            if (line.ends_with("\r\n")) line.resize(line.size() - 2);
            std::string name = line, value;                     // strings.Cut(..., ": ")
            if (auto at = line.find(": "); at != std::string::npos) {
                name = line.substr(0, at);
                value = line.substr(at + 2);
            }
            if (name == "Date") value = "DATE";
            names.push_back(name + "=" + value);
        }
        std::sort(names.begin(), names.end());
        fmt::Println("raw headers", names);
        auto [rest, rerr] = io::read_all(rd);
        fmt::Println("raw body", fmt::quote(rest), rerr);
        c.close();

        fmt::Println("shutdown:", srv.shutdown(context::background()));
        err = served.recv();                                    // err = <-served
        fmt::Println("serve:", err, err == http::ErrServerClosed);
        std::tie(std::ignore, err) = http::get(base + "/hello");
        fmt::Println("after shutdown, failed:", static_cast<bool>(err));
    });
}
