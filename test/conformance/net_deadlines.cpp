// net_deadlines: read and write deadlines (future, past, cleared, set while parked), DialTimeout.
#include <string>
#include <string_view>
#include <vector>

#include "fmt.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

// Go's strings.Replace(s, old, new, -1).
static std::string replace_all(std::string s, std::string_view from, std::string_view to) {
    if (from.empty()) return s;
    for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
    return s;
}

int main() {
    return gocxx::run([] {
        auto [ln, err0] = net::listen("tcp", "127.0.0.1:0");   // ln, err := net.Listen("tcp", "127.0.0.1:0")
        if (err0) {
            fmt::Println("listen:", err0);
            return;
        }
        auto g1 = defer([&ln = ln] { ln.close(); });            // defer ln.Close()
        auto [cli, err1] = net::dial("tcp", ln.addr().string());  // cli, err := net.Dial("tcp", ln.Addr().String())
        if (err1) {
            fmt::Println("dial:", err1);
            return;
        }
        auto g2 = defer([&cli = cli] { cli.close(); });         // defer cli.Close()
        auto [srv, err2] = ln.accept();                         // srv, err := ln.Accept()
        if (err2) {
            fmt::Println("accept:", err2);
            return;
        }
        auto g3 = defer([&srv = srv] { srv.close(); });         // defer srv.Close()
        const std::string local = cli.local_addr().string(), remote = cli.remote_addr().string();
        // Ports vary from run to run: the addresses in an error's text become
        // LOCAL and REMOTE (the pair first, so that one cannot eat into the other).
        auto mask = [&](const Error& err) {                     // mask := func(err error) string {
            std::string s = err.message();                      //     s := fmt.Sprint(err)
            s = replace_all(s, local + "->" + remote, "LOCAL->REMOTE");
            s = replace_all(s, remote, "REMOTE");
            s = replace_all(s, local, "LOCAL");
            return s;
        };
        std::vector<char> buf(16);                              // buf := make([]byte, 16)
        std::size_t n = 0;
        Error err;

        // A deadline in the future: the read waits for it, then times out.
        time::Time dl = time::now() + 50ms;                     // dl := time.Now().Add(50 * time.Millisecond)
        fmt::Println("set read deadline", cli.set_read_deadline(dl));
        std::tie(n, err) = cli.read(buf);                       // n, err := cli.Read(buf)
        fmt::Println("read", n, mask(err));
        fmt::Println("is ErrDeadlineExceeded", errors::is(err, os::ErrDeadlineExceeded), "timeout", net::is_timeout(err));
        fmt::Println("returned after the deadline", !(time::now() < dl));  // !time.Now().Before(dl)
        // The deadline stays: the next read fails at once.
        std::tie(n, err) = cli.read(buf);
        fmt::Println("read again", n, mask(err));

        // The read deadline does not touch writes.
        std::tie(n, err) = cli.write("up");                     // n, err = cli.Write([]byte("up"))
        fmt::Println("write while the read deadline is past", n, err);
        std::tie(n, err) = srv.read(buf);
        fmt::Println("server read", std::string(buf.data(), n), err);

        // A deadline in the past fails a read at once, even with data waiting.
        std::tie(n, err) = srv.write("x");
        fmt::Println("server wrote", n, err);
        fmt::Println("set past deadline", cli.set_read_deadline(time::now() - 1s));  // time.Now().Add(-time.Second)
        std::tie(n, err) = cli.read(buf);
        fmt::Println("read with data waiting", n, mask(err), errors::is(err, os::ErrDeadlineExceeded));

        // A zero time clears the deadline: the waiting byte is read.
        fmt::Println("clear deadline", cli.set_read_deadline(time::Time{}));  // cli.SetReadDeadline(time.Time{})
        std::tie(n, err) = cli.read(buf);
        fmt::Println("read after clearing", n, std::string(buf.data(), n), err);

        // A deadline in the future that is not reached: the read gets the data.
        fmt::Println("set far deadline", cli.set_read_deadline(time::now() + 1h));
        srv.write("yz");
        std::tie(n, err) = cli.read(buf);
        fmt::Println("read before a far deadline", n, std::string(buf.data(), n), err);

        // A deadline set by another goroutine wakes a read parked without one.
        cli.set_read_deadline(time::Time{});
        Channel<Error> res;                                     // res := make(chan error)
        go([&, res, &cli = cli] {                               // go func() {
            auto [_, err] = cli.read(buf);                      //     _, err := cli.Read(buf)
            res.send(err);                                      //     res <- err
        });
        cli.set_read_deadline(time::now());                     // cli.SetReadDeadline(time.Now())
        err = res.recv();                                       // err = <-res
        fmt::Println("parked read woken by a deadline", mask(err), net::is_timeout(err));

        // SetDeadline sets both.
        fmt::Println("set deadline", cli.set_deadline(time::now() - 1s));
        auto [n1, rerr] = cli.read(buf);                        // _, rerr := cli.Read(buf)
        auto [n2, werr] = cli.write("w");                       // _, werr := cli.Write([]byte("w"))
        (void)n1;
        (void)n2;
        fmt::Println("both past:", mask(rerr), "|", mask(werr));
        cli.set_deadline(time::Time{});

        // A write deadline on a connection whose peer never reads: the socket
        // buffers fill, then the write times out, having written part of it.
        fmt::Println("set write deadline", cli.set_write_deadline(time::now() + 100ms));
        std::string chunk(64 * 1024, '\0');                     // chunk := make([]byte, 64*1024)
        std::size_t total = 0;
        for (;;) {
            std::tie(n, err) = cli.write(chunk);                // n, err = cli.Write(chunk)
            total += n;
            if (err) {
                break;
            }
        }
        fmt::Println("write timed out:", mask(err), errors::is(err, os::ErrDeadlineExceeded), net::is_timeout(err));
        fmt::Println("wrote something first", total > 0);
        fmt::Println("past write deadline", cli.set_write_deadline(time::now() - 1s));
        std::tie(n, err) = cli.write("v");
        fmt::Println("write", n, mask(err));

        // Deadlines on a closed connection.
        cli.close();                                            // cli.Close()
        err = cli.set_read_deadline(time::now());               // err = cli.SetReadDeadline(time.Now())
        fmt::Println("deadline on a closed conn:", mask(err), errors::is(err, net::ErrClosed));

        // DialTimeout: a negative timeout is already past; zero means none.
        const std::string addr = ln.addr().string();            // addr := ln.Addr().String()
        auto maskAddr = [&](const Error& err) { return replace_all(err.message(), addr, "ADDR"); };
        std::tie(std::ignore, err) = net::dial_timeout("tcp", addr, -1s);  // _, err = net.DialTimeout("tcp", addr, -time.Second)
        fmt::Println("dial_timeout negative:", maskAddr(err));
        fmt::Println("timeout", net::is_timeout(err), "is DeadlineExceeded", errors::is(err, context::DeadlineExceeded),
                     "is ErrDeadlineExceeded", errors::is(err, os::ErrDeadlineExceeded));
        auto [c2, e2] = net::dial_timeout("tcp", addr, time::Duration(0));  // c2, err := net.DialTimeout("tcp", addr, 0)
        fmt::Println("dial_timeout zero:", maskAddr(e2));
        if (!e2) {
            c2.close();
        }
        auto [c3, e3] = net::dial_timeout("tcp", addr, 1min);   // c3, err := net.DialTimeout("tcp", addr, time.Minute)
        fmt::Println("dial_timeout a minute:", maskAddr(e3));
        if (!e3) {
            c3.close();
        }
    });
}
