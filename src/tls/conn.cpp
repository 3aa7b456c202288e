// tls::Conn: the handshake, reads and writes of one connection over
// OpenSSL's memory BIOs (conn_state.hpp has the design and the locks).
#include "tls/conn_state.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <mutex>

#include <gocxx/io/io.hpp>

namespace gocxx::tls::detail {

namespace {

constexpr std::size_t kInBuf = 16 * 1024 + 512;   // a whole record and its header
constexpr std::size_t kWriteChunk = 64 * 1024;    // plaintext per SSL_write (4 records)

bool is_ip(const std::string& host) {
    unsigned char buf[16];
    return ::inet_pton(AF_INET, host.c_str(), buf) == 1 || ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// Go's check of the first record (crypto/tls conn.go readRecordOrCCS): a
// handshake or an alert, and a version below 16.0.
bool looks_like_tls(const std::string& h) {
    const auto typ = static_cast<unsigned char>(h[0]);
    const unsigned vers = static_cast<unsigned>(static_cast<unsigned char>(h[1])) << 8 | static_cast<unsigned char>(h[2]);
    return (typ == 21 || typ == 22) && vers < 0x1000;
}

// Go's pkix.Name.String(): its attributes most specific first (CN before
// O before C), those of one type joined with "+", values escaped as RFC 2253
// says; attributes Go does not parse last, by OpenSSL's short name (Go
// writes their OID and DER in hex).
std::string name_string(const X509_NAME* name) {
    static constexpr int kOrder[] = {NID_serialNumber, NID_commonName,    NID_organizationalUnitName,
                                     NID_organizationName, NID_postalCode, NID_streetAddress,
                                     NID_localityName, NID_stateOrProvinceName, NID_countryName};
    static constexpr const char* kLabel[] = {"SERIALNUMBER", "CN", "OU", "O", "POSTALCODE", "STREET", "L", "ST", "C"};
    auto value = [](const X509_NAME_ENTRY* e) {
        const ASN1_STRING* d = X509_NAME_ENTRY_get_data(e);
        unsigned char* utf8 = nullptr;
        const int n = ASN1_STRING_to_UTF8(&utf8, d);
        std::string v = n > 0 ? std::string(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(n)) : "";
        OPENSSL_free(utf8);
        std::string out;
        for (std::size_t i = 0; i < v.size(); ++i) {
            const char c = v[i];
            if (c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';' ||
                (i == 0 && (c == ' ' || c == '#')) || (i + 1 == v.size() && c == ' '))
                out += '\\';
            out += c;
        }
        return out;
    };
    std::string s;
    const int n = X509_NAME_entry_count(name);
    auto add = [&](const std::string& label, int nid) {
        std::string rdn;
        for (int i = 0; i < n; ++i) {
            const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
            if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(e)) != nid) continue;
            if (!rdn.empty()) rdn += '+';
            rdn += label + "=" + value(e);
        }
        if (rdn.empty()) return;
        if (!s.empty()) s += ',';
        s += rdn;
    };
    for (std::size_t k = 0; k < std::size(kOrder); ++k) add(kLabel[k], kOrder[k]);
    // The others (an email address, ...) last, the last first: Go puts them
    // first in its RDN sequence, and String() writes it backwards.
    for (int i = n - 1; i >= 0; --i) {
        const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
        const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
        if (std::find(std::begin(kOrder), std::end(kOrder), nid) != std::end(kOrder)) continue;
        if (!s.empty()) s += ',';
        const char* sn = nid != NID_undef ? OBJ_nid2sn(nid) : "?";
        s += std::string(sn) + "=" + value(e);
    }
    return s;
}

}  // namespace

ConnState::ConnState(net::Conn c, const Config& cfg, bool server) : raw(std::move(c)), is_server(server) {
    auto [ctx, err] = context_for(cfg, server);
    if (err) {
        setup_err_ = err;
        return;
    }
    ctx_ = ctx;
    ssl_ = SSL_new(ctx_->ctx);
    rbio_ = BIO_new(BIO_s_mem());
    wbio_ = BIO_new(BIO_s_mem());
    if (!ssl_ || !rbio_ || !wbio_) {
        if (ssl_) SSL_free(ssl_);
        ssl_ = nullptr;
        if (rbio_) BIO_free(rbio_);
        if (wbio_) BIO_free(wbio_);
        rbio_ = wbio_ = nullptr;
        ERR_clear_error();
        setup_err_ = Error("tls: out of memory");
        return;
    }
    // An empty BIO is "try again", not the end: the socket decides that.
    BIO_set_mem_eof_return(rbio_, -1);
    BIO_set_mem_eof_return(wbio_, -1);
    SSL_set_bio(ssl_, rbio_, wbio_);
    SSL_set_app_data(ssl_, &target_);
    if (server) {
        target_.client_auth = cfg.client_auth;
        SSL_set_accept_state(ssl_);
        return;
    }
    SSL_set_connect_state(ssl_);
    target_.name = cfg.server_name;
    target_.insecure = cfg.insecure_skip_verify;
    if (!cfg.server_name.empty() && !is_ip(cfg.server_name)) SSL_set_tlsext_host_name(ssl_, cfg.server_name.c_str());
    if (cfg.server_name.empty() && !cfg.insecure_skip_verify)
        setup_err_ = Error("tls: either ServerName or InsecureSkipVerify must be specified in the tls.Config");
}

ConnState::~ConnState() {
    if (ssl_) SSL_free(ssl_);
}

std::string ConnState::take_output() {
    std::string out;
    const std::size_t n = BIO_ctrl_pending(wbio_);
    if (n == 0) return out;
    out.resize(n);
    const int got = BIO_read(wbio_, out.data(), static_cast<int>(n));
    out.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    return out;
}

Error ConnState::fill() {
    if (!inbuf_) inbuf_ = std::make_unique<char[]>(kInBuf);
    auto [n, err] = raw.read(std::span<char>(inbuf_.get(), kInBuf));
    if (n > 0) {
        std::string_view got(inbuf_.get(), n);
        if (!first_checked_) {
            // Nothing goes to OpenSSL until the first record's header is
            // seen to be TLS: a plain HTTP peer or garbage gets Go's error.
            first_.append(got);
            if (first_.size() < 5) return Error();
            first_checked_ = true;
            if (!looks_like_tls(first_)) {
                read_err_ = RecordHeaderError("first record does not look like a TLS handshake", first_.substr(0, 5), raw);
                return read_err_;
            }
            got = first_;
        }
        std::lock_guard<sync::Mutex> g(smu_);
        BIO_write(rbio_, got.data(), static_cast<int>(got.size()));
        first_.clear();
        first_.shrink_to_fit();
        return Error();
    }
    if (err == io::Eof) {
        bool partial = !first_.empty();
        if (!partial) {
            std::lock_guard<sync::Mutex> g(smu_);
            partial = SSL_has_pending(ssl_) == 1 || BIO_ctrl_pending(rbio_) > 0;
        }
        read_err_ = partial ? io::ErrUnexpectedEOF : io::Eof;
        return read_err_;
    }
    return err;  // the socket's: a deadline (not sticky, as in Go), a close, a reset
}

Error ConnState::handshake() {
    if (handshake_done_.load(std::memory_order_acquire)) return Error();
    std::lock_guard<sync::Mutex> g(hmu_);
    if (handshake_done_.load(std::memory_order_relaxed)) return Error();
    if (handshake_err_) return handshake_err_;
    if (setup_err_) {
        handshake_err_ = setup_err_;
        return handshake_err_;
    }
    {
        std::scoped_lock g2(rmu_, wmu_);
        handshake_err_ = run_handshake();
    }
    if (!handshake_err_) handshake_done_.store(true, std::memory_order_release);
    return handshake_err_;
}

Error ConnState::run_handshake() {
    if (read_err_) return read_err_;
    for (;;) {
        int rc, err = SSL_ERROR_NONE;
        std::string out;
        Error fail;
        {
            std::lock_guard<sync::Mutex> g(smu_);
            ERR_clear_error();
            rc = SSL_do_handshake(ssl_);
            if (rc != 1) {
                err = SSL_get_error(ssl_, rc);
                if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
                    fail = target_.err ? target_.err : ssl_error(err, "handshake");
            }
            out = take_output();
        }
        if (!out.empty()) {
            // The alert that goes with a failure is sent too, as Go's is.
            auto [n, e] = raw.write(out);
            if (e) {
                write_err_ = e;
                return fail ? fail : e;
            }
        }
        if (fail) return fail;
        if (rc == 1) return Error();
        if (err == SSL_ERROR_WANT_READ) {
            if (Error e = fill()) return e;
        }
    }
}

Error ConnState::handshake_context(const context::Context& ctx) {
    if (handshake_done_.load(std::memory_order_acquire)) return Error();
    if (ctx.done() == nullptr) return handshake();
    if (Error e = ctx.err()) return e;
    // Go's interrupter: the context's end closes the socket, and the
    // handshake's answer is then the context's error.
    net::Conn c = raw;
    auto stop = context::after_func(ctx, [c] { c.close(); });
    Error e = handshake();
    if (!stop()) return ctx.err();
    return e;
}

std::pair<std::size_t, Error> ConnState::read(std::span<char> buf) {
    if (Error e = handshake()) return {0, e};
    if (buf.empty()) return {0, Error()};
    std::lock_guard<sync::Mutex> g(rmu_);
    if (read_err_) return {0, read_err_};
    for (;;) {
        std::size_t got = 0;
        int rc, err = SSL_ERROR_NONE;
        Error fail;
        bool output = false;
        {
            std::lock_guard<sync::Mutex> g2(smu_);
            ERR_clear_error();
            rc = SSL_read_ex(ssl_, buf.data(), buf.size(), &got);
            if (rc != 1) {
                err = SSL_get_error(ssl_, rc);
                if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_ZERO_RETURN) fail = ssl_error(err, "read");
            }
            output = BIO_ctrl_pending(wbio_) > 0;
        }
        if (output) {
            // The SSL answered something it read (an alert, a key update):
            // it goes out in order with the writer's records.
            std::lock_guard<sync::Mutex> g3(wmu_);
            std::string out;
            {
                std::lock_guard<sync::Mutex> g4(smu_);
                out = take_output();
            }
            if (!out.empty() && !write_err_) {
                if (auto [n, e] = raw.write(out); e) write_err_ = e;
            }
        }
        if (rc == 1) return {got, Error()};
        if (err == SSL_ERROR_ZERO_RETURN) {  // close_notify: the end, for good
            read_err_ = io::Eof;
            return {0, io::Eof};
        }
        if (fail) {
            read_err_ = fail;
            return {0, fail};
        }
        if (Error e = fill()) return {0, e};
    }
}

std::pair<std::size_t, Error> ConnState::write(std::string_view data) {
    if (closed_.load(std::memory_order_acquire)) return {0, net::ErrClosed};  // Go's Write after Close
    if (Error e = handshake()) return {0, e};
    std::lock_guard<sync::Mutex> g(wmu_);
    if (write_err_) return {0, write_err_};
    if (close_notify_sent_) return {0, Error("tls: protocol is shutdown")};
    std::size_t done = 0;
    while (done < data.size()) {
        const std::size_t chunk = std::min(kWriteChunk, data.size() - done);
        std::string out;
        Error fail;
        {
            std::lock_guard<sync::Mutex> g2(smu_);
            ERR_clear_error();
            std::size_t w = 0;
            const int rc = SSL_write_ex(ssl_, data.data() + done, chunk, &w);
            if (rc != 1) fail = ssl_error(SSL_get_error(ssl_, rc), "write");
            out = take_output();
        }
        if (!out.empty()) {
            if (auto [n, e] = raw.write(out); e) {
                write_err_ = e;
                return {done, e};
            }
        }
        if (fail) {
            write_err_ = fail;
            return {done, fail};
        }
        done += chunk;
    }
    return {done, Error()};
}

Error ConnState::send_close_notify() {
    if (close_notify_sent_) return close_notify_err_;
    close_notify_sent_ = true;
    if (write_err_) return close_notify_err_;
    // Go: a write deadline so that a peer that reads nothing cannot hold us.
    raw.set_write_deadline(time::now() + std::chrono::seconds(5));
    std::string out;
    {
        std::lock_guard<sync::Mutex> g(smu_);
        ERR_clear_error();
        SSL_shutdown(ssl_);
        ERR_clear_error();
        out = take_output();
    }
    if (!out.empty()) {
        if (auto [n, e] = raw.write(out); e) close_notify_err_ = e;
    }
    raw.set_write_deadline(time::now());  // any later write fails, as in Go
    return close_notify_err_;
}

Error ConnState::close() {
    if (closed_.exchange(true)) return net::ErrClosed;
    Error alert_err;
    if (handshake_done_.load(std::memory_order_acquire) && wmu_.try_lock()) {
        alert_err = send_close_notify();
        wmu_.unlock();
    }
    if (Error e = raw.close()) return e;
    if (alert_err)
        return Error("tls: failed to send closeNotify alert (but connection was closed anyway): " + alert_err.message());
    return Error();
}

Error ConnState::close_write() {
    if (!handshake_done_.load(std::memory_order_acquire)) return Error("tls: CloseWrite called before handshake complete");
    std::lock_guard<sync::Mutex> g(wmu_);
    return send_close_notify();
}

ConnectionState ConnState::state() {
    ConnectionState cs;
    cs.handshake_complete = handshake_done_.load(std::memory_order_acquire);
    if (!ssl_) return cs;
    std::lock_guard<sync::Mutex> g(smu_);
    if (cs.handshake_complete) {
        cs.version = static_cast<std::uint16_t>(SSL_version(ssl_));
        if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl_)) cs.cipher_suite = SSL_CIPHER_get_name(c);
    }
    if (const char* n = SSL_get_servername(ssl_, TLSEXT_NAMETYPE_host_name)) cs.server_name = n;
    if (!cs.handshake_complete) return cs;
    // The leaf, then the rest (a client's chain has the leaf first; a server's has not).
    if (X509* leaf = SSL_get0_peer_certificate(ssl_)) {
        cs.peer_certificates.push_back({name_string(X509_get_subject_name(leaf)), name_string(X509_get_issuer_name(leaf))});
        if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl_)) {
            for (int i = is_server ? 0 : 1; i < sk_X509_num(chain); ++i) {
                X509* c = sk_X509_value(chain, i);
                cs.peer_certificates.push_back({name_string(X509_get_subject_name(c)), name_string(X509_get_issuer_name(c))});
            }
        }
        cs.verified = is_server ? target_.client_auth == ClientAuthType::VerifyClientCertIfGiven ||
                                      target_.client_auth == ClientAuthType::RequireAndVerifyClientCert
                                : !target_.insecure;
    }
    return cs;
}

}  // namespace gocxx::tls::detail
