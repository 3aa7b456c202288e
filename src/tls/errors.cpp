// OpenSSL's errors in Go's words: an alert the peer sent is Go's
// "remote error: tls: <alert>" (a net::OpError with op "remote error", as
// Go's), one we raise is "local error: tls: ..." where Go says so, and
// the rest "tls: <OpenSSL's reason>".
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>

#include <gocxx/net/net.hpp>

#include "tls/ctx.hpp"

namespace gocxx::tls::detail {

namespace {

// Go's crypto/tls alert texts.
std::string alert_text(int a) {
    switch (a) {
        case 0: return "close notify";
        case 10: return "unexpected message";
        case 20: return "bad record MAC";
        case 21: return "decryption failed";
        case 22: return "record overflow";
        case 30: return "decompression failure";
        case 40: return "handshake failure";
        case 42: return "bad certificate";
        case 43: return "unsupported certificate";
        case 44: return "revoked certificate";
        case 45: return "expired certificate";
        case 46: return "unknown certificate";
        case 47: return "illegal parameter";
        case 48: return "unknown certificate authority";
        case 49: return "access denied";
        case 50: return "error decoding message";
        case 51: return "error decrypting message";
        case 60: return "export restriction";
        case 70: return "protocol version not supported";
        case 71: return "insufficient security level";
        case 80: return "internal error";
        case 86: return "inappropriate fallback";
        case 90: return "user canceled";
        case 100: return "no renegotiation";
        case 109: return "missing extension";
        case 110: return "unsupported extension";
        case 111: return "certificate unobtainable";
        case 112: return "unrecognized name";
        case 113: return "bad certificate status response";
        case 115: return "unknown PSK identity";
        case 116: return "certificate required";
        case 120: return "no application protocol";
        default: return "alert(" + std::to_string(a) + ")";
    }
}

}  // namespace

Error ssl_error(int ssl_err, const char* what) {
    const unsigned long e = ERR_peek_last_error();
    ERR_clear_error();
    if (e == 0) {
        if (ssl_err == SSL_ERROR_SYSCALL || ssl_err == SSL_ERROR_SSL) return Error(std::string("tls: ") + what + " failed");
        return Error("tls: " + std::string(what) + ": OpenSSL error " + std::to_string(ssl_err));
    }
    const int lib = ERR_GET_LIB(e);
    const int reason = ERR_GET_REASON(e);
    if (lib == ERR_LIB_SSL && reason >= SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256)
        return net::OpError("remote error", "", "", "", Error("tls: " + alert_text(reason - SSL_AD_REASON_OFFSET)));
    if (lib == ERR_LIB_SSL && reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE)
        return Error("tls: client didn't provide a certificate");  // a server's, Go's text
    if (lib == ERR_LIB_SSL && reason == SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC)
        return net::OpError("local error", "", "", "", Error("tls: bad record MAC"));
    if (lib == ERR_LIB_SSL && (reason == SSL_R_UNSUPPORTED_PROTOCOL || reason == SSL_R_NO_PROTOCOLS_AVAILABLE ||
                               reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_UNKNOWN_PROTOCOL))
        return Error("tls: unsupported protocol version (" + std::string(ERR_reason_error_string(e) ? ERR_reason_error_string(e) : "?") + ")");
    const char* r = ERR_reason_error_string(e);
    return Error(std::string("tls: ") + (r ? r : "OpenSSL error " + std::to_string(reason)));
}

}  // namespace gocxx::tls::detail
