// tls.Dial, tls.Listen, tls.Client, tls.Server and the Conn and Listener
// handles over ConnState.
#include <gocxx/tls/tls.hpp>

#include <gocxx/os.hpp>

#include "tls/conn_state.hpp"

namespace gocxx::tls {

namespace {

Error einval() { return os::SyscallError("", EINVAL); }

}  // namespace

// ---- Conn -------------------------------------------------------------------

std::pair<std::size_t, Error> Conn::read(std::span<char> buf) const {
    if (!st_) return {0, einval()};
    return st_->read(buf);
}

std::pair<std::size_t, Error> Conn::write(std::string_view data) const {
    if (!st_) return {0, einval()};
    return st_->write(data);
}

Error Conn::close() const { return st_ ? st_->close() : einval(); }
Error Conn::close_write() const { return st_ ? st_->close_write() : einval(); }
Error Conn::set_deadline(time::Time t) const { return st_ ? st_->raw.set_deadline(t) : einval(); }
Error Conn::set_read_deadline(time::Time t) const { return st_ ? st_->raw.set_read_deadline(t) : einval(); }
Error Conn::set_write_deadline(time::Time t) const { return st_ ? st_->raw.set_write_deadline(t) : einval(); }
net::Addr Conn::local_addr() const { return st_ ? st_->raw.local_addr() : net::Addr(); }
net::Addr Conn::remote_addr() const { return st_ ? st_->raw.remote_addr() : net::Addr(); }
Error Conn::handshake() const { return st_ ? st_->handshake() : einval(); }
Error Conn::handshake_context(const context::Context& ctx) const { return st_ ? st_->handshake_context(ctx) : einval(); }
ConnectionState Conn::connection_state() const { return st_ ? st_->state() : ConnectionState{}; }
net::Conn Conn::net_conn() const { return st_ ? st_->raw : net::Conn(); }

Conn client(net::Conn c, const Config& cfg) { return Conn(std::make_shared<detail::ConnState>(std::move(c), cfg, false)); }
Conn server(net::Conn c, const Config& cfg) { return Conn(std::make_shared<detail::ConnState>(std::move(c), cfg, true)); }

// ---- Listener -----------------------------------------------------------------

std::pair<Conn, Error> Listener::accept() const {
    if (!ln_) return {Conn(), einval()};
    auto [c, err] = ln_.accept();
    if (err) return {Conn(), err};
    return {server(c, *cfg_), Error()};
}

Listener new_listener(net::Listener ln, const Config& cfg) { return Listener(std::move(ln), cfg); }

Error check_config(const Config& cfg, bool server) { return detail::context_for(cfg, server).second; }

std::pair<Listener, Error> listen(std::string_view network, std::string_view addr, const Config& cfg) {
    if (Error e = check_config(cfg, true)) return {Listener(), e};
    auto [ln, err] = net::listen(network, addr);
    if (err) return {Listener(), err};
    return {Listener(ln, cfg), Error()};
}

// ---- dial ---------------------------------------------------------------------

std::pair<Conn, Error> dial_context(const context::Context& ctx, std::string_view network, std::string_view addr,
                                    const Config& cfg) {
    Config c = cfg;
    if (c.server_name.empty()) {
        // Go: the host of the address.
        if (auto [hp, err] = net::split_host_port(addr); !err) c.server_name = hp.host;
        else c.server_name = std::string(addr);
    }
    if (Error e = check_config(c, false)) return {Conn(), e};
    auto [raw, err] = net::dial_context(ctx, network, addr);
    if (err) return {Conn(), err};
    Conn conn = client(raw, c);
    if (Error e = conn.handshake_context(ctx)) {
        raw.close();
        return {Conn(), e};
    }
    return {conn, Error()};
}

std::pair<Conn, Error> dial(std::string_view network, std::string_view addr, const Config& cfg) {
    return dial_context(context::background(), network, addr, cfg);
}

std::pair<Conn, Error> dial_timeout(std::string_view network, std::string_view addr, time::Duration d,
                                    const Config& cfg) {
    if (d == time::Duration::zero()) return dial(network, addr, cfg);
    auto [ctx, cancel] = context::with_timeout(context::background(), d);
    auto r = dial_context(ctx, network, addr, cfg);
    cancel();
    return r;
}

}  // namespace gocxx::tls
