// tls_client_auth.go, line by line: a server that asks for client
// certificates, in each of Go's ClientAuth modes (the certificates are made by
// the same `openssl` commands).
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
using A = gocxx::tls::ClientAuthType;

namespace {

std::string dir;

Error make_certs() {
    auto write = [](const std::string& name, const std::string& text) { std::ofstream(dir + "/" + name) << text; };
    write("server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
    write("client.ext", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
    write("serveronly.ext", "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
    for (const std::string& cmd : std::vector<std::string>{
             "openssl req -x509" + ec + "-keyout ca.key -out ca.pem -days 3650 -subj /CN=conformance-ca",
             "openssl req -x509" + ec + "-keyout other.key -out other.pem -days 3650 -subj /CN=conformance-other-ca",
             "openssl req" + ec + "-keyout server.key -out server.csr -subj /CN=localhost",
             "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 2 -out server.pem -days 365 -extfile server.ext",
             "openssl req" + ec + "-keyout client.key -out client.csr -subj /CN=conformance-client/O=Acme/C=NZ",
             "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -set_serial 3 -out client.pem -days 365 -extfile client.ext",
             "openssl x509 -req -in client.csr -CA other.pem -CAkey other.key -set_serial 4 -out stranger.pem -days 365 -extfile client.ext",
             "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -set_serial 5 -out serveronly.pem -days 365 -extfile serveronly.ext",
         }) {
        const std::string full = "cd " + dir + " && " + cmd + " >/dev/null 2>&1";
        if (std::system(full.c_str()) != 0) return Error(cmd + ": exit status 1");
    }
    return Error();
}

std::string peer(const tls::ConnectionState& st) {
    if (st.peer_certificates.empty()) return "no certificate";
    const auto& c = st.peer_certificates[0];
    return c.subject + " from " + c.issuer + ", verified " + (st.verified ? "true" : "false");
}

// One connection: a server with auth (and our CA as client_cas_file if cas)
// and a client with cert ("": none).
void try_one(const std::string& what, A auth, bool cas, const std::string& cert) {
    tls::Config cfg;
    cfg.cert_file = dir + "/server.pem";
    cfg.key_file = dir + "/server.key";
    cfg.client_auth = auth;
    if (cas) cfg.client_cas_file = dir + "/ca.pem";
    auto [ln, err] = tls::listen("tcp", "127.0.0.1:0", cfg);
    if (err) throw Panic(err.message());
    auto stop = defer([&ln = ln] { ln.close(); });
    Channel<std::string> server(1);
    go([ln = ln, server] {
        auto [c, err] = ln.accept();
        if (err) {
            server.send(err.message());
            return;
        }
        auto done = defer([c = c] { c.close(); });
        if (Error herr = c.handshake()) {
            server.send(herr.message());
            return;
        }
        server.send("ok, " + peer(c.connection_state()));
        c.write("hello");
    });
    tls::Config ccfg;
    ccfg.root_cas_file = dir + "/ca.pem";
    if (!cert.empty()) {
        ccfg.cert_file = dir + "/" + cert;
        ccfg.key_file = dir + "/client.key";
    }
    // TLS 1.3: the client's handshake is done before the server has looked
    // at its certificate; a refusal comes to its first read. (It writes
    // nothing: a server that closes with a request unread resets.)
    std::string client = "ok";
    auto [c, derr] = tls::dial("tcp", ln.addr().string(), ccfg);
    if (derr) {
        client = "dial: " + derr.message();
    } else {
        std::string buf(5, '\0');
        Error rerr = io::read_full(c, std::span<char>(buf.data(), buf.size())).second;
        if (rerr) {
            client = rerr.message();
            // Go 1.19's server sends bad_certificate when none came; gocxx's
            // (OpenSSL's) sends certificate_required, as RFC 8446 says.
            if (cert.empty()) client = "refused";
        }
        c.close();
    }
    const std::string s = server.recv();
    std::printf("%s: server %s; client %s\n", what.c_str(), s.c_str(), client.c_str());
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
        try_one("no client cert asked, none", A::NoClientCert, false, "");
        try_one("no client cert asked, one", A::NoClientCert, true, "client.pem");
        try_one("request, none", A::RequestClientCert, false, "");
        try_one("request, another CA's", A::RequestClientCert, false, "stranger.pem");
        try_one("require any, none", A::RequireAnyClientCert, false, "");
        try_one("require any, another CA's", A::RequireAnyClientCert, false, "stranger.pem");
        try_one("verify if given, none", A::VerifyClientCertIfGiven, true, "");
        try_one("verify if given, the CA's", A::VerifyClientCertIfGiven, true, "client.pem");
        try_one("verify if given, another CA's", A::VerifyClientCertIfGiven, false, "stranger.pem");
        try_one("require and verify, none", A::RequireAndVerifyClientCert, true, "");
        try_one("require and verify, the CA's", A::RequireAndVerifyClientCert, true, "client.pem");
        try_one("require and verify, system roots", A::RequireAndVerifyClientCert, false, "client.pem");
        try_one("require and verify, serverAuth only", A::RequireAndVerifyClientCert, true, "serveronly.pem");

        // https: the handler sees the client's certificate in r.tls.
        auto [ln, err] = net::listen("tcp", "127.0.0.1:0");
        if (err) throw Panic(err.message());
        http::Server srv([](http::ResponseWriter& w, http::Request& r) { w.write(peer(*r.tls)); });
        srv.tls_config.client_auth = A::RequireAndVerifyClientCert;
        srv.tls_config.client_cas_file = dir + "/ca.pem";
        Channel<Error> served(1);
        go([&, &ln = ln] { served.send(srv.serve_tls(ln, dir + "/server.pem", dir + "/server.key")); });
        http::Client client;
        client.transport = std::make_shared<http::Transport>();
        client.transport->tls_config.root_cas_file = dir + "/ca.pem";
        client.transport->tls_config.cert_file = dir + "/client.pem";
        client.transport->tls_config.key_file = dir + "/client.key";
        auto [resp, gerr] = client.get("https://" + ln.addr().string() + "/");
        if (gerr) {
            std::printf("https: %s\n", gerr.message().c_str());
        } else {
            std::printf("https: %d %s\n", resp.status_code, resp.body.c_str());
        }
        srv.close();
        served.recv();
    });
}
