// ConnState: one TLS connection, OpenSSL's SSL over memory BIOs over a
// net::Conn (Go's tls.Conn over its net.Conn).
//
// OpenSSL never touches the socket and never waits: the SSL reads records
// from a memory BIO (rbio) that we fill from the net::Conn, and writes them
// to one (wbio) that we drain into it. When SSL_read or SSL_do_handshake say
// WANT_READ, we read the socket through net::Conn::read, which parks on the
// netpoller with its deadline and close handling; writes go out through
// net::Conn::write the same way. So no OpenSSL frame is ever on a parked
// goroutine's stack: OpenSSL's thread-local state (its error queue, its
// per-thread random generators) is only used within one call that does not
// park, whichever worker the goroutine is on. Each call clears the error
// queue first and reads it before it lets go of smu.
//
// Locks (gocxx sync::Mutex: waiting parks the goroutine), in this order:
//   hmu  the handshake (Go's handshakeMutex); held around it with rmu, wmu;
//   rmu  the reading side: one reader at a time fills rbio from the socket;
//   wmu  the writing side: whoever drains wbio holds it until those bytes
//        are written to the socket, so records go out in the order the SSL
//        made them, whether SSL_write or SSL_read (an alert) made them;
//   smu  the SSL object and its BIOs: every OpenSSL call on ssl, held only
//        for the call (never across a socket read or write). OpenSSL allows
//        no concurrent calls on one SSL; smu is why one reader and one writer
//        may still work at once, as Go allows on a tls.Conn.
// close() takes none of rmu/hmu and only tries wmu (a write in progress
// means no close_notify, as Go's Close does); closing the socket wakes a
// parked reader or writer with the socket's error.
#pragma once
#include <openssl/ssl.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <gocxx/error.hpp>
#include <gocxx/net/net.hpp>
#include <gocxx/sync/mutex.hpp>
#include <gocxx/tls/tls.hpp>

#include "tls/ctx.hpp"

namespace gocxx::tls::detail {

struct ConnState {
    ConnState(net::Conn raw, const Config& cfg, bool server);
    ~ConnState();
    ConnState(const ConnState&) = delete;
    ConnState& operator=(const ConnState&) = delete;

    Error handshake();
    Error handshake_context(const context::Context& ctx);
    std::pair<std::size_t, Error> read(std::span<char> buf);
    std::pair<std::size_t, Error> write(std::string_view data);
    Error close();
    Error close_write();
    ConnectionState state();

    const net::Conn raw;
    const bool is_server;

private:
    Error run_handshake();       // hmu, rmu, wmu held
    Error fill();                // rmu held: reads the socket into rbio
    std::string take_output();   // smu held: what the SSL wrote to wbio
    Error send_close_notify();   // wmu held

    std::shared_ptr<SslCtx> ctx_;
    SSL* ssl_ = nullptr;  // owns rbio_ and wbio_
    BIO* rbio_ = nullptr;
    BIO* wbio_ = nullptr;
    Error setup_err_;      // a Config that could not be used: the handshake's answer
    VerifyTarget target_;  // guarded by smu (the check runs inside SSL_do_handshake)

    sync::Mutex hmu_, rmu_, wmu_, smu_;
    std::atomic<bool> handshake_done_{false};
    Error handshake_err_;                // hmu
    bool first_checked_ = false;         // rmu: the first record's header was looked at
    std::string first_;                  // rmu: its bytes until 5 have come
    std::unique_ptr<char[]> inbuf_;      // rmu
    Error read_err_;                     // rmu: sticky (EOF, a bad record)
    Error write_err_;                    // wmu: sticky (Go: a failed write leaves the state corrupt)
    bool close_notify_sent_ = false;     // wmu
    Error close_notify_err_;             // wmu
    std::atomic<bool> closed_{false};
};

}  // namespace gocxx::tls::detail
