// The SSL_CTX behind a Config, and the certificate check a client makes.
//
// An SSL_CTX holds what a Config's files say (the roots, the certificate
// and key, the minimum version); each connection's SSL is made from one.
// They are made once per (role, files, the files' modification times,
// minimum version) and shared: OpenSSL allows SSL_CTX to be used by many
// SSL objects on many threads at once. A changed file makes a new one.
//
// The client's check of the server's certificate is ours (verify.cpp), in
// Go's order and with Go's texts (and so is a server's of a client's, when
// its Config asks for one): OpenSSL builds and checks the chain
// (X509_verify_cert), we check the leaf's validity period and its names
// first, as Go's Certificate.Verify does.
#pragma once
#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <utility>

#include <gocxx/error.hpp>
#include <gocxx/tls/tls.hpp>

namespace gocxx::tls::detail {

struct SslCtx {
    explicit SslCtx(SSL_CTX* c) noexcept : ctx(c) {}
    ~SslCtx() { SSL_CTX_free(ctx); }
    SslCtx(const SslCtx&) = delete;
    SslCtx& operator=(const SslCtx&) = delete;
    SSL_CTX* const ctx;
};

// The SSL_CTX for cfg as a client or a server, or the error its files give.
std::pair<std::shared_ptr<SslCtx>, Error> context_for(const Config& cfg, bool server);

// What the client's certificate check needs of its connection; the SSL's
// app data points at it (set before the handshake, read by the check on the
// same thread, under the connection's SSL lock).
struct VerifyTarget {
    std::string name;  // the server name the leaf must be valid for
    bool insecure = false;
    ClientAuthType client_auth = ClientAuthType::NoClientCert;  // a server's
    Error err;  // the check's verdict when it failed
};

// SSL_CTX_set_cert_verify_callback's callbacks (verify.cpp): a client's
// check of the server's certificate, a server's of its client's.
int verify_server_certificate(X509_STORE_CTX* xctx, void* arg);
int verify_client_certificate(X509_STORE_CTX* xctx, void* arg);

// The error for the OpenSSL error on this thread's queue after a failed
// call, Go's text where Go has one (errors.cpp). what: the OpenSSL call.
Error ssl_error(int ssl_err, const char* what);

}  // namespace gocxx::tls::detail
