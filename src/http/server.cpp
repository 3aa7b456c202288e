// http.Server: a goroutine per connection, requests parsed and responses
// serialised by Boost.Beast over a parking ConnStream. serve_tls wraps each
// accepted socket in a tls::Conn whose handshake runs first thing in the
// connection's goroutine (never in the accept loop), bounded by the
// smallest of the server's timeouts, as Go's.
//
// Connection states (Go's ConnState, cut down): Idle while waiting for the
// first byte of a request, Active from that byte until the response is
// written, Closed. shutdown() claims Idle connections by a CAS Idle ->
// Closed and closes them; a connection's reader claims its own by a CAS
// Idle -> Active on the first byte (ConnStream::on_first_byte), so a request
// that began is never cut off by shutdown, and one that did not is never
// started after it. State::mu (a gocxx sync::Mutex) guards the sets of
// listeners and connections; no lock is held across a read, a write or a
// handler.
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
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <limits>
#include <map>

#include <gocxx/errors.hpp>
#include <gocxx/go.hpp>
#include <gocxx/panic.hpp>
#include <gocxx/select.hpp>
#include <gocxx/sync/mutex.hpp>
#include <gocxx/sync/waitgroup.hpp>
#include <gocxx/time/timer.hpp>

#include "http/conn_stream.hpp"

namespace gocxx::http {

namespace bhttp = boost::beast::http;
using detail::Conn;
using detail::ConnStream;

namespace {

enum ConnState : int { Idle, Active, Closed };

struct ServerConn {
    Conn conn;
    std::atomic<int> state{Idle};
};

// RFC 7231's IMF-fixdate, as Go's Date header.
std::string http_date() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

// A cut-down http.DetectContentType: HTML, binary, or text.
std::string detect_content_type(std::string_view body) {
    std::size_t i = 0;
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r')) ++i;
    std::string head;
    for (std::size_t k = i; k < body.size() && head.size() < 14; ++k)
        head += static_cast<char>(std::toupper(static_cast<unsigned char>(body[k])));
    for (const char* tag : {"<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE",
                            "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--"}) {
        const std::string t = tag;
        if (head.compare(0, t.size(), t) == 0 &&
            (head.size() == t.size() || head[t.size()] == ' ' || head[t.size()] == '>'))
            return "text/html; charset=utf-8";
    }
    for (std::size_t k = 0; k < body.size() && k < 512; ++k) {
        const unsigned char c = static_cast<unsigned char>(body[k]);
        if (c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1A) || (c >= 0x1C && c <= 0x1F))
            return "application/octet-stream";
    }
    return "text/plain; charset=utf-8";
}

// The buffered reply of one request.
class Writer final : public ResponseWriter {
public:
    Header& header() override { return header_; }
    void write_header(int code) override {
        if (wrote_header_) return;  // Go logs "superfluous response.WriteHeader call"
        if (code < 100 || code > 999) throw Panic("invalid WriteHeader code " + std::to_string(code));
        status_ = code;
        wrote_header_ = true;
    }
    std::pair<std::size_t, Error> write(std::string_view data) override {
        if (!wrote_header_) write_header(StatusOK);
        body_.append(data);
        return {data.size(), Error()};
    }
    void reset_for_error() {
        header_ = Header();
        body_.clear();
        status_ = StatusOK;
        wrote_header_ = false;
    }
    int status() const noexcept { return status_; }
    std::string& body() noexcept { return body_; }

private:
    Header header_;
    std::string body_;
    int status_ = StatusOK;
    bool wrote_header_ = false;
};

// A reply written straight to the connection before closing it (bad input).
void reply_and_close(const Conn& c, int code) {
    const std::string text = std::to_string(code) + " " + status_text(code);
    const std::string msg = "HTTP/1.1 " + text +
                            "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" + text;
    c.write(msg);
}

// Go's connReader.backgroundRead: while the handler runs, a goroutine
// waits to read one byte from the client, so that the request's context is
// done once the client goes away (EOF, a reset) and not only when the
// handler returns. A byte that comes (a pipelined request) is kept for the
// next parse; it does not end the context. abort() ends the wait (a read
// deadline in the past, as Go's aLongTimeAgo) and joins the goroutine before
// the connection's goroutine reads again, so only one party ever reads.
//
// Ownership: the BackgroundRead lives on the connection goroutine's stack;
// the reader goroutine touches it only until it closes `done` (through its
// own handle of the channel), and abort()
// (or the destructor) waits for that, so it cannot outlive the object.
class BackgroundRead {
public:
    BackgroundRead(const Conn& c, context::CancelFunc cancel) : conn_(c), cancel_(std::move(cancel)) {
        try {
            go([this, done = done_] {
                auto [n, err] = conn_.read(std::span<char>(&byte_, 1));
                got_byte_ = n == 1;
                // The timeout that abort() caused is no sign of the client.
                if (err && !(aborted_.load(std::memory_order_acquire) && net::is_timeout(err))) cancel_();
                done.close();  // its own handle: `this` may be gone once the receiver wakes
            });
            started_ = true;
        } catch (...) {  // no goroutine to be had: the context ends with the handler only
        }
    }
    BackgroundRead(const BackgroundRead&) = delete;
    BackgroundRead& operator=(const BackgroundRead&) = delete;
    ~BackgroundRead() { abort(); }

    // Ends the read and waits for it; true when it got a byte (into *byte).
    bool abort(char* byte = nullptr) {
        if (!started_) return false;
        started_ = false;
        aborted_.store(true, std::memory_order_release);
        conn_.set_read_deadline(time::Time{} + std::chrono::nanoseconds(1));
        done_.recv();
        conn_.set_read_deadline(time::Time{});
        if (got_byte_ && byte) *byte = byte_;
        return got_byte_;
    }

private:
    Conn conn_;
    context::CancelFunc cancel_;
    Channel<Unit> done_;
    std::atomic<bool> aborted_{false};
    bool started_ = false;
    bool got_byte_ = false;  // written by the reader before done_ closes
    char byte_ = 0;
};

bool temporary_accept_error(const Error& err) {
    if (auto* se = errors::as<os::SyscallError>(err))
        return se->err == EMFILE || se->err == ENFILE || se->err == ENOBUFS || se->err == ENOMEM ||
               se->err == EAGAIN || se->err == ECONNRESET || se->err == EPERM;
    return false;
}

}  // namespace

struct Server::State {
    HandlerFunc handler;
    sync::Mutex mu;
    std::map<int, net::Listener> listeners GOCXX_GUARDED_BY(mu);                    // by fd
    std::map<ServerConn*, std::shared_ptr<ServerConn>> conns GOCXX_GUARDED_BY(mu);
    std::atomic<bool> shutting_down{false};
    // The connections' goroutines: added under mu with their registration,
    // done when each has left; ~Server waits for them (they call the
    // handler, which may refer to the ServeMux the Server was given).
    sync::WaitGroup running;
    // Done when the server closes: the base of every request's context.
    context::Context base;
    context::CancelFunc cancel_base;
    // Copied from the Server at serve().
    time::Duration read_timeout{}, read_header_timeout{}, write_timeout{}, idle_timeout{};
    std::size_t max_header_bytes = 1 << 20;

    void serve_conn(const std::shared_ptr<ServerConn>& sc);
    bool tls_handshake(const Conn& c);  // false: the connection is done for
    Error serve(const net::Listener& ln, const tls::Config* tls_cfg, const std::shared_ptr<State>& keep);
    bool close_idle();  // true when no connection is left
};

Server::Server(const ServeMux& mux) : Server(HandlerFunc([&mux](ResponseWriter& w, Request& r) { mux.serve_http(w, r); })) {}

Server::Server(HandlerFunc handler) : st_(std::make_shared<State>()) {
    st_->handler = std::move(handler);
    auto [ctx, cancel] = context::with_cancel(context::background());
    st_->base = ctx;
    st_->cancel_base = cancel;
}

Server::~Server() {
    close();
    st_->running.wait();
}

Error Server::serve(const net::Listener& ln) {
    st_->read_timeout = read_timeout;
    st_->read_header_timeout = read_header_timeout;
    st_->write_timeout = write_timeout;
    st_->idle_timeout = idle_timeout;
    st_->max_header_bytes = max_header_bytes;
    return st_->serve(ln, nullptr, st_);
}

Error Server::serve_tls(const net::Listener& ln, std::string_view cert_file, std::string_view key_file) {
    tls::Config cfg = tls_config;
    if (!cert_file.empty() || !key_file.empty()) {
        cfg.cert_file = std::string(cert_file);
        cfg.key_file = std::string(key_file);
    }
    // Go's ServeTLS loads the key pair first: its error is ServeTLS's.
    if (Error e = tls::check_config(cfg, true)) return e;
    st_->read_timeout = read_timeout;
    st_->read_header_timeout = read_header_timeout;
    st_->write_timeout = write_timeout;
    st_->idle_timeout = idle_timeout;
    st_->max_header_bytes = max_header_bytes;
    return st_->serve(ln, &cfg, st_);
}

Error Server::State::serve(const net::Listener& ln, const tls::Config* tls_cfg, const std::shared_ptr<State>& keep) {
    State& st = *this;
    {
        gocxx::detail::LockGuard<sync::Mutex> g(st.mu);
        if (st.shutting_down.load()) return ErrServerClosed;
        st.listeners[ln.fd()] = ln;
    }
    time::Duration backoff{};
    for (;;) {
        auto [c, err] = ln.accept();
        if (err) {
            if (st.shutting_down.load()) return ErrServerClosed;
            if (temporary_accept_error(err)) {
                // Go: "http: Accept error: ...; retrying in 5ms", doubling to 1 s.
                backoff = backoff == time::Duration{} ? std::chrono::milliseconds(5) : backoff * 2;
                if (backoff > std::chrono::seconds(1)) backoff = std::chrono::seconds(1);
                std::fprintf(stderr, "http: Accept error: %s; retrying in %lldms\n", err.message().c_str(),
                             static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(backoff).count()));
                time::sleep(backoff);
                continue;
            }
            return err;
        }
        backoff = {};
        auto sc = std::make_shared<ServerConn>();
        if (tls_cfg) sc->conn = tls::server(c, *tls_cfg);
        else sc->conn = c;
        {
            gocxx::detail::LockGuard<sync::Mutex> g(st.mu);
            if (st.shutting_down.load()) {
                c.close();
                return ErrServerClosed;
            }
            st.conns[sc.get()] = sc;
            st.running.add(1);
        }
        try {
            go([keep, sc] {
                auto done = defer([&] { keep->running.done(); });
                keep->serve_conn(sc);
            });
        } catch (...) {  // no goroutine to be had: drop the connection
            {
                gocxx::detail::LockGuard<sync::Mutex> g(st.mu);
                st.conns.erase(sc.get());
            }
            st.running.done();
            c.close();
        }
    }
}

// Go's tlsRecordHeaderLooksLikeHTTP.
bool looks_like_http(const std::string& hdr) {
    for (const char* m : {"GET /", "HEAD ", "POST ", "PUT /", "OPTIO"})
        if (hdr == m) return true;
    return false;
}

bool Server::State::tls_handshake(const Conn& c) {
    // Go's tlsHandshakeTimeout: the smallest of the timeouts that are set.
    time::Duration to{};
    for (time::Duration d : {read_timeout, write_timeout, read_header_timeout})
        if (d > time::Duration{} && (to == time::Duration{} || d < to)) to = d;
    if (to != time::Duration{}) c.set_deadline(time::add(time::now(), to));
    Error err = c.tls().handshake_context(base);
    if (!err) {
        if (to != time::Duration{}) c.set_deadline(time::Time{});
        return true;
    }
    // A client speaking plain HTTP gets Go's answer on the socket itself.
    if (auto* re = errors::as<tls::RecordHeaderError>(err); re && re->conn && looks_like_http(re->record_header)) {
        re->conn.write("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n");
        return false;
    }
    if (!shutting_down.load())
        std::fprintf(stderr, "http: TLS handshake error from %s: %s\n", c.remote_addr().string().c_str(),
                     err.message().c_str());
    return false;
}

void Server::State::serve_conn(const std::shared_ptr<ServerConn>& sc) {
    const Conn& c = sc->conn;
    if (c.tls() && !tls_handshake(c)) {
        sc->state.store(Closed);
        c.close();
        gocxx::detail::LockGuard<sync::Mutex> g(mu);
        conns.erase(sc.get());
        return;
    }
    // Go's r.TLS, the same for every request on the connection.
    std::shared_ptr<const tls::ConnectionState> tls_state;
    if (c.tls()) tls_state = std::make_shared<const tls::ConnectionState>(c.tls().connection_state());
    ConnStream s(c);
    s.on_first_byte = [](void* p) {
        // Already Active when the request began in the buffer (a pipelined
        // one, or the byte the background read took): only Closed refuses.
        int idle = Idle;
        return static_cast<ServerConn*>(p)->state.compare_exchange_strong(idle, Active) || idle == Active;
    };
    s.on_first_byte_arg = sc.get();
    boost::beast::flat_buffer buf;
    bool first = true;
    for (;;) {
        // Waiting for a request: the idle timeout (after the first), then
        // the header timeout, each defaulting to the read timeout.
        time::Duration wait = first ? (read_header_timeout != time::Duration{} ? read_header_timeout : read_timeout)
                                    : (idle_timeout != time::Duration{} ? idle_timeout : read_timeout);
        c.set_read_deadline(wait != time::Duration{} ? time::add(time::now(), wait) : time::Time{});
        first = false;
        s.reset_counts();
        if (buf.size() != 0) {  // a pipelined request is already here: it began
            int idle = Idle;
            if (!sc->state.compare_exchange_strong(idle, Active)) break;
        }
        bhttp::request_parser<bhttp::string_body> p;
        p.header_limit(static_cast<std::uint32_t>(max_header_bytes));
        p.body_limit(std::numeric_limits<std::uint64_t>::max());  // Go sets none
        boost::system::error_code ec;
        bhttp::read(s, buf, p, ec);
        if (ec) {
            if (ec == bhttp::error::header_limit) reply_and_close(c, StatusRequestHeaderFieldsTooLarge);
            else if (s.bytes_read() > 0 && ec != bhttp::error::end_of_stream && !s.last_error())
                reply_and_close(c, StatusBadRequest);  // a malformed request: Go's 400 and the connection closed
            break;  // EOF between requests, a timeout, a close
        }
        if (sc->state.load() != Active) {  // the whole request came from the buffer
            int idle = Idle;
            if (!sc->state.compare_exchange_strong(idle, Active)) break;
        }
        bhttp::request<bhttp::string_body> breq = p.release();
        auto [rctx, rcancel] = context::with_cancel(base);
        Request r = Request().with_context(rctx);
        r.method = std::string(breq.method_string());
        r.request_uri = std::string(breq.target());
        auto [u, uerr] = parse_url(r.request_uri);
        if (uerr || r.request_uri.empty() || (r.request_uri[0] != '/' && r.request_uri != "*")) {
            reply_and_close(c, StatusBadRequest);
            break;
        }
        r.url = std::move(u);
        r.proto = breq.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
        for (const auto& f : breq) r.header.add(std::string(f.name_string()), std::string(f.value()));
        r.host = r.header.get("Host");
        r.header.del("Host");  // Go moves it to r.Host
        r.url.host = r.host;
        r.remote_addr = c.remote_addr().string();
        r.tls = tls_state;
        r.body = std::move(breq.body());
        c.set_read_deadline(time::Time{});
        if (write_timeout != time::Duration{}) c.set_write_deadline(time::add(time::now(), write_timeout));

        Writer w;
        bool failed = false;
        try {
            BackgroundRead watch(c, rcancel);
            handler(w, r);
            char byte;
            if (watch.abort(&byte)) {  // the start of a pipelined request: parse it next
                auto b = buf.prepare(1);
                *static_cast<char*>(b.data()) = byte;
                buf.commit(1);
            }
        } catch (...) {
            // Go's server recovers a handler's panic; here the client gets
            // a 500 and the connection closes (the handler's state is suspect).
            failed = true;
            w.reset_for_error();
            http::error(w, status_text(StatusInternalServerError), StatusInternalServerError);
        }
        rcancel();
        bhttp::response<bhttp::string_body> res;
        res.version(breq.version());
        res.result(static_cast<unsigned>(w.status()));
        std::string reason = status_text(w.status());
        res.reason(reason.empty() ? "status code " + std::to_string(w.status()) : reason);
        for (const auto& [k, v] : w.header().entries()) res.insert(k, v);
        if (!w.header().has("Date")) res.set(bhttp::field::date, http_date());
        const bool bodyless = w.status() == StatusNoContent || w.status() == StatusNotModified || w.status() < 200;
        if (!bodyless && !w.header().has("Content-Type") && !w.body().empty())
            res.set(bhttp::field::content_type, detect_content_type(w.body()));
        const bool keep = !failed && breq.keep_alive() && !shutting_down.load() &&
                          !boost::beast::iequals(w.header().get("Connection"), "close");
        if (bodyless) {
            res.body().clear();
        } else {
            res.content_length(w.body().size());
            if (r.method != "HEAD") res.body() = std::move(w.body());
        }
        res.keep_alive(keep);
        bhttp::serializer<false, bhttp::string_body> sr(res);
        if (r.method == "HEAD") sr.split(true);
        if (r.method == "HEAD") bhttp::write_header(s, sr, ec);
        else bhttp::write(s, sr, ec);
        if (write_timeout != time::Duration{}) c.set_write_deadline(time::Time{});
        if (ec || !keep) break;
        int active = Active;
        if (!sc->state.compare_exchange_strong(active, Idle)) break;
        if (shutting_down.load()) break;
    }
    sc->state.store(Closed);
    c.close();
    gocxx::detail::LockGuard<sync::Mutex> g(mu);
    conns.erase(sc.get());
}

bool Server::State::close_idle() {
    std::vector<std::shared_ptr<ServerConn>> idle;
    bool none = true;
    {
        gocxx::detail::LockGuard<sync::Mutex> g(mu);
        for (auto& [p, sc] : conns) {
            int i = Idle;
            if (sc->state.compare_exchange_strong(i, Closed)) idle.push_back(sc);
            else if (sc->state.load() != Closed) none = false;
        }
    }
    for (auto& sc : idle) sc->conn.close();  // its goroutine wakes, sees Closed, and leaves
    return none;
}

Error Server::shutdown(const context::Context& ctx) {
    State& st = *st_;
    std::vector<net::Listener> lns;
    {
        gocxx::detail::LockGuard<sync::Mutex> g(st.mu);
        st.shutting_down.store(true);
        for (auto& [fd, ln] : st.listeners) lns.push_back(ln);
        st.listeners.clear();
    }
    for (auto& ln : lns) ln.close();
    // Go polls until every connection is idle and closed: 1 ms, doubling to 500 ms.
    auto interval = std::chrono::milliseconds(1);
    for (;;) {
        if (st.close_idle()) {
            gocxx::detail::LockGuard<sync::Mutex> g(st.mu);
            if (st.conns.empty()) return Error();
        }
        if (select(case_recv(ctx.done()), case_recv(time::after(interval))) == 0) return ctx.err();
        interval = std::min<std::chrono::milliseconds>(interval * 2, std::chrono::milliseconds(500));
    }
}

Error Server::close() {
    State& st = *st_;
    std::vector<net::Listener> lns;
    std::vector<std::shared_ptr<ServerConn>> all;
    {
        gocxx::detail::LockGuard<sync::Mutex> g(st.mu);
        st.shutting_down.store(true);
        for (auto& [fd, ln] : st.listeners) lns.push_back(ln);
        st.listeners.clear();
        for (auto& [p, sc] : st.conns) all.push_back(sc);
    }
    st.cancel_base();
    for (auto& ln : lns) ln.close();
    for (auto& sc : all) {
        sc->state.store(Closed);
        sc->conn.close();
    }
    return Error();
}

Error listen_and_serve(std::string_view addr, const ServeMux& mux) {
    auto [ln, err] = net::listen("tcp", addr.empty() ? ":http" : addr);
    if (err) return err;
    Server srv(mux);
    return srv.serve(ln);
}

Error listen_and_serve_tls(std::string_view addr, std::string_view cert_file, std::string_view key_file,
                           const ServeMux& mux) {
    tls::Config cfg;
    cfg.cert_file = std::string(cert_file);
    cfg.key_file = std::string(key_file);
    if (Error e = tls::check_config(cfg, true)) return e;  // before listening, as Go's
    auto [ln, err] = net::listen("tcp", addr.empty() ? ":https" : addr);
    if (err) return err;
    Server srv(mux);
    return srv.serve_tls(ln, cert_file, key_file);
}

}  // namespace gocxx::http
