// net_errors: the texts and types of net's errors: dial, listen, close, accept, read and write
// on closed sockets, a done context, errors.Is/As, SplitHostPort and JoinHostPort.
#include <stdlib.h>

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fmt.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

// replace is strings.Replace(fmt.Sprint(err), old, new, -1).
static std::string replace(const Error& err, std::string_view from, std::string_view to) {
    std::string s = err.message();
    if (from.empty()) return s;
    for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
    return s;
}

// maskConn puts LOCAL and REMOTE for c's addresses in err's text.
static std::string maskConn(const net::Conn& c, const Error& err) {
    return replace(err, c.local_addr().string() + "->" + c.remote_addr().string(), "LOCAL->REMOTE");
}

int main() {
    return gocxx::run([] {
        fmt::Println("sentinels:", net::ErrClosed, "|", io::Eof, "|", io::ErrUnexpectedEOF, "|", os::ErrDeadlineExceeded);

        // A port with nothing listening: listen, note the address, close.
        auto [ln, err0] = net::listen("tcp", "127.0.0.1:0");   // ln, err := net.Listen("tcp", "127.0.0.1:0")
        if (err0) {
            fmt::Println("listen:", err0);
            return;
        }
        const std::string addr = ln.addr().string();            // addr := ln.Addr().String()
        const std::string port = net::split_host_port(addr).first.port;  // _, port, _ := net.SplitHostPort(addr)
        ln.close();
        Error err;
        std::tie(std::ignore, err) = net::dial("tcp", addr);    // _, err = net.Dial("tcp", addr)
        fmt::Println("refused:", replace(err, port, "PORT"));
        if (auto* oe = errors::as<net::OpError>(err)) {         // if errors.As(err, &oe) {
            fmt::Println("OpError op", oe->op, "net", oe->net, "source nil", oe->source.empty(),
                         "addr is the target", !oe->addr.empty() && oe->addr == addr, "timeout", oe->timeout());
        }
        if (auto* se = errors::as<os::SyscallError>(err)) {     // if errors.As(err, &se) {
            fmt::Println("SyscallError", se->syscall, "|", os::errno_string(se->err));
            fmt::Println("unwrap gives it", errors::unwrap(err).get() == se);  // errors.Unwrap(err) == error(se)
        }

        // Addresses that do not parse, networks that do not exist.
        std::tie(std::ignore, err) = net::dial("tcp", "nonsense");
        fmt::Println("dial nonsense:", err);
        if (auto* ae = errors::as<net::AddrError>(err)) {       // if errors.As(err, &ae) {
            fmt::Println("AddrError", ae->err, "|", ae->addr);
        }
        if (auto* oe = errors::as<net::OpError>(err)) {
            fmt::Println("op", oe->op, "addr nil", oe->addr.empty());
        }
        std::tie(std::ignore, err) = net::dial("tcp", "");
        fmt::Println("dial empty:", err);
        std::tie(std::ignore, err) = net::dial("tcp", "127.0.0.1:99999");
        fmt::Println("dial bad port:", err);
        std::tie(std::ignore, err) = net::dial("tcp6", "127.0.0.1:80");
        fmt::Println("dial tcp6 to IPv4:", err);
        std::tie(std::ignore, err) = net::dial("tcp5", "127.0.0.1:80");
        fmt::Println("dial unknown network:", err);
        if (auto* une = errors::as<net::UnknownNetworkError>(err)) {  // var une net.UnknownNetworkError
            fmt::Println("UnknownNetworkError", une->net);
        }
        std::tie(std::ignore, err) = net::listen("foo", "127.0.0.1:0");
        fmt::Println("listen unknown network:", err);
        std::tie(std::ignore, err) = net::listen("tcp", "127.0.0.1:99999");
        fmt::Println("listen port 99999:", err);
        if (auto* ae = errors::as<net::AddrError>(err)) {
            fmt::Println("AddrError", ae->err, "|", ae->addr);
        }
        std::tie(std::ignore, err) = net::listen("tcp", "127.0.0.1:-1");
        fmt::Println("listen port -1:", err);

        // An address already in use.
        auto [busy, err1] = net::listen("tcp", "127.0.0.1:0");
        if (err1) {
            fmt::Println("listen:", err1);
            return;
        }
        const std::string busyPort = net::split_host_port(busy.addr().string()).first.port;
        std::tie(std::ignore, err) = net::listen("tcp", busy.addr().string());
        fmt::Println("listen in use:", replace(err, busyPort, "PORT"));
        if (auto* se = errors::as<os::SyscallError>(err)) {
            fmt::Println("SyscallError", se->syscall);
        }
        busy.close();

        // Unix sockets: a missing path, a path in use.
        std::string tmpl = std::filesystem::temp_directory_path().string() + "/gocxx-net-errors.XXXXXX";
        if (::mkdtemp(tmpl.data()) == nullptr) {                // dir, err := os.MkdirTemp("", "gocxx-net-errors")
            fmt::Println("mkdir: failed");
            return;
        }
        const std::string dir = tmpl;
        auto g0 = defer([&] { std::filesystem::remove_all(dir); });  // defer os.RemoveAll(dir)
        std::tie(std::ignore, err) = net::dial("unix", dir + "/missing.sock");  // filepath.Join(dir, "missing.sock")
        fmt::Println("dial unix missing:", replace(err, dir, "DIR"));
        const std::string upath = dir + "/a.sock";              // upath := filepath.Join(dir, "a.sock")
        auto [ul, err2] = net::listen("unix", upath);
        if (err2) {
            fmt::Println("listen unix:", err2);
            return;
        }
        std::tie(std::ignore, err) = net::listen("unix", upath);
        fmt::Println("listen unix in use:", replace(err, dir, "DIR"));
        ul.close();

        // Closing twice; accept, read and write on what is closed.
        auto [ln2, err3] = net::listen("tcp", "127.0.0.1:0");
        if (err3) {
            fmt::Println("listen:", err3);
            return;
        }
        const std::string laddr = ln2.addr().string();
        auto [cli, err4] = net::dial("tcp", laddr);
        if (err4) {
            fmt::Println("dial:", err4);
            return;
        }
        auto [srv, err5] = ln2.accept();
        if (err5) {
            fmt::Println("accept:", err5);
            return;
        }
        std::vector<char> buf(8);                               // buf := make([]byte, 8)
        fmt::Println("conn close", cli.close());
        err = cli.close();                                      // err = cli.Close()
        fmt::Println("conn close again:", maskConn(cli, err), errors::is(err, net::ErrClosed));
        if (auto* oe = errors::as<net::OpError>(err)) {
            fmt::Println("op", oe->op, "timeout", oe->timeout());
        }
        std::size_t n = 0;
        std::tie(n, err) = cli.read(buf);                       // n, err := cli.Read(buf)
        fmt::Println("read on closed:", n, maskConn(cli, err), errors::is(err, net::ErrClosed));
        if (auto* oe = errors::as<net::OpError>(err)) {
            fmt::Println("op", oe->op);
        }
        std::tie(n, err) = cli.write("x");                      // n, err = cli.Write([]byte("x"))
        fmt::Println("write on closed:", n, maskConn(cli, err), errors::is(err, net::ErrClosed));
        err = cli.close_write();                                // err = cli.(*net.TCPConn).CloseWrite()
        fmt::Println("close_write on closed:", maskConn(cli, err), errors::is(err, net::ErrClosed));
        std::tie(n, err) = srv.read(buf);                       // n, err = srv.Read(buf)
        fmt::Println("the peer reads", n, err, err == io::Eof);
        srv.close();

        // A read parked when another goroutine closes the conn.
        auto [cli2, err6] = net::dial("tcp", laddr);
        if (err6) {
            fmt::Println("dial:", err6);
            return;
        }
        auto [srv2, err7] = ln2.accept();
        if (err7) {
            fmt::Println("accept:", err7);
            return;
        }
        Channel<Error> res;                                     // res := make(chan error)
        go([c = cli2, res] {                                    // go func() {
            std::vector<char> b(8);
            auto [_, err] = c.read(b);                          //     _, err := cli2.Read(make([]byte, 8))
            res.send(err);                                      //     res <- err
        });
        cli2.close();                                           // cli2.Close()
        err = res.recv();                                       // err = <-res
        fmt::Println("parked read, closed:", maskConn(cli2, err), errors::is(err, net::ErrClosed), net::is_timeout(err));
        srv2.close();

        fmt::Println("listener close", ln2.close());
        err = ln2.close();
        fmt::Println("listener close again:", replace(err, laddr, "LISTENER"), errors::is(err, net::ErrClosed));
        std::tie(std::ignore, err) = ln2.accept();              // _, err = ln2.Accept()
        fmt::Println("accept on closed:", replace(err, laddr, "LISTENER"), errors::is(err, net::ErrClosed));
        if (auto* oe = errors::as<net::OpError>(err)) {
            fmt::Println("op", oe->op, "source nil", oe->source.empty());
        }

        // A nil listener (a nil *TCPConn's methods would panic in Go: Close and
        // Read are its embedded conn's).
        net::Listener nl;                                       // var nl *net.TCPListener
        auto [nc, aerr] = nl.accept();                          // _, aerr := nl.Accept()
        (void)nc;
        fmt::Println("nil listener:", nl.close(), "|", aerr);

        // Dialing with a context that is already done.
        auto [live, err8] = net::listen("tcp", "127.0.0.1:0");
        if (err8) {
            fmt::Println("listen:", err8);
            return;
        }
        auto g1 = defer([&live = live] { live.close(); });      // defer live.Close()
        const std::string liveAddr = live.addr().string();
        auto [ctx, cancel] = context::with_cancel(context::background());  // ctx, cancel := context.WithCancel(context.Background())
        cancel();                                               // cancel()
        std::tie(std::ignore, err) = net::dial_context(ctx, "tcp", liveAddr);  // d.DialContext(ctx, "tcp", liveAddr)
        fmt::Println("dial cancelled:", replace(err, liveAddr, "ADDR"));
        fmt::Println("is Canceled", errors::is(err, context::Canceled), "timeout", net::is_timeout(err));
        if (auto* oe = errors::as<net::OpError>(err)) {
            fmt::Println("op", oe->op);
        }
        auto [ctx2, cancel2] = context::with_timeout(context::background(), -1s);  // context.WithTimeout(context.Background(), -time.Second)
        auto g2 = defer([&cancel2 = cancel2] { cancel2(); });   // defer cancel2()
        std::tie(std::ignore, err) = net::dial_context(ctx2, "tcp", liveAddr);
        fmt::Println("dial past deadline:", replace(err, liveAddr, "ADDR"));
        fmt::Println("is DeadlineExceeded", errors::is(err, context::DeadlineExceeded), "timeout", net::is_timeout(err));
        auto [c, err9] = net::dial_context(context::background(), "tcp", liveAddr);
        fmt::Println("dial live:", replace(err9, liveAddr, "ADDR"));
        if (!err9) {
            c.close();
        }

        // SplitHostPort and JoinHostPort.
        for (const std::string hp : {                           // for _, hp := range []string{
                 "127.0.0.1:80", "[::1]:443", "localhost:http", ":8080", "host:", ":", "[fe80::1%eth0]:22", "[]:80",
                 "nonsense", "", "::1:80", "1:2:3", "[::1]", "[::1]80", "[::1]:80:90", "[::1", "a]b:80", "a[b:80",
                 "[a[b]:80", "[ab]:8]0",
             }) {
            auto [hostport, err] = net::split_host_port(hp);    // host, port, err := net.SplitHostPort(hp)
            fmt::Println("split", "[" + hp + "]", "->", "[" + hostport.host + "]", "[" + hostport.port + "]", err);
        }
        for (const auto& p : std::vector<std::array<std::string, 2>>{
                 {"127.0.0.1", "80"}, {"::1", "443"}, {"", "80"}, {"fe80::1%eth0", "22"}, {"host", ""}, {"example.com", "http"},
             }) {
            fmt::Println("join", p[0], p[1], "->", net::join_host_port(p[0], p[1]));
        }
    });
}
