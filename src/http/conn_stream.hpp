// ConnStream: a connection (plain or TLS, http/conn.hpp) as Boost.Beast's SyncReadStream and
// SyncWriteStream, so that beast::http::read and write park the goroutine
// on the netpoller. Beast sees only an error_code; the gocxx Error behind it
// (a deadline, a close, a reset) is kept in last_error() for the caller.
//
// One ConnStream per connection, used by one goroutine at a time (the
// connection's reader and writer are the same party in HTTP/1.1).
#pragma once
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <atomic>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include <gocxx/net/net.hpp>

#include "http/conn.hpp"

namespace gocxx::http::detail {

namespace asio = boost::asio;

class ConnStream {
public:
    explicit ConnStream(Conn c) : conn_(std::move(c)) {}

    const Conn& conn() const noexcept { return conn_; }
    // The error of the last failed read or write (nil after EOF).
    const Error& last_error() const noexcept { return err_; }
    // Bytes read so far (a request or response that got none was never begun).
    std::size_t bytes_read() const noexcept { return nread_; }
    void reset_counts() noexcept { nread_ = 0; }
    // Called before the first byte of each read is handed to Beast; false
    // makes the read fail (the server's shutdown claimed the idle connection).
    bool (*on_first_byte)(void*) = nullptr;
    void* on_first_byte_arg = nullptr;

    template <class MutableBufferSequence>
    std::size_t read_some(const MutableBufferSequence& buffers, boost::system::error_code& ec) {
        for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers); ++it) {
            asio::mutable_buffer b = *it;
            if (b.size() == 0) continue;
            auto [n, err] = conn_.read(std::span<char>(static_cast<char*>(b.data()), b.size()));
            if (n > 0) {
                if (nread_ == 0 && on_first_byte && !on_first_byte(on_first_byte_arg)) {
                    err_ = net::ErrClosed;
                    ec = asio::error::operation_aborted;
                    return 0;
                }
                nread_ += n;
                ec = {};
                return n;
            }
            if (err == io::Eof) {
                ec = asio::error::eof;
            } else {
                err_ = err;
                ec = net::is_timeout(err) ? asio::error::timed_out : asio::error::connection_reset;
            }
            return 0;
        }
        ec = {};
        return 0;
    }

    template <class ConstBufferSequence>
    std::size_t write_some(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
        // Gather the serializer's pieces (header, body) into one send.
        scratch_.clear();
        for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers); ++it) {
            asio::const_buffer b = *it;
            scratch_.append(static_cast<const char*>(b.data()), b.size());
        }
        auto [n, err] = conn_.write(scratch_);
        if (err) {
            err_ = err;
            ec = net::is_timeout(err) ? asio::error::timed_out : asio::error::broken_pipe;
        } else {
            ec = {};
        }
        return n;
    }

    template <class MutableBufferSequence>
    std::size_t read_some(const MutableBufferSequence& buffers) {
        boost::system::error_code ec;
        const std::size_t n = read_some(buffers, ec);
        if (ec) throw boost::system::system_error(ec);
        return n;
    }
    template <class ConstBufferSequence>
    std::size_t write_some(const ConstBufferSequence& buffers) {
        boost::system::error_code ec;
        const std::size_t n = write_some(buffers, ec);
        if (ec) throw boost::system::system_error(ec);
        return n;
    }

private:
    Conn conn_;
    Error err_;
    std::size_t nread_ = 0;
    std::string scratch_;
};

}  // namespace gocxx::http::detail
