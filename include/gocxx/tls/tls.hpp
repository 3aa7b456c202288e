// gocxx::tls: Go's crypto/tls on OpenSSL (no TLS code of our own), over a
// gocxx::net::Conn, so every wait parks the goroutine on the netpoller.
//
//   tls::Config cfg;
//   cfg.root_cas_file = "ca.pem";               // none: the system's roots
//   auto [conn, err] = tls::dial("tcp", "partner.example:443", cfg);
//   auto [n, err2] = conn.write("GET / HTTP/1.1\r\n...");
//
//   tls::Config scfg;
//   scfg.cert_file = "cert.pem"; scfg.key_file = "key.pem";
//   auto [ln, err3] = tls::listen("tcp", "127.0.0.1:0", scfg);
//
// A Conn behaves as net::Conn: read parks until data comes, write writes all
// or fails, close() and the deadline setters may come from any goroutine (a
// parked read or write wakes with the underlying socket's error, as Go's
// "read tcp A->B: i/o timeout" or "use of closed network connection"), and
// one reader and one writer may work at once. The handshake runs on the first
// read or write (dial does it at once, as tls.Dial does).
//
// Errors read as Go's where Go has them: "x509: certificate signed by
// unknown authority", "x509: certificate has expired or is not yet valid:
// current time ... is after ...", "x509: certificate is valid for localhost,
// not example.com", "tls: first record does not look like a TLS handshake",
// "remote error: tls: bad certificate", and io::Eof when the peer closes.
//
// A server may ask its clients for certificates (mutual TLS), as Go's
// ClientAuth and ClientCAs say:
//
//   scfg.client_auth = tls::ClientAuthType::RequireAndVerifyClientCert;
//   scfg.client_cas_file = "clients-ca.pem";
//   // a client: cfg.cert_file = "client.pem"; cfg.key_file = "client.key";
//
// The server's handshake then fails with Go's "tls: client didn't provide a
// certificate" or "tls: failed to verify client certificate: x509: ...", and
// the client hears of it as an alert: over TLS 1.3 its handshake is done by
// then, so its first read says "remote error: tls: bad certificate" (or
// "remote error: tls: certificate required" when it sent none: OpenSSL's
// alert, RFC 8446's, where Go 1.19 sends bad_certificate).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gocxx/context/context.hpp>
#include <gocxx/error.hpp>
#include <gocxx/net/net.hpp>
#include <gocxx/time/sleep.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::tls {

inline constexpr std::uint16_t VersionTLS12 = 0x0303;
inline constexpr std::uint16_t VersionTLS13 = 0x0304;

// Go's tls.ClientAuthType: what a server asks of its clients' certificates.
enum class ClientAuthType {
    NoClientCert,                // none asked for (the default)
    RequestClientCert,           // asked for; none is fine, any is taken unverified
    RequireAnyClientCert,        // one required, taken unverified
    VerifyClientCertIfGiven,     // none is fine; one sent must verify against client_cas_file
    RequireAndVerifyClientCert,  // one required, and it must verify
};

// tls.Config, the parts a client or a server of ours needs. Files are PEM.
struct Config {
    // The authorities a client trusts; "" for the system's store.
    std::string root_cas_file;
    // The certificate (chain) and its key: a server's own, or the client
    // certificate a client presents when the server asks for one.
    std::string cert_file, key_file;
    // The name the server's certificate must be valid for (and the SNI a
    // client sends); "" for the dialed address's host.
    std::string server_name;
    // Accept any certificate the server shows (testing only, as in Go).
    bool insecure_skip_verify = false;
    // VersionTLS12 or VersionTLS13; TLS 1.3 is the most.
    std::uint16_t min_version = VersionTLS12;
    // A server's: whether it asks for client certificates and checks them
    // (Go's ClientAuth), and the authorities it checks them against and
    // names to the client in its request (Go's ClientCAs; "": the system's
    // store). A client certificate must allow client authentication (its
    // extended key usage, if it has one, names clientAuth), as in Go.
    ClientAuthType client_auth = ClientAuthType::NoClientCert;
    std::string client_cas_file;
};

// Go's tls.RecordHeaderError: the peer did not start with a TLS record
// ("tls: first record does not look like a TLS handshake"). conn is the
// socket underneath (Go's http server answers plain HTTP on it).
struct RecordHeaderError : ErrorBase {
    RecordHeaderError(std::string msg, std::string header, net::Conn conn)
        : msg(std::move(msg)), record_header(std::move(header)), conn(std::move(conn)) {}
    std::string msg;
    std::string record_header;  // the first 5 bytes that came
    net::Conn conn;
    std::string error() const override { return "tls: " + msg; }
};

// What the handshake and the connection know (Go's tls.ConnectionState).
struct ConnectionState {
    std::uint16_t version = 0;  // VersionTLS12 or VersionTLS13
    bool handshake_complete = false;
    std::string server_name;   // the SNI: the client's, or what a server got
    std::string cipher_suite;  // OpenSSL's name of it
    // The certificates the peer sent, leaf first (a server's client's: none
    // if it was not asked or sent none), each one's subject and issuer as
    // Go's pkix.Name.String() writes them ("CN=client,O=Acme").
    struct Certificate {
        std::string subject, issuer;
    };
    std::vector<Certificate> peer_certificates;
    // Whether they were verified (Go's len(VerifiedChains) > 0): a client's
    // unless insecure_skip_verify; a server's under VerifyClientCertIfGiven
    // and RequireAndVerifyClientCert.
    bool verified = false;
};

namespace detail {
struct ConnState;
}

class Conn {
public:
    Conn() = default;
    Conn(std::nullptr_t) noexcept {}

    // As net::Conn's; the first one runs the handshake (its error if it fails).
    std::pair<std::size_t, Error> read(std::span<char> buf) const;
    std::pair<std::size_t, Error> write(std::string_view data) const;
    // Sends close_notify (unless a write is in progress) and closes the socket.
    Error close() const;
    // Sends close_notify and shuts down the writing side (Go's CloseWrite).
    Error close_write() const;
    Error set_deadline(time::Time t) const;
    Error set_read_deadline(time::Time t) const;
    Error set_write_deadline(time::Time t) const;
    net::Addr local_addr() const;
    net::Addr remote_addr() const;

    // Runs the handshake if it has not run; its error stays the answer.
    Error handshake() const;
    // The same, given up when ctx ends (the socket is closed then, and the
    // error is ctx.err(), as in Go).
    Error handshake_context(const context::Context& ctx) const;
    ConnectionState connection_state() const;
    // The socket underneath (Go's NetConn).
    net::Conn net_conn() const;

    explicit operator bool() const noexcept { return st_ != nullptr; }
    friend bool operator==(const Conn& a, const Conn& b) noexcept { return a.st_ == b.st_; }
    friend bool operator==(const Conn& a, std::nullptr_t) noexcept { return a.st_ == nullptr; }

    explicit Conn(std::shared_ptr<detail::ConnState> st) noexcept : st_(std::move(st)) {}

private:
    std::shared_ptr<detail::ConnState> st_;
};

// tls.Client and tls.Server: a Conn over c (no handshake yet).
Conn client(net::Conn c, const Config& cfg);
Conn server(net::Conn c, const Config& cfg);

// A listener whose accept() gives server Conns (the handshake runs on their
// first read or write, or handshake()).
class Listener {
public:
    Listener() = default;
    Listener(std::nullptr_t) noexcept {}
    Listener(net::Listener ln, Config cfg) : ln_(std::move(ln)), cfg_(std::make_shared<Config>(std::move(cfg))) {}

    std::pair<Conn, Error> accept() const;
    Error close() const { return ln_.close(); }
    net::Addr addr() const { return ln_.addr(); }
    const net::Listener& net_listener() const noexcept { return ln_; }
    explicit operator bool() const noexcept { return bool(ln_); }

private:
    net::Listener ln_;
    std::shared_ptr<const Config> cfg_;
};

// tls.Dial: net::dial, then the handshake; the server's certificate is
// checked against cfg's roots and cfg.server_name (else the host of addr).
std::pair<Conn, Error> dial(std::string_view network, std::string_view addr, const Config& cfg = {});
// The dial and the handshake give up when ctx ends ("context deadline
// exceeded" if the handshake was going on then, as Go's tls.Dialer).
std::pair<Conn, Error> dial_context(const context::Context& ctx, std::string_view network, std::string_view addr,
                                    const Config& cfg = {});
// tls.DialWithDialer(&net.Dialer{Timeout: d}, ...): d bounds the dial and the handshake.
std::pair<Conn, Error> dial_timeout(std::string_view network, std::string_view addr, time::Duration d,
                                    const Config& cfg = {});
// tls.Listen: cfg must name the server's certificate and key (read now:
// their errors are listen's).
std::pair<Listener, Error> listen(std::string_view network, std::string_view addr, const Config& cfg);
// tls.NewListener.
Listener new_listener(net::Listener ln, const Config& cfg);

// Loads cfg's files (as listen and dial do) and reports what is wrong with
// them: "open cert.pem: no such file or directory", "tls: failed to find any
// PEM data in certificate input", "tls: private key does not match public key".
Error check_config(const Config& cfg, bool server);

}  // namespace gocxx::tls

GOCXX_API_END
