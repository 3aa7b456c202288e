// net_errors: the texts and types of net's errors: dial, listen, close, accept, read and write
// on closed sockets, a done context, errors.Is/As, SplitHostPort and JoinHostPort.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// isTimeout is gocxx's net::is_timeout: a net.Error whose Timeout() is true.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// replace is strings.Replace(fmt.Sprint(err), old, new, -1).
func replace(err error, old, new string) string {
	return strings.Replace(fmt.Sprint(err), old, new, -1)
}

// maskConn puts LOCAL and REMOTE for c's addresses in err's text.
func maskConn(c net.Conn, err error) string {
	return replace(err, c.LocalAddr().String()+"->"+c.RemoteAddr().String(), "LOCAL->REMOTE")
}

func main() {
	fmt.Println("sentinels:", net.ErrClosed, "|", io.EOF, "|", io.ErrUnexpectedEOF, "|", os.ErrDeadlineExceeded)

	// A port with nothing listening: listen, note the address, close.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		return
	}
	addr := ln.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	ln.Close()
	_, err = net.Dial("tcp", addr)
	fmt.Println("refused:", replace(err, port, "PORT"))
	var oe *net.OpError
	if errors.As(err, &oe) {
		fmt.Println("OpError op", oe.Op, "net", oe.Net, "source nil", oe.Source == nil,
			"addr is the target", oe.Addr != nil && oe.Addr.String() == addr, "timeout", oe.Timeout())
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		fmt.Println("SyscallError", se.Syscall, "|", se.Err)
		fmt.Println("unwrap gives it", errors.Unwrap(err) == error(se))
	}

	// Addresses that do not parse, networks that do not exist.
	_, err = net.Dial("tcp", "nonsense")
	fmt.Println("dial nonsense:", err)
	var ae *net.AddrError
	if errors.As(err, &ae) {
		fmt.Println("AddrError", ae.Err, "|", ae.Addr)
	}
	if errors.As(err, &oe) {
		fmt.Println("op", oe.Op, "addr nil", oe.Addr == nil)
	}
	_, err = net.Dial("tcp", "")
	fmt.Println("dial empty:", err)
	_, err = net.Dial("tcp", "127.0.0.1:99999")
	fmt.Println("dial bad port:", err)
	_, err = net.Dial("tcp6", "127.0.0.1:80")
	fmt.Println("dial tcp6 to IPv4:", err)
	_, err = net.Dial("tcp5", "127.0.0.1:80")
	fmt.Println("dial unknown network:", err)
	var une net.UnknownNetworkError
	if errors.As(err, &une) {
		fmt.Println("UnknownNetworkError", string(une))
	}
	_, err = net.Listen("foo", "127.0.0.1:0")
	fmt.Println("listen unknown network:", err)
	_, err = net.Listen("tcp", "127.0.0.1:99999")
	fmt.Println("listen port 99999:", err)
	if errors.As(err, &ae) {
		fmt.Println("AddrError", ae.Err, "|", ae.Addr)
	}
	_, err = net.Listen("tcp", "127.0.0.1:-1")
	fmt.Println("listen port -1:", err)

	// An address already in use.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		return
	}
	_, busyPort, _ := net.SplitHostPort(busy.Addr().String())
	_, err = net.Listen("tcp", busy.Addr().String())
	fmt.Println("listen in use:", replace(err, busyPort, "PORT"))
	if errors.As(err, &se) {
		fmt.Println("SyscallError", se.Syscall)
	}
	busy.Close()

	// Unix sockets: a missing path, a path in use.
	dir, err := os.MkdirTemp("", "gocxx-net-errors")
	if err != nil {
		fmt.Println("mkdir:", err)
		return
	}
	defer os.RemoveAll(dir)
	_, err = net.Dial("unix", filepath.Join(dir, "missing.sock"))
	fmt.Println("dial unix missing:", replace(err, dir, "DIR"))
	upath := filepath.Join(dir, "a.sock")
	ul, err := net.Listen("unix", upath)
	if err != nil {
		fmt.Println("listen unix:", err)
		return
	}
	_, err = net.Listen("unix", upath)
	fmt.Println("listen unix in use:", replace(err, dir, "DIR"))
	ul.Close()

	// Closing twice; accept, read and write on what is closed.
	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		return
	}
	laddr := ln2.Addr().String()
	cli, err := net.Dial("tcp", laddr)
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	srv, err := ln2.Accept()
	if err != nil {
		fmt.Println("accept:", err)
		return
	}
	buf := make([]byte, 8)
	fmt.Println("conn close", cli.Close())
	err = cli.Close()
	fmt.Println("conn close again:", maskConn(cli, err), errors.Is(err, net.ErrClosed))
	if errors.As(err, &oe) {
		fmt.Println("op", oe.Op, "timeout", oe.Timeout())
	}
	n, err := cli.Read(buf)
	fmt.Println("read on closed:", n, maskConn(cli, err), errors.Is(err, net.ErrClosed))
	if errors.As(err, &oe) {
		fmt.Println("op", oe.Op)
	}
	n, err = cli.Write([]byte("x"))
	fmt.Println("write on closed:", n, maskConn(cli, err), errors.Is(err, net.ErrClosed))
	err = cli.(*net.TCPConn).CloseWrite()
	fmt.Println("close_write on closed:", maskConn(cli, err), errors.Is(err, net.ErrClosed))
	n, err = srv.Read(buf)
	fmt.Println("the peer reads", n, err, err == io.EOF)
	srv.Close()

	// A read parked when another goroutine closes the conn.
	cli2, err := net.Dial("tcp", laddr)
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	srv2, err := ln2.Accept()
	if err != nil {
		fmt.Println("accept:", err)
		return
	}
	res := make(chan error)
	go func() {
		_, err := cli2.Read(make([]byte, 8))
		res <- err
	}()
	cli2.Close()
	err = <-res
	fmt.Println("parked read, closed:", maskConn(cli2, err), errors.Is(err, net.ErrClosed), isTimeout(err))
	srv2.Close()

	fmt.Println("listener close", ln2.Close())
	err = ln2.Close()
	fmt.Println("listener close again:", replace(err, laddr, "LISTENER"), errors.Is(err, net.ErrClosed))
	_, err = ln2.Accept()
	fmt.Println("accept on closed:", replace(err, laddr, "LISTENER"), errors.Is(err, net.ErrClosed))
	if errors.As(err, &oe) {
		fmt.Println("op", oe.Op, "source nil", oe.Source == nil)
	}

	// A nil listener (a nil *TCPConn's methods would panic in Go: Close and
	// Read are its embedded conn's).
	var nl *net.TCPListener
	_, aerr := nl.Accept()
	fmt.Println("nil listener:", nl.Close(), "|", aerr)

	// Dialing with a context that is already done.
	live, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		return
	}
	defer live.Close()
	liveAddr := live.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var d net.Dialer
	_, err = d.DialContext(ctx, "tcp", liveAddr)
	fmt.Println("dial cancelled:", replace(err, liveAddr, "ADDR"))
	fmt.Println("is Canceled", errors.Is(err, context.Canceled), "timeout", isTimeout(err))
	if errors.As(err, &oe) {
		fmt.Println("op", oe.Op)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), -time.Second)
	defer cancel2()
	_, err = d.DialContext(ctx2, "tcp", liveAddr)
	fmt.Println("dial past deadline:", replace(err, liveAddr, "ADDR"))
	fmt.Println("is DeadlineExceeded", errors.Is(err, context.DeadlineExceeded), "timeout", isTimeout(err))
	c, err := d.DialContext(context.Background(), "tcp", liveAddr)
	fmt.Println("dial live:", replace(err, liveAddr, "ADDR"))
	if err == nil {
		c.Close()
	}

	// SplitHostPort and JoinHostPort.
	for _, hp := range []string{
		"127.0.0.1:80", "[::1]:443", "localhost:http", ":8080", "host:", ":", "[fe80::1%eth0]:22", "[]:80",
		"nonsense", "", "::1:80", "1:2:3", "[::1]", "[::1]80", "[::1]:80:90", "[::1", "a]b:80", "a[b:80",
		"[a[b]:80", "[ab]:8]0",
	} {
		host, port, err := net.SplitHostPort(hp)
		fmt.Println("split", "["+hp+"]", "->", "["+host+"]", "["+port+"]", err)
	}
	for _, p := range [][2]string{
		{"127.0.0.1", "80"}, {"::1", "443"}, {"", "80"}, {"fe80::1%eth0", "22"}, {"host", ""}, {"example.com", "http"},
	} {
		fmt.Println("join", p[0], p[1], "->", net.JoinHostPort(p[0], p[1]))
	}
}
