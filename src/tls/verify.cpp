// The client's check of the server's certificate, in Go's order and with
// Go's texts (crypto/x509's Certificate.Verify): the leaf's validity period,
// then its names, then its chain to a root (OpenSSL's X509_verify_cert).
// Any failure sends the bad_certificate alert, as Go's client does. A
// server's check of a client's certificate is Go's too (its validity
// period, then its chain to one of the ClientCAs, then its key usage:
// OpenSSL checks the chain for the ssl_client purpose), its failure Go's
// "tls: failed to verify client certificate: x509: ..." and the same alert.
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <ctime>
#include <string>

#include "tls/ctx.hpp"

namespace gocxx::tls::detail {

namespace {

// Go's time.RFC3339 of an ASN1 time ("2024-05-01T10:00:00Z").
std::string rfc3339(const ASN1_TIME* t) {
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return "?";
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string now_rfc3339() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Go's x509.CertificateInvalidError{Reason: Expired}; empty if cert is valid now.
std::string validity_error(X509* cert) {
    std::time_t now = std::time(nullptr);
    if (X509_cmp_time(X509_get0_notBefore(cert), &now) > 0)
        return "x509: certificate has expired or is not yet valid: current time " + now_rfc3339() + " is before " +
               rfc3339(X509_get0_notBefore(cert));
    if (X509_cmp_time(X509_get0_notAfter(cert), &now) < 0)
        return "x509: certificate has expired or is not yet valid: current time " + now_rfc3339() + " is after " +
               rfc3339(X509_get0_notAfter(cert));
    return "";
}

bool is_ip(const std::string& host) {
    unsigned char buf[16];
    return ::inet_pton(AF_INET, host.c_str(), buf) == 1 || ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Go's x509.HostnameError's text; empty if the leaf is valid for host.
std::string hostname_error(X509* leaf, const std::string& host) {
    const bool ip = is_ip(host);
    if (ip ? X509_check_ip_asc(leaf, host.c_str(), 0) == 1
           : X509_check_host(leaf, host.c_str(), host.size(),
                             X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1)
        return "";
    std::string dns, ips;
    bool has_san = false;
    if (auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr))) {
        has_san = true;
        for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
            const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
            if (g->type == GEN_DNS) {
                const ASN1_IA5STRING* s = g->d.dNSName;
                if (!dns.empty()) dns += ", ";
                dns.append(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<std::size_t>(ASN1_STRING_length(s)));
            } else if (g->type == GEN_IPADD) {
                const ASN1_OCTET_STRING* s = g->d.iPAddress;
                char buf[INET6_ADDRSTRLEN] = "";
                const int len = ASN1_STRING_length(s);
                if (len == 4) ::inet_ntop(AF_INET, ASN1_STRING_get0_data(s), buf, sizeof buf);
                else if (len == 16) ::inet_ntop(AF_INET6, ASN1_STRING_get0_data(s), buf, sizeof buf);
                if (!ips.empty()) ips += ", ";
                ips += buf;
            }
        }
        GENERAL_NAMES_free(names);
    }
    if (!has_san) {
        char cn[256] = "";
        if (X509_NAME_get_text_by_NID(X509_get_subject_name(leaf), NID_commonName, cn, sizeof cn) > 0 &&
            lower(cn) == lower(host))
            return "x509: certificate relies on legacy Common Name field, use SANs instead";
    }
    if (ip) {
        if (ips.empty()) return "x509: cannot validate certificate for " + host + " because it doesn't contain any IP SANs";
        return "x509: certificate is valid for " + ips + ", not " + host;
    }
    if (dns.empty()) return "x509: certificate is not valid for any names, but wanted to match " + host;
    return "x509: certificate is valid for " + dns + ", not " + host;
}

// X509_verify_cert's verdict in Go's words.
std::string chain_error(X509_STORE_CTX* xctx) {
    const int e = X509_STORE_CTX_get_error(xctx);
    switch (e) {
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        case X509_V_ERR_CERT_UNTRUSTED:
        case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
            return "x509: certificate signed by unknown authority";
        case X509_V_ERR_CERT_HAS_EXPIRED:
        case X509_V_ERR_CERT_NOT_YET_VALID: {
            X509* c = X509_STORE_CTX_get_current_cert(xctx);
            std::string s = c ? validity_error(c) : "";
            return s.empty() ? "x509: certificate has expired or is not yet valid" : s;
        }
        case X509_V_ERR_INVALID_PURPOSE:
            return "x509: certificate specifies an incompatible key usage";
        case X509_V_ERR_INVALID_CA:
            return "x509: certificate is not authorized to sign other certificates";
        default:
            return std::string("x509: ") + X509_verify_cert_error_string(e);
    }
}

}  // namespace

int verify_server_certificate(X509_STORE_CTX* xctx, void*) {
    SSL* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(xctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* target = ssl ? static_cast<VerifyTarget*>(SSL_get_app_data(ssl)) : nullptr;
    if (!target) return 0;
    if (target->insecure) return 1;
    X509* leaf = X509_STORE_CTX_get0_cert(xctx);
    std::string why;
    if (!leaf) why = "tls: server sent no certificate";
    if (why.empty()) why = validity_error(leaf);
    if (why.empty()) why = hostname_error(leaf, target->name);
    if (why.empty()) {
        // Go trusts whatever is in the pool, a root or not.
        X509_STORE_CTX_set_flags(xctx, X509_V_FLAG_PARTIAL_CHAIN);
        if (X509_verify_cert(xctx) != 1) why = chain_error(xctx);
        ERR_clear_error();
    }
    if (why.empty()) return 1;
    target->err = Error(why);
    X509_STORE_CTX_set_error(xctx, X509_V_ERR_CERT_REJECTED);  // the bad_certificate alert, as Go's
    return 0;
}

int verify_client_certificate(X509_STORE_CTX* xctx, void*) {
    SSL* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(xctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* target = ssl ? static_cast<VerifyTarget*>(SSL_get_app_data(ssl)) : nullptr;
    if (!target) return 0;
    // RequestClientCert and RequireAnyClientCert take any certificate.
    if (target->client_auth != ClientAuthType::VerifyClientCertIfGiven &&
        target->client_auth != ClientAuthType::RequireAndVerifyClientCert)
        return 1;
    X509* leaf = X509_STORE_CTX_get0_cert(xctx);
    if (!leaf) return 1;  // none sent: FAIL_IF_NO_PEER_CERT decides
    std::string why = validity_error(leaf);
    if (why.empty()) {
        X509_STORE_CTX_set_flags(xctx, X509_V_FLAG_PARTIAL_CHAIN);
        if (X509_verify_cert(xctx) != 1) why = chain_error(xctx);
        ERR_clear_error();
    }
    if (why.empty()) return 1;
    target->err = Error("tls: failed to verify client certificate: " + why);
    X509_STORE_CTX_set_error(xctx, X509_V_ERR_CERT_REJECTED);  // bad_certificate, as Go's server sends
    return 0;
}

}  // namespace gocxx::tls::detail
