// Config -> SSL_CTX, made once per files and shared (ctx.hpp).
#include "tls/ctx.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <map>
#include <mutex>

#include <gocxx/os.hpp>
#include <gocxx/runtime.hpp>
#include <gocxx/sync/mutex.hpp>

namespace gocxx::tls::detail {

namespace {

// A file's identity for the cache: its path and when it last changed; or
// the error Go's os.Open gives ("open ca.pem: no such file or directory").
std::pair<std::string, Error> stamp(const std::string& path) {
    if (path.empty()) return {"-", Error()};
    struct stat sb {};
    if (::stat(path.c_str(), &sb) != 0) return {"", os::SyscallError("open " + path, errno)};
    return {path + "@" + std::to_string(sb.st_mtim.tv_sec) + "." + std::to_string(sb.st_mtim.tv_nsec) + "#" +
                std::to_string(sb.st_size),
            Error()};
}

// Counts the PEM blocks named `label` ("CERTIFICATE") in path; -1 if it cannot be read.
int count_pem(const std::string& path, bool key) {
    std::FILE* f = std::fopen(path.c_str(), "r");
    if (!f) return -1;
    int n = 0;
    for (;;) {
        char* name = nullptr;
        char* header = nullptr;
        unsigned char* data = nullptr;
        long len = 0;
        if (PEM_read(f, &name, &header, &data, &len) != 1) break;
        const std::string s = name;
        if (key ? s.find("PRIVATE KEY") != std::string::npos : s == "CERTIFICATE") ++n;
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(data);
    }
    std::fclose(f);
    ERR_clear_error();
    return n;
}

Error open_error(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "r");
    if (!f) return os::SyscallError("open " + path, errno);
    std::fclose(f);
    return Error();
}

// Go's tls.LoadX509KeyPair into ctx.
Error load_key_pair(SSL_CTX* ctx, const Config& cfg) {
    if (cfg.cert_file.empty() != cfg.key_file.empty())
        return Error("tls: a certificate needs both cert_file and key_file");
    if (Error e = open_error(cfg.cert_file)) return e;
    if (Error e = open_error(cfg.key_file)) return e;
    if (count_pem(cfg.cert_file, false) <= 0) return Error("tls: failed to find any PEM data in certificate input");
    if (count_pem(cfg.key_file, true) <= 0) return Error("tls: failed to find any PEM data in key input");
    if (SSL_CTX_use_certificate_chain_file(ctx, cfg.cert_file.c_str()) != 1) {
        ERR_clear_error();
        return Error("tls: failed to parse certificate from " + cfg.cert_file);
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, cfg.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
        const unsigned long e = ERR_peek_last_error();
        ERR_clear_error();
        if (ERR_GET_LIB(e) == ERR_LIB_X509 && ERR_GET_REASON(e) == X509_R_KEY_VALUES_MISMATCH)
            return Error("tls: private key does not match public key");
        return Error("tls: failed to parse private key from " + cfg.key_file);
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        ERR_clear_error();
        return Error("tls: private key does not match public key");
    }
    return Error();
}

// The authorities certificates are checked against: file's, or the system's ("").
Error load_roots(SSL_CTX* ctx, const std::string& file) {
    if (!file.empty()) {
        if (Error e = open_error(file)) return e;
        if (count_pem(file, false) <= 0 || SSL_CTX_load_verify_locations(ctx, file.c_str(), nullptr) != 1) {
            ERR_clear_error();
            return Error("tls: no certificates found in " + file);
        }
    } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
        ERR_clear_error();
        return Error("x509: failed to load system roots and no roots provided");
    }
    return Error();
}

std::pair<std::shared_ptr<SslCtx>, Error> make(const Config& cfg, bool server) {
    SSL_CTX* raw = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (!raw) {
        ERR_clear_error();
        return {nullptr, Error("tls: out of memory")};
    }
    auto ctx = std::make_shared<SslCtx>(raw);
    SSL_CTX_set_min_proto_version(raw, cfg.min_version >= VersionTLS13 ? TLS1_3_VERSION : TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(raw, TLS1_3_VERSION);
    // No renegotiation (Go: RenegotiateNever), no compression.
    SSL_CTX_set_options(raw, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
    // SSL_write takes what it is given whole (our writes are all-or-error),
    // and a record's buffers go back to the allocator between records. The
    // chain sent is the certificate file's, as Go's (not one OpenSSL builds
    // from the roots loaded here, a root among it).
    SSL_CTX_set_mode(raw, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_NO_AUTO_CHAIN);
    if (server) {
        // Go's server sends one session ticket.
        SSL_CTX_set_num_tickets(raw, 1);
        if (cfg.cert_file.empty() || cfg.key_file.empty())
            return {nullptr, Error("tls: neither Certificates, GetCertificate, nor GetConfigForClient set in Config")};
        if (Error e = load_key_pair(raw, cfg)) return {nullptr, e};
        if (cfg.client_auth == ClientAuthType::NoClientCert) return {ctx, Error()};
        // Go's: the ClientCAs are named in the CertificateRequest (a Go
        // client then sends only a certificate one of them issued), and
        // verify what comes under VerifyClientCertIfGiven and above.
        if (Error e = load_roots(raw, cfg.client_cas_file)) return {nullptr, e};
        if (!cfg.client_cas_file.empty()) {
            if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(cfg.client_cas_file.c_str()))
                SSL_CTX_set_client_CA_list(raw, names);
            ERR_clear_error();
        }
        const bool require = cfg.client_auth == ClientAuthType::RequireAnyClientCert ||
                             cfg.client_auth == ClientAuthType::RequireAndVerifyClientCert;
        SSL_CTX_set_verify(raw, SSL_VERIFY_PEER | (require ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0), nullptr);
        SSL_CTX_set_cert_verify_callback(raw, &verify_client_certificate, nullptr);
        // OpenSSL refuses to resume a session under SSL_VERIFY_PEER without one.
        static const unsigned char sid_ctx[] = "gocxx-tls";
        SSL_CTX_set_session_id_context(raw, sid_ctx, sizeof sid_ctx - 1);
        return {ctx, Error()};
    }
    if (Error e = load_roots(raw, cfg.root_cas_file)) return {nullptr, e};
    if (!cfg.cert_file.empty() || !cfg.key_file.empty()) {
        if (Error e = load_key_pair(raw, cfg)) return {nullptr, e};
    }
    // The check is ours (verify.cpp); it reads the connection's VerifyTarget.
    SSL_CTX_set_cert_verify_callback(raw, &verify_server_certificate, nullptr);
    SSL_CTX_set_verify(raw, SSL_VERIFY_PEER, nullptr);
    return {ctx, Error()};
}

}  // namespace

std::pair<std::shared_ptr<SslCtx>, Error> context_for(const Config& cfg, bool server) {
    std::string key = server ? "s|" : "c|";
    key += std::to_string(cfg.min_version) + "|";
    if (server) key += std::to_string(static_cast<int>(cfg.client_auth)) + "|";
    const bool client_cas = server && cfg.client_auth != ClientAuthType::NoClientCert;
    for (const std::string* f : {&cfg.root_cas_file, &cfg.cert_file, &cfg.key_file, &cfg.client_cas_file}) {
        if (server && f == &cfg.root_cas_file) continue;
        if (!client_cas && f == &cfg.client_cas_file) continue;
        auto [s, err] = stamp(*f);
        if (err) return {nullptr, err};
        key += s + "|";
    }
    // Made under the lock: goroutines that want the same one park meanwhile.
    static constinit sync::Mutex mu;  // constant-initialised: no guard to wait on
    static constinit std::map<std::string, std::shared_ptr<SslCtx>>* cache = nullptr;  // guarded by mu; never freed
    std::lock_guard<sync::Mutex> g(mu);
    if (!cache) cache = new std::map<std::string, std::shared_ptr<SslCtx>>;
    if (auto it = cache->find(key); it != cache->end()) return {it->second, Error()};
    // Reading the files (the system's roots: a few hundred certificates)
    // blocks the thread: the other goroutines get another worker meanwhile.
    auto [ctx, err] = runtime::blocking([&] { return make(cfg, server); });
    if (err) return {nullptr, err};
    if (cache->size() > 64) cache->clear();  // old files' contexts: their connections keep them alive
    (*cache)[key] = ctx;
    return {ctx, Error()};
}

}  // namespace gocxx::tls::detail
