// tls_errors.go, line by line: what a TLS client is told (the certificates
// are made by the same `openssl` commands).
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gocxx/gocxx.hpp>
#include <gocxx/http/http.hpp>

using namespace gocxx;
using namespace std::chrono_literals;

namespace {

std::string dir;

Error make_certs() {
    auto write = [](const std::string& name, const std::string& text) { std::ofstream(dir + "/" + name) << text; };
    write("server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
    write("wrong.ext", "subjectAltName=DNS:example.com\nbasicConstraints=CA:FALSE\n");
    write("ca.cnf", "[ ca ]\ndefault_ca = CA_default\n[ CA_default ]\ndir = " + dir + "\ndatabase = " + dir +
                        "/index.txt\nnew_certs_dir = " + dir + "\nserial = " + dir +
                        "/serial\ndefault_md = sha256\npolicy = policy_any\n"
                        "unique_subject = no\n[ policy_any ]\ncommonName = supplied\n");
    write("index.txt", "");
    write("serial", "01\n");
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
    for (const std::string& cmd : std::vector<std::string>{
             "openssl req -x509" + ec + "-keyout ca.key -out ca.pem -days 3650 -subj /CN=conformance-ca",
             "openssl req" + ec + "-keyout server.key -out server.csr -subj /CN=localhost",
             "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 2 -out server.pem -days 365 -extfile server.ext",
             "openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in server.csr -out expired.pem -startdate 20200101000000Z -enddate 20210101000000Z -extfile server.ext -notext",
             "openssl req" + ec + "-keyout wrong.key -out wrong.csr -subj /CN=example.com",
             "openssl x509 -req -in wrong.csr -CA ca.pem -CAkey ca.key -set_serial 3 -out wrong.pem -days 365 -extfile wrong.ext",
         }) {
        const std::string full = "cd " + dir + " && " + cmd + " >/dev/null 2>&1";
        if (std::system(full.c_str()) != 0) return Error(cmd + ": exit status 1");
    }
    return Error();
}

// An echo server with cert (and its key) until the program ends.
std::string serve(const std::string& cert, const std::string& key) {
    tls::Config cfg;
    cfg.cert_file = dir + "/" + cert;
    cfg.key_file = dir + "/" + key;
    auto [ln, err] = tls::listen("tcp", "127.0.0.1:0", cfg);
    if (err) throw Panic(err.message());
    go([ln = ln] {
        for (;;) {
            auto [c, err] = ln.accept();
            if (err) return;
            go([c = c] {
                io::copy(c, c);
                c.close();
            });
        }
    });
    return ln.addr().string();
}

// A plain TCP server that sends reply (if any) to each connection and then
// holds it, unanswered.
std::string raw(const std::string& reply) {
    auto [ln, err] = net::listen("tcp", "127.0.0.1:0");
    if (err) throw Panic(err.message());
    go([ln = ln, reply] {
        std::vector<net::Conn> held;
        for (;;) {
            auto [c, err] = ln.accept();
            if (err) return;
            if (!reply.empty()) c.write(reply);
            held.push_back(c);
        }
    });
    return ln.addr().string();
}

tls::Config roots() {
    tls::Config cfg;
    cfg.root_cas_file = dir + "/ca.pem";
    return cfg;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t i = 0; (i = s.find(from, i)) != std::string::npos; i += to.size()) s.replace(i, from.size(), to);
    return s;
}

void show(const std::string& what, const std::string& addr, const Error& err) {
    if (!err) {
        std::printf("%s: ok\n", what.c_str());
        return;
    }
    std::string msg = replace_all(err.message(), addr, "ADDR");
    if (auto i = msg.find("current time "); i != std::string::npos) {
        if (auto j = msg.find(" is after "); j != std::string::npos) msg = msg.substr(0, i) + "current time NOW" + msg.substr(j);
    }
    std::printf("%s: %s\n", what.c_str(), msg.c_str());
}

void dial(const std::string& what, const std::string& addr, const tls::Config& cfg) {
    auto [c, err] = tls::dial("tcp", addr, cfg);
    if (!err) {
        err = c.write("ping").second;
        std::string buf(4, '\0');
        if (!err) err = io::read_full(c, std::span<char>(buf.data(), buf.size())).second;
        if (!err && buf != "ping") err = Error("echo \"" + buf + "\"");
        if (!err) std::printf("%s: version %x\n", what.c_str(), c.connection_state().version);
        c.close();
    }
    show(what, addr, err);
}

}  // namespace

int main() {
    return gocxx::run([] {
        char tmpl[] = "/tmp/tls-conformance-XXXXXX";
        if (!::mkdtemp(tmpl)) throw Panic("mkdtemp");
        dir = tmpl;
        auto cleanup = defer([] { std::filesystem::remove_all(dir); });
        if (Error err = make_certs()) {
            std::printf("certificates: %s\n", err.message().c_str());
            return;
        }
        const std::string good = serve("server.pem", "server.key");
        const std::string expired = serve("expired.pem", "server.key");
        const std::string wrong = serve("wrong.pem", "wrong.key");

        dial("round trip", good, roots());
        tls::Config by_name = roots();
        by_name.server_name = "localhost";
        dial("by name", good, by_name);
        dial("system roots", good, tls::Config{});
        dial("expired", expired, roots());
        dial("wrong name", wrong, by_name);
        dial("no IP SANs", wrong, roots());
        tls::Config other_ip = roots();
        other_ip.server_name = "127.0.0.2";
        dial("other IP", good, other_ip);
        tls::Config insecure;
        insecure.insecure_skip_verify = true;
        dial("insecure expired", expired, insecure);
        dial("insecure wrong", wrong, insecure);

        const std::string plain = raw("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        dial("plain http", plain, roots());
        const std::string garbage = raw("garbage garbage\r\n");
        dial("garbage", garbage, roots());
        const std::string silent = raw("");
        auto [c, err] = tls::dial_timeout("tcp", silent, 100ms, roots());
        show("handshake timeout", silent, err);

        auto client_with = [](tls::Config cfg, time::Duration handshake_timeout, time::Duration timeout) {
            http::Client c;
            c.transport = std::make_shared<http::Transport>();
            c.transport->tls_config = std::move(cfg);
            c.transport->tls_handshake_timeout = handshake_timeout;  // Go's zero for a Transport{} of its own
            c.timeout = timeout;
            return c;
        };
        http::Client client = client_with(roots(), {}, {});
        auto get = [](const std::string& what, const std::string& addr, const http::Client& c) {
            auto [resp, err] = c.get("https://" + addr + "/");
            show(what, addr, err);
        };
        get("https system roots", good, client_with(tls::Config{}, {}, {}));
        get("https expired", expired, client);
        get("https wrong name", wrong, client);
        get("https plain http", plain, client);
        get("https handshake timeout", silent, client_with(roots(), 100ms, {}));
        get("https client timeout", silent, client_with(roots(), {}, 100ms));
    });
}
