// net_echo: a loopback echo server for N clients of M lines, CloseWrite and EOF, a unix socket.
#include <stdlib.h>

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "fmt.hpp"

using namespace gocxx;

// echo writes back what it reads until EOF, then closes the connection.
static void echo(net::Conn c) {                                 // func echo(c net.Conn) {
    auto g = defer([&] { c.close(); });                         // defer c.Close()
    std::vector<char> buf(256);                                 // buf := make([]byte, 256)
    for (;;) {                                                  // for {
        auto [n, err] = c.read(buf);                            //     n, err := c.Read(buf)
        if (n > 0) {
            if (auto [_, werr] = c.write(std::string_view(buf.data(), n)); werr) {  // c.Write(buf[:n])
                return;
            }
        }
        if (err) {
            return;
        }
    }
}

int main() {
    return gocxx::run([] {
        auto [ln, err] = net::listen("tcp", "127.0.0.1:0");     // ln, err := net.Listen("tcp", "127.0.0.1:0")
        if (err) {
            fmt::Println("listen:", err);
            return;
        }
        fmt::Println("listening on", ln.addr().network());
        auto [hp, err1] = net::split_host_port(ln.addr().string());  // host, _, err := net.SplitHostPort(ln.Addr().String())
        fmt::Println("host", hp.host, err1);

        // The accept loop: one echo goroutine per connection; its result comes
        // back on a channel once the listener is closed.
        struct acceptResult {                                   // type acceptResult struct {
            int n = 0;
            bool closed = false;
        };
        Channel<acceptResult> acceptDone;                       // acceptDone := make(chan acceptResult)
        go([ln = ln, acceptDone] {                              // go func() {
            int n = 0;
            for (;;) {
                auto [c, err] = ln.accept();                    //     c, err := ln.Accept()
                if (err) {
                    acceptDone.send(acceptResult{n, errors::is(err, net::ErrClosed)});
                    return;
                }
                n++;
                go(echo, c);                                    //     go echo(c)
            }
        });

        // N clients, each sending M lines and reading each one back whole.
        constexpr int N = 8, M = 50;                            // const N, M = 8, 50
        std::vector<int> sums(N), counts(N), bad(N);
        sync::WaitGroup wg;                                     // var wg sync.WaitGroup
        const std::string addr = ln.addr().string();
        for (int i = 0; i < N; i++) {
            wg.add(1);
            go([&](int i) {                                     // go func(i int) {
                auto g = defer([&] { wg.done(); });             //     defer wg.Done()
                auto [c, err] = net::dial("tcp", addr);         //     c, err := net.Dial("tcp", ln.Addr().String())
                if (err) {
                    bad[i]++;
                    return;
                }
                auto g2 = defer([&c = c] { c.close(); });       //     defer c.Close()
                for (int j = 0; j < M; j++) {
                    std::string line = fmt::Sprint("client ", i, " line ", j, "\n");
                    if (auto [_, err] = c.write(line); err) {   //     if _, err := c.Write([]byte(line)); err != nil {
                        bad[i]++;
                        return;
                    }
                    std::string buf(line.size(), '\0');         //     buf := make([]byte, len(line))
                    auto [n, err] = io::read_full(c, buf);      //     n, err := io.ReadFull(c, buf)
                    if (err || buf.substr(0, n) != line) {
                        bad[i]++;
                    }
                    counts[i] += static_cast<int>(n);
                    for (std::size_t k = 0; k < n; k++) {       //     for k, b := range buf[:n] {
                        sums[i] += static_cast<int>(k + 1) * static_cast<unsigned char>(buf[k]);
                    }
                }
            }, i);
        }
        wg.wait();
        int total = 0, checksum = 0, failures = 0;
        for (int i = 0; i < N; i++) {
            total += counts[i];
            checksum += sums[i];
            failures += bad[i];
        }
        fmt::Println("clients", N, "lines", N * M, "bytes", total, "checksum", checksum, "failures", failures);

        ln.close();                                             // ln.Close()
        acceptResult res = acceptDone.recv();                   // res := <-acceptDone
        fmt::Println("accepted", res.n, "accept after close is ErrClosed", res.closed);

        // CloseWrite: the peer reads what was sent, then io.EOF; reading goes on.
        auto [ln2, err2] = net::listen("tcp", "127.0.0.1:0");
        if (err2) {
            fmt::Println("listen:", err2);
            return;
        }
        auto g1 = defer([&ln2 = ln2] { ln2.close(); });         // defer ln2.Close()
        auto [cli, err3] = net::dial("tcp", ln2.addr().string());
        if (err3) {
            fmt::Println("dial:", err3);
            return;
        }
        auto g2 = defer([&cli = cli] { cli.close(); });         // defer cli.Close()
        auto [srv, err4] = ln2.accept();                        // srv, err := ln2.Accept()
        if (err4) {
            fmt::Println("accept:", err4);
            return;
        }
        fmt::Println("addresses agree", cli.local_addr().string() == srv.remote_addr().string(),
                     cli.remote_addr().string() == srv.local_addr().string(),
                     cli.remote_addr().string() == ln2.addr().string());
        auto [n, e] = cli.write("ping");                        // n, err := cli.Write([]byte("ping"))
        fmt::Println("wrote", n, e);
        fmt::Println("close_write", cli.close_write());         // cli.(*net.TCPConn).CloseWrite()
        std::vector<char> buf(8);                               // buf := make([]byte, 8)
        std::tie(n, e) = io::read_full(srv, std::span<char>(buf).first(4));  // io.ReadFull(srv, buf[:4])
        fmt::Println("server got", std::string(buf.data(), n), e);
        std::tie(n, e) = srv.read(buf);                         // n, err = srv.Read(buf)
        fmt::Println("server read after CloseWrite", n, e, e == io::Eof);
        std::tie(n, e) = srv.read(buf);
        fmt::Println("and again", n, e == io::Eof);
        std::tie(n, e) = srv.write("pong");                     // n, err = srv.Write([]byte("pong"))
        fmt::Println("server wrote", n, e);
        srv.close();                                            // srv.Close()
        std::tie(n, e) = io::read_full(cli, buf);               // n, err = io.ReadFull(cli, buf)
        fmt::Println("client ReadFull of 8", n, std::string(buf.data(), n), e, e == io::ErrUnexpectedEOF);
        std::tie(n, e) = cli.read(buf);                         // n, err = cli.Read(buf)
        fmt::Println("client read at the end", n, e, e == io::Eof);
        std::tie(n, e) = io::read_full(cli, buf);
        fmt::Println("ReadFull at the end", n, e == io::Eof);

        // io.ReadAll stops at EOF without an error.
        auto [cli3, err5] = net::dial("tcp", ln2.addr().string());
        if (err5) {
            fmt::Println("dial:", err5);
            return;
        }
        auto [srv3, err6] = ln2.accept();
        if (err6) {
            fmt::Println("accept:", err6);
            return;
        }
        go([srv3 = srv3] {                                      // go func() {
            auto g = defer([&] { srv3.close(); });              //     defer srv3.Close()
            for (int i = 0; i < 100; i++) {
                srv3.write("0123456789");                       //     srv3.Write([]byte("0123456789"))
            }
        });
        auto [data, err7] = io::read_all(cli3);                 // data, err := io.ReadAll(cli3)
        fmt::Println("ReadAll", data.size(), err7, data.substr(0, 10), data.substr(data.size() - 10));
        cli3.close();

        // A unix socket in a temporary directory, served by io.Copy.
        std::string tmpl = std::filesystem::temp_directory_path().string() + "/gocxx-net-echo.XXXXXX";
        if (::mkdtemp(tmpl.data()) == nullptr) {                // dir, err := os.MkdirTemp("", "gocxx-net-echo")
            fmt::Println("mkdir: failed");
            return;
        }
        const std::string dir = tmpl;
        auto g3 = defer([&] { std::filesystem::remove_all(dir); });  // defer os.RemoveAll(dir)
        const std::string path = dir + "/echo.sock";            // path := filepath.Join(dir, "echo.sock")
        auto [ul, err8] = net::listen("unix", path);            // ul, err := net.Listen("unix", path)
        if (err8) {
            fmt::Println("listen unix:", err8);
            return;
        }
        fmt::Println("unix listener", ul.addr().network(), ul.addr().string() == path);
        Channel<std::string> peer(1);                           // peer := make(chan string, 1)
        go([ul = ul, peer, path] {                              // go func() {
            auto [c, err] = ul.accept();                        //     c, err := ul.Accept()
            if (err) {
                peer.send("accept failed");
                return;
            }
            auto g = defer([&c = c] { c.close(); });            //     defer c.Close()
            peer.send(c.remote_addr().network() + " remote [" + c.remote_addr().string() + "] local is path " +
                      fmt::Sprint(c.local_addr().string() == path));
            io::copy(c, c);                                     //     io.Copy(c, c)
        });
        auto [uc, err9] = net::dial("unix", path);              // uc, err := net.Dial("unix", path)
        if (err9) {
            fmt::Println("dial unix:", err9);
            return;
        }
        fmt::Println("unix conn remote is path", uc.remote_addr().string() == path, "local [" + uc.local_addr().string() + "]");
        fmt::Println("server side:", peer.recv());
        std::tie(n, e) = uc.write("hello over unix");
        fmt::Println("unix wrote", n, e);
        fmt::Println("unix close_write", uc.close_write());     // uc.(*net.UnixConn).CloseWrite()
        std::tie(data, e) = io::read_all(uc);                   // data, err = io.ReadAll(uc)
        fmt::Println("unix echo", data, e);
        uc.close();
        fmt::Println("unix listener close", ul.close());
        fmt::Println("socket file removed", !std::filesystem::exists(path));  // os.IsNotExist(err)
    });
}
