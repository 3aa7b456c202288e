// gocxx::http: Go's net/http (HTTP/1.1 client and server) on gocxx::net,
// with Boost.Beast's parser and serializer underneath (no HTTP parsing of
// our own). Every call parks the calling goroutine on the netpoller.
//
//   http::ServeMux mux;
//   mux.handle_func("GET /payments/{id}/status", [](http::ResponseWriter& w, http::Request& r) {
//       w.header().set("Content-Type", "application/json");
//       w.write("{\"id\":\"" + r.path_value("id") + "\"}");
//   });
//   http::Server srv(mux);
//   go([&] { srv.serve(ln); });
//
//   http::Client client;
//   client.timeout = 5s;
//   auto [resp, err] = client.get("http://127.0.0.1:8080/payments/7/status");
//   if (!err) std::cout << resp.status_code << " " << resp.body;
//
// Request and Response are values; bodies are std::string, read whole.
#pragma once
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gocxx/context/context.hpp>
#include <gocxx/error.hpp>
#include <gocxx/net/net.hpp>
#include <gocxx/time/sleep.hpp>
#include <gocxx/tls/tls.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::http {

// ---- status codes -----------------------------------------------------------

inline constexpr int StatusContinue = 100;
inline constexpr int StatusSwitchingProtocols = 101;
inline constexpr int StatusOK = 200;
inline constexpr int StatusCreated = 201;
inline constexpr int StatusAccepted = 202;
inline constexpr int StatusNoContent = 204;
inline constexpr int StatusPartialContent = 206;
inline constexpr int StatusMovedPermanently = 301;
inline constexpr int StatusFound = 302;
inline constexpr int StatusSeeOther = 303;
inline constexpr int StatusNotModified = 304;
inline constexpr int StatusTemporaryRedirect = 307;
inline constexpr int StatusPermanentRedirect = 308;
inline constexpr int StatusBadRequest = 400;
inline constexpr int StatusUnauthorized = 401;
inline constexpr int StatusPaymentRequired = 402;
inline constexpr int StatusForbidden = 403;
inline constexpr int StatusNotFound = 404;
inline constexpr int StatusMethodNotAllowed = 405;
inline constexpr int StatusNotAcceptable = 406;
inline constexpr int StatusRequestTimeout = 408;
inline constexpr int StatusConflict = 409;
inline constexpr int StatusGone = 410;
inline constexpr int StatusLengthRequired = 411;
inline constexpr int StatusPreconditionFailed = 412;
inline constexpr int StatusRequestEntityTooLarge = 413;
inline constexpr int StatusUnsupportedMediaType = 415;
inline constexpr int StatusUnprocessableEntity = 422;
inline constexpr int StatusTooManyRequests = 429;
inline constexpr int StatusRequestHeaderFieldsTooLarge = 431;
inline constexpr int StatusInternalServerError = 500;
inline constexpr int StatusNotImplemented = 501;
inline constexpr int StatusBadGateway = 502;
inline constexpr int StatusServiceUnavailable = 503;
inline constexpr int StatusGatewayTimeout = 504;
inline constexpr int StatusHTTPVersionNotSupported = 505;

// http.StatusText: "OK", "Not Found", ... ("" for an unknown code).
std::string status_text(int code);

// ---- headers, URLs, messages ----------------------------------------------

// http.Header: keys are case-insensitive (kept in Go's canonical form,
// "Content-Type"); a key may have several values.
class Header {
public:
    // The first value of key, or "".
    std::string get(std::string_view key) const;
    void set(std::string_view key, std::string_view value);
    void add(std::string_view key, std::string_view value);
    void del(std::string_view key);
    std::vector<std::string> values(std::string_view key) const;
    bool has(std::string_view key) const;
    // (canonical key, value) pairs, in insertion order.
    const std::vector<std::pair<std::string, std::string>>& entries() const noexcept { return kv_; }
    bool empty() const noexcept { return kv_.empty(); }

private:
    std::vector<std::pair<std::string, std::string>> kv_;
};

// http.CanonicalHeaderKey("content-type") == "Content-Type".
std::string canonical_header_key(std::string_view key);

// url.URL, the parts HTTP uses.
struct URL {
    std::string scheme;     // "http"
    std::string host;       // "127.0.0.1:8080" (with the port if one was given)
    std::string path;       // "/payments/7" (decoded)
    std::string raw_query;  // "a=1&b=2" (without '?')
    std::string string() const;
    // The path and query as sent in a request line ("/p?q", "/" for none).
    std::string request_uri() const;
    // url.Values.Get on the query: the first value of key, decoded, or "".
    std::string query(std::string_view key) const;
};
// url.Parse for absolute http(s) URLs and request targets ("/p?q").
std::pair<URL, Error> parse_url(std::string_view raw);

class Request {
public:
    std::string method = "GET";
    URL url;
    std::string proto = "HTTP/1.1";
    Header header;
    std::string body;
    std::string host;         // Host header (server side) or URL's host (client side)
    std::string remote_addr;  // server side: the client's address
    std::string request_uri;  // server side: the target of the request line
    // Server side, Go's r.TLS: the connection's TLS state after its
    // handshake (the client's certificates among it); nil over plain HTTP.
    std::shared_ptr<const ::gocxx::tls::ConnectionState> tls;

    // The request's context: on the server, done once the handler has
    // returned, the connection is gone or the server shuts down; on the
    // client, what new_request_with_context gave (background otherwise).
    const context::Context& context() const noexcept { return ctx_; }
    Request with_context(context::Context ctx) const;
    // The value of the pattern's wildcard {name} that this request matched
    // ("" if none): Go 1.22's r.PathValue.
    std::string path_value(std::string_view name) const;
    void set_path_value(std::string name, std::string value);
    // url.Values.Get on the query.
    std::string form_value(std::string_view key) const { return url.query(key); }

private:
    context::Context ctx_;
    std::vector<std::pair<std::string, std::string>> path_values_;
    friend std::pair<Request, Error> new_request_with_context(const context::Context&, std::string_view,
                                                              std::string_view, std::string);
};

std::pair<Request, Error> new_request(std::string_view method, std::string_view url, std::string body = "");
std::pair<Request, Error> new_request_with_context(const context::Context& ctx, std::string_view method,
                                                   std::string_view url, std::string body = "");

struct Response {
    int status_code = 0;
    std::string status;  // "200 OK"
    std::string proto = "HTTP/1.1";
    Header header;
    std::string body;
    long long content_length = -1;
};

// ---- server -------------------------------------------------------------

// http.ResponseWriter: set headers, then write_header (optional: the first
// write sends 200), then write the body.
class ResponseWriter {
public:
    virtual ~ResponseWriter() = default;
    virtual Header& header() = 0;
    virtual void write_header(int status_code) = 0;
    virtual std::pair<std::size_t, Error> write(std::string_view data) = 0;
};

using HandlerFunc = std::function<void(ResponseWriter&, Request&)>;

// http.Error(w, msg, code): a plain-text error reply.
void error(ResponseWriter& w, std::string_view message, int code);
// http.NotFound.
void not_found(ResponseWriter& w, Request& r);

// http.ServeMux with Go 1.22 patterns: "[METHOD ][HOST]/[PATH]", where the
// path's segments may be {name} (one segment) or, last, {name...} (the
// rest); a trailing "/" matches the subtree, "{$}" only the path itself.
// "GET" also serves "HEAD". The most specific pattern wins; two patterns
// that match the same requests with neither more specific panic
// (gocxx::Panic) at registration, as in Go. No match: 404 "404 page not
// found"; the path matches but not the method: 405 with an Allow header.
class ServeMux {
public:
    ServeMux();
    ~ServeMux();
    ServeMux(const ServeMux&) = delete;
    ServeMux& operator=(const ServeMux&) = delete;

    void handle_func(std::string_view pattern, HandlerFunc h);
    void handle(std::string_view pattern, HandlerFunc h) { handle_func(pattern, std::move(h)); }
    // Dispatches r (sets its path values).
    void serve_http(ResponseWriter& w, Request& r) const;
    void operator()(ResponseWriter& w, Request& r) const { serve_http(w, r); }

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// http.ErrServerClosed: "http: Server closed".
inline const Error ErrServerClosed{"http: Server closed"};

// http.Server: a goroutine per connection, keep-alive, Go's answers to bad
// input (400 and the connection closed for a malformed request, 431 for an
// oversized header), a handler that throws answers 500 and the server stays
// up. serve() returns ErrServerClosed after shutdown() or close().
class Server {
public:
    // The mux is held by reference: it must outlive the Server.
    explicit Server(const ServeMux& mux);
    explicit Server(HandlerFunc handler);
    // Closes (as close()) and waits until every connection's goroutine has
    // left, so that no handler runs once the Server is gone.
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Timeouts (zero: none), as Go's fields.
    time::Duration read_timeout{};         // reading a whole request
    time::Duration read_header_timeout{};  // reading its header (default: read_timeout)
    time::Duration write_timeout{};        // from the end of the request to the end of the reply
    time::Duration idle_timeout{};         // between requests on a kept-alive connection (default: read_timeout)
    std::size_t max_header_bytes = 1 << 20;

    Error serve(const net::Listener& ln);
    // Go's ServeTLS: HTTPS on ln with this certificate (chain) and key, PEM
    // files (read first: their error is the answer), over tls_config's other
    // settings. A failed handshake is logged to stderr ("http: TLS handshake
    // error from ADDR: ...") and a client that speaks plain HTTP gets Go's
    // 400 "Client sent an HTTP request to an HTTPS server."
    Error serve_tls(const net::Listener& ln, std::string_view cert_file, std::string_view key_file);
    tls::Config tls_config;
    // Stops accepting, closes idle connections, and waits for requests in
    // flight to finish, or for ctx to end (its error is returned then).
    Error shutdown(const context::Context& ctx);
    // Closes the listeners and every connection at once.
    Error close();

    struct State;

private:
    std::shared_ptr<State> st_;
};

// http.ListenAndServe(addr, mux).
Error listen_and_serve(std::string_view addr, const ServeMux& mux);
// http.ListenAndServeTLS(addr, cert_file, key_file, mux).
Error listen_and_serve_tls(std::string_view addr, std::string_view cert_file, std::string_view key_file,
                           const ServeMux& mux);

// ---- client -------------------------------------------------------------

// http.Transport: keeps idle connections per host for reuse, https:// ones
// over TLS (tls_config: the roots, a client certificate, ...; by default the
// system's roots and the URL's host as the server name).
class Transport {
public:
    Transport();
    ~Transport();
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    int max_idle_conns_per_host = 2;           // Go's DefaultMaxIdleConnsPerHost
    int max_conns_per_host = 0;                // 0: no limit; callers past it wait (park)
    time::Duration idle_conn_timeout = std::chrono::seconds(90);
    // Go's TLSClientConfig and TLSHandshakeTimeout (DefaultTransport's 10 s;
    // zero: none): "net/http: TLS handshake timeout".
    tls::Config tls_config;
    time::Duration tls_handshake_timeout = std::chrono::seconds(10);
    // Closes every idle connection now.
    void close_idle_connections();

    struct Impl;
    Impl& impl() noexcept { return *impl_; }

private:
    std::unique_ptr<Impl> impl_;
};

// http.Client; one Client may be shared by goroutines.
class Client {
public:
    time::Duration timeout{};                // zero: none (the whole exchange, body included)
    std::shared_ptr<Transport> transport;    // null: the shared default transport

    std::pair<Response, Error> get(std::string_view url) const;
    std::pair<Response, Error> post(std::string_view url, std::string_view content_type, std::string body) const;
    std::pair<Response, Error> do_(const Request& req) const;
};

// http.Get(url) with the default client.
std::pair<Response, Error> get(std::string_view url);

}  // namespace gocxx::http

GOCXX_API_END
