// http.Client and http.Transport: requests over kept-alive connections,
// plain or TLS (http/conn.hpp), serialised and parsed by Boost.Beast over a
// parking ConnStream.
//
// The Transport keeps, per "host:port" (and "https://host:port" for TLS
// ones, Go's connectMethodKey), the idle connections (newest last)
// and the count of connections open to that host. A caller that finds no
// idle connection dials, unless max_conns_per_host are open: then it parks
// on a one-slot token channel in the host's waiter queue until a connection
// is released (returned idle or closed: release() hands the token to the
// first waiter), or its context ends. Impl::mu (gocxx sync::Mutex) guards
// all of it; no lock is held across a dial, a read or a write.
//
// A connection goes back to the idle list only when its response was read
// to the end with nothing left over and both sides keep it alive. A request
// that fails on a reused connection before any byte of the response came
// (the server closed it while idle) is retried once on a new connection, as
// Go retries requests without a body.
#include <gocxx/http/http.hpp>

// GCC 12 with -O2 and the sanitizers warns that Beast's parser reads its
// body-limit boost::optional uninitialised (basic_parser.hpp:66, inlined
// here, so the system-header exemption does not apply). It is initialised in
// the parser's constructor; the warning is a known false positive of
// -Wmaybe-uninitialized through boost::optional's storage.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <deque>
#include <limits>
#include <map>
#include <tuple>

#include <gocxx/errors.hpp>
#include <gocxx/go.hpp>
#include <gocxx/select.hpp>
#include <gocxx/sync/mutex.hpp>

#include "http/conn_stream.hpp"

namespace gocxx::http {

namespace bhttp = boost::beast::http;
using detail::Conn;
using detail::ConnStream;

struct Transport::Impl {
    struct Idle {
        Conn conn;
        time::Time since;
    };
    struct Host {
        std::vector<Idle> idle;
        int open = 0;                     // connections counted against max_conns_per_host
        std::deque<Channel<Unit>> waiters;  // each a buffered token channel of 1
    };
    sync::Mutex mu;
    std::map<std::string, Host> hosts GOCXX_GUARDED_BY(mu);

    // A connection to key (reused when one is idle): {conn, reused, err}.
    struct Got {
        Conn conn;
        bool reused = false;
        Error err;
    };
    // addr: "host:port" to dial; https: with TLS (the handshake is part of
    // getting the connection, bounded by tls_handshake_timeout).
    Got get(const Transport& t, const std::string& key, const std::string& addr, bool https,
            const context::Context& ctx);
    void put(const Transport& t, const std::string& key, Conn c);
    void drop(const std::string& key, const Conn& c);
    // A connection slot of key was freed: wake the first waiter (h is in hosts).
    void release_locked(Host& h) GOCXX_REQUIRES(mu) {
        while (!h.waiters.empty()) {
            Channel<Unit> w = h.waiters.front();
            h.waiters.pop_front();
            if (w.try_send(Unit{})) return;
        }
    }
};

namespace {

// Go's tlsHandshakeTimeoutError.
struct TLSHandshakeTimeoutError : ErrorBase {
    std::string error() const override { return "net/http: TLS handshake timeout"; }
    bool is(const Error& t) const override { return t == os::ErrDeadlineExceeded; }  // a timeout (net::is_timeout)
};

// The TLS client side of a new connection to addr (Go's persistConn.addTLS).
std::pair<Conn, Error> add_tls(const Transport& t, const net::Conn& raw, const std::string& addr,
                               const context::Context& ctx) {
    tls::Config cfg = t.tls_config;
    if (cfg.server_name.empty()) {
        auto [hp, err] = net::split_host_port(addr);
        cfg.server_name = err ? addr : hp.host;
    }
    tls::Conn tc = tls::client(raw, cfg);
    context::Context hctx = ctx;
    context::CancelFunc cancel;
    if (t.tls_handshake_timeout > time::Duration{}) {
        auto [c, cf] = context::with_timeout(ctx, t.tls_handshake_timeout);
        hctx = c;
        cancel = cf;
    }
    Error err = tc.handshake_context(hctx);
    const bool handshake_timed_out = err && hctx.err() == context::DeadlineExceeded && !ctx.err();
    if (cancel) cancel();
    if (err) {
        raw.close();
        if (handshake_timed_out) err = TLSHandshakeTimeoutError();
        return {Conn(), err};
    }
    return {Conn(tc), Error()};
}

}  // namespace

Transport::Impl::Got Transport::Impl::get(const Transport& t, const std::string& key, const std::string& addr,
                                          bool https, const context::Context& ctx) {
    for (;;) {
        Channel<Unit> token = nullptr;  // made only when we must wait
        {
            gocxx::detail::UniqueLock<sync::Mutex> g(mu);
            Host& h = hosts[key];
            while (!h.idle.empty()) {
                Idle idle = std::move(h.idle.back());
                h.idle.pop_back();
                if (time::now() - idle.since < t.idle_conn_timeout) return Got{idle.conn, true, Error()};
                --h.open;  // expired while idle
                g.unlock();
                idle.conn.close();
                g.lock();
            }
            if (t.max_conns_per_host <= 0 || h.open < t.max_conns_per_host) {
                ++h.open;
                break;
            }
            token = Channel<Unit>(1);
            h.waiters.push_back(token);
        }
        // Park until a slot frees or the context ends.
        if (select(case_recv(token), case_recv(ctx.done())) == 1) {
            gocxx::detail::LockGuard<sync::Mutex> g(mu);
            Host& h = hosts[key];
            std::erase(h.waiters, token);
            if (token.try_recv()) release_locked(h);  // we were handed a slot: pass it on
            return Got{Conn(), false, ctx.err()};
        }
    }
    auto [raw, err] = net::dial_context(ctx, "tcp", addr);
    Conn c = raw;
    if (!err && https) std::tie(c, err) = add_tls(t, raw, addr, ctx);
    if (err) {
        gocxx::detail::LockGuard<sync::Mutex> g(mu);
        Host& h = hosts[key];
        --h.open;
        release_locked(h);
        return Got{Conn(), false, err};
    }
    return Got{c, false, Error()};
}

void Transport::Impl::put(const Transport& t, const std::string& key, Conn c) {
    Conn extra;
    {
        gocxx::detail::LockGuard<sync::Mutex> g(mu);
        Host& h = hosts[key];
        // Expired ones go first; the list holds at most max_idle_conns_per_host.
        if (static_cast<int>(h.idle.size()) >= t.max_idle_conns_per_host) {
            extra = c;
            --h.open;
        } else {
            h.idle.push_back(Idle{c, time::now()});
        }
        release_locked(h);
    }
    if (extra) extra.close();
}

void Transport::Impl::drop(const std::string& key, const Conn& c) {
    c.close();
    gocxx::detail::LockGuard<sync::Mutex> g(mu);
    Host& h = hosts[key];
    --h.open;
    release_locked(h);
}

Transport::Transport() : impl_(std::make_unique<Impl>()) {}

Transport::~Transport() { close_idle_connections(); }

void Transport::close_idle_connections() {
    std::vector<Conn> all;
    {
        gocxx::detail::LockGuard<sync::Mutex> g(impl_->mu);
        for (auto& [key, h] : impl_->hosts) {
            for (auto& i : h.idle) all.push_back(i.conn);
            h.open -= static_cast<int>(h.idle.size());
            h.idle.clear();
        }
    }
    for (auto& c : all) c.close();
}

namespace {

std::shared_ptr<Transport>& default_transport() {
    static auto* t = new std::shared_ptr<Transport>(std::make_shared<Transport>());  // never destroyed
    return *t;
}

// Go's url.Error: `Get "http://host/path": <err>`.
struct URLError : ErrorBase {
    URLError(std::string op, std::string url, Error err) : op(std::move(op)), url(std::move(url)), err(std::move(err)) {}
    std::string op, url;
    Error err;
    std::string error() const override { return op + " \"" + url + "\": " + err.message(); }
    Error unwrap() const override { return err; }
};

// Go's urlErrorOp: "GET" -> "Get".
std::string error_op(const std::string& method) {
    std::string op = method;
    for (std::size_t i = 1; i < op.size(); ++i) op[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(op[i])));
    return op;
}

// What a timed-out exchange reports (Go's text when the Client's Timeout
// ended it).
struct ClientTimeoutError : ErrorBase {
    std::string error() const override {
        return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
    }
    bool is(const Error& t) const override { return t == context::DeadlineExceeded; }
};

struct Exchange {
    Response resp;
    Error err;
    bool retryable = false;  // nothing of a response came on a reused connection
    bool reusable = false;
};

// Go's %q for the ASCII of a status line.
std::string quote(std::string_view v) {
    std::string out = "\"";
    for (unsigned char ch : v) {
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += static_cast<char>(ch);
        } else if (ch >= 0x20 && ch < 0x7f) {
            out += static_cast<char>(ch);
        } else if (ch == '\t') {
            out += "\\t";
        } else {
            static const char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[ch >> 4];
            out += hex[ch & 15];
        }
    }
    return out + "\"";
}

// What Go's http.ReadResponse says of a response it cannot parse, from the
// bytes received (data starts at the status line): `malformed HTTP response
// "GARBAGE"`, `malformed HTTP status code "abc"`, `malformed HTTP version
// "HTTP/x"`; just "malformed HTTP response" when the status line is fine.
std::string malformed(std::string_view data) {
    std::string_view line = data.substr(0, data.find('\n'));
    if (line.ends_with('\r')) line.remove_suffix(1);
    const auto sp = line.find(' ');
    if (sp == std::string_view::npos) return "malformed HTTP response " + quote(line);
    const std::string_view proto = line.substr(0, sp);
    std::string_view status = line.substr(sp + 1);
    while (status.starts_with(' ')) status.remove_prefix(1);
    const std::string_view code = status.substr(0, status.find(' '));
    bool digits = code.size() == 3;
    for (char ch : code) digits = digits && ch >= '0' && ch <= '9';
    if (!digits) return "malformed HTTP status code " + quote(code);
    const bool version = proto == "HTTP/1.0" || proto == "HTTP/1.1" ||
                         (proto.size() == 8 && proto.starts_with("HTTP/") && proto[5] >= '0' && proto[5] <= '9' &&
                          proto[6] == '.' && proto[7] >= '0' && proto[7] <= '9');
    if (!version) return "malformed HTTP version " + quote(proto);
    return "malformed HTTP response";
}

Exchange round_trip(const Conn& c, bool reused, const Request& req, const std::string& host) {
    Exchange x;
    ConnStream s(c);
    bhttp::request<bhttp::string_body> breq;
    breq.version(11);
    breq.method_string(req.method);
    breq.target(req.url.request_uri());
    breq.set(bhttp::field::host, req.host.empty() ? host : req.host);
    breq.set(bhttp::field::user_agent, "Go-http-client/1.1");
    for (const auto& [k, v] : req.header.entries()) breq.insert(k, v);
    breq.body() = req.body;
    if (!req.body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH")
        breq.content_length(req.body.size());
    boost::system::error_code ec;
    bhttp::write(s, breq, ec);
    if (ec) {
        x.err = s.last_error() ? s.last_error() : Error(ec.message());
        x.retryable = reused;
        return x;
    }
    boost::beast::flat_buffer buf;
    bhttp::response_parser<bhttp::string_body> p;
    p.body_limit(std::numeric_limits<std::uint64_t>::max());
    if (req.method == "HEAD") p.skip(true);
    bhttp::read(s, buf, p, ec);
    if (ec) {
        if (s.bytes_read() == 0) {
            x.retryable = reused;
            x.err = s.last_error() ? s.last_error() : io::Eof;
        } else if (s.last_error()) {
            x.err = s.last_error();
        } else if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
            x.err = io::ErrUnexpectedEOF;
        } else {
            x.err = Error("net/http: HTTP/1.x transport connection broken: " +
                          malformed(std::string_view(static_cast<const char*>(buf.data().data()), buf.size())));
        }
        return x;
    }
    bhttp::response<bhttp::string_body> bres = p.release();
    x.resp.status_code = static_cast<int>(bres.result_int());
    x.resp.status = std::to_string(x.resp.status_code) + " " + std::string(bres.reason());
    x.resp.proto = bres.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
    // Go moves Transfer-Encoding out of the header (into resp.TransferEncoding)
    // and drops a Content-Length that comes with a chunked body.
    for (const auto& f : bres) {
        if (f.name() == bhttp::field::transfer_encoding) continue;
        if (f.name() == bhttp::field::content_length && bres.chunked()) continue;
        x.resp.header.add(std::string(f.name_string()), std::string(f.value()));
    }
    // Go's resp.ContentLength: the Content-Length header's value (for HEAD
    // too, where no body follows), 0 for 1xx, 204 and 304, and -1 when the
    // length is unknown (chunked, or a body that runs until the close).
    auto header_length = [&]() -> long long {
        auto it = bres.find(bhttp::field::content_length);
        if (it == bres.end()) return -1;
        try {
            return std::stoll(std::string(it->value()));
        } catch (...) {
            return -1;
        }
    };
    const int code = x.resp.status_code;
    if (req.method == "HEAD") x.resp.content_length = header_length();
    else if (code / 100 == 1 || code == 204 || code == 304) x.resp.content_length = 0;
    else if (bres.chunked()) x.resp.content_length = -1;
    else x.resp.content_length = header_length();
    x.resp.body = std::move(bres.body());
    x.reusable = bres.keep_alive() && buf.size() == 0;
    return x;
}

}  // namespace

std::pair<Response, Error> Client::do_(const Request& req) const {
    const std::string op = error_op(req.method);
    const std::string url = req.url.string();
    auto fail = [&](Error e) { return std::pair<Response, Error>{Response{}, URLError(op, url, std::move(e))}; };
    const bool https = req.url.scheme == "https";
    if (req.url.scheme != "http" && !https) {
        if (req.url.scheme.empty()) return fail(Error("unsupported protocol scheme \"\""));
        return fail(Error("unsupported protocol scheme \"" + req.url.scheme + "\""));
    }
    if (req.url.host.empty()) return fail(Error("http: no Host in request URL"));
    std::string addr = req.url.host;
    if (auto [hp, err] = net::split_host_port(addr); err) addr = net::join_host_port(addr, https ? "443" : "80");
    const std::string key = https ? "https://" + addr : addr;
    Transport& t = transport ? *transport : *default_transport();

    context::Context ctx = req.context();
    context::CancelFunc cancel_timeout;
    if (timeout > time::Duration{}) {
        auto [c, cancel] = context::with_timeout(ctx, timeout);
        ctx = c;
        cancel_timeout = cancel;
    }
    auto guard = defer([&] {
        if (cancel_timeout) cancel_timeout();
    });
    auto ctx_error = [&](Error e) {
        if (Error ce = ctx.err()) {
            if (ce == context::DeadlineExceeded && cancel_timeout && !req.context().err()) return Error(ClientTimeoutError());
            return ce;
        }
        return e;
    };
    for (int attempt = 0;; ++attempt) {
        auto got = t.impl().get(t, key, addr, https, ctx);
        if (got.err) {
            // Go's client.go: a TLS port that answered in plain HTTP.
            if (auto* rh = errors::as<tls::RecordHeaderError>(got.err); rh && rh->record_header == "HTTP/")
                return fail(Error("http: server gave HTTP response to HTTPS client"));
            return fail(ctx_error(got.err));
        }
        const Conn c = got.conn;
        if (auto [d, ok] = ctx.deadline(); ok) c.set_deadline(d);
        // The context's end breaks the exchange the way Go's does: by a
        // deadline long past on the connection.
        std::function<bool()> stop;
        if (ctx.done() != nullptr)
            stop = context::after_func(ctx, [c] { c.set_deadline(time::Time(std::chrono::nanoseconds(1))); });
        Exchange x = round_trip(c, got.reused, req, req.url.host);
        const bool stopped = !stop || stop();
        if (x.err) {
            t.impl().drop(key, c);
            if (x.retryable && attempt == 0 && !ctx.err()) continue;
            return fail(ctx_error(x.err));
        }
        if (x.reusable && stopped) {
            c.set_deadline(time::Time{});
            t.impl().put(t, key, c);
        } else {
            t.impl().drop(key, c);
        }
        return {std::move(x.resp), Error()};
    }
}

std::pair<Response, Error> Client::get(std::string_view url) const {
    auto [req, err] = new_request("GET", url);
    if (err) return {Response{}, err};
    return do_(req);
}

std::pair<Response, Error> Client::post(std::string_view url, std::string_view content_type, std::string body) const {
    auto [req, err] = new_request("POST", url, std::move(body));
    if (err) return {Response{}, err};
    req.header.set("Content-Type", content_type);
    return do_(req);
}

std::pair<Response, Error> get(std::string_view url) { return Client().get(url); }

}  // namespace gocxx::http
