// net_deadlines: read and write deadlines (future, past, cleared, set while parked), DialTimeout.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

// isTimeout is gocxx's net::is_timeout: a net.Error whose Timeout() is true.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		return
	}
	defer ln.Close()
	cli, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	defer cli.Close()
	srv, err := ln.Accept()
	if err != nil {
		fmt.Println("accept:", err)
		return
	}
	defer srv.Close()
	local, remote := cli.LocalAddr().String(), cli.RemoteAddr().String()
	// Ports vary from run to run: the addresses in an error's text become
	// LOCAL and REMOTE (the pair first, so that one cannot eat into the other).
	mask := func(err error) string {
		s := fmt.Sprint(err)
		s = strings.Replace(s, local+"->"+remote, "LOCAL->REMOTE", -1)
		s = strings.Replace(s, remote, "REMOTE", -1)
		s = strings.Replace(s, local, "LOCAL", -1)
		return s
	}
	buf := make([]byte, 16)

	// A deadline in the future: the read waits for it, then times out.
	dl := time.Now().Add(50 * time.Millisecond)
	fmt.Println("set read deadline", cli.SetReadDeadline(dl))
	n, err := cli.Read(buf)
	fmt.Println("read", n, mask(err))
	fmt.Println("is ErrDeadlineExceeded", errors.Is(err, os.ErrDeadlineExceeded), "timeout", isTimeout(err))
	fmt.Println("returned after the deadline", !time.Now().Before(dl))
	// The deadline stays: the next read fails at once.
	n, err = cli.Read(buf)
	fmt.Println("read again", n, mask(err))

	// The read deadline does not touch writes.
	n, err = cli.Write([]byte("up"))
	fmt.Println("write while the read deadline is past", n, err)
	n, err = srv.Read(buf)
	fmt.Println("server read", string(buf[:n]), err)

	// A deadline in the past fails a read at once, even with data waiting.
	n, err = srv.Write([]byte("x"))
	fmt.Println("server wrote", n, err)
	fmt.Println("set past deadline", cli.SetReadDeadline(time.Now().Add(-time.Second)))
	n, err = cli.Read(buf)
	fmt.Println("read with data waiting", n, mask(err), errors.Is(err, os.ErrDeadlineExceeded))

	// A zero time clears the deadline: the waiting byte is read.
	fmt.Println("clear deadline", cli.SetReadDeadline(time.Time{}))
	n, err = cli.Read(buf)
	fmt.Println("read after clearing", n, string(buf[:n]), err)

	// A deadline in the future that is not reached: the read gets the data.
	fmt.Println("set far deadline", cli.SetReadDeadline(time.Now().Add(time.Hour)))
	srv.Write([]byte("yz"))
	n, err = cli.Read(buf)
	fmt.Println("read before a far deadline", n, string(buf[:n]), err)

	// A deadline set by another goroutine wakes a read parked without one.
	cli.SetReadDeadline(time.Time{})
	res := make(chan error)
	go func() {
		_, err := cli.Read(buf)
		res <- err
	}()
	cli.SetReadDeadline(time.Now())
	err = <-res
	fmt.Println("parked read woken by a deadline", mask(err), isTimeout(err))

	// SetDeadline sets both.
	fmt.Println("set deadline", cli.SetDeadline(time.Now().Add(-time.Second)))
	_, rerr := cli.Read(buf)
	_, werr := cli.Write([]byte("w"))
	fmt.Println("both past:", mask(rerr), "|", mask(werr))
	cli.SetDeadline(time.Time{})

	// A write deadline on a connection whose peer never reads: the socket
	// buffers fill, then the write times out, having written part of it.
	fmt.Println("set write deadline", cli.SetWriteDeadline(time.Now().Add(100*time.Millisecond)))
	chunk := make([]byte, 64*1024)
	total := 0
	for {
		n, err = cli.Write(chunk)
		total += n
		if err != nil {
			break
		}
	}
	fmt.Println("write timed out:", mask(err), errors.Is(err, os.ErrDeadlineExceeded), isTimeout(err))
	fmt.Println("wrote something first", total > 0)
	fmt.Println("past write deadline", cli.SetWriteDeadline(time.Now().Add(-time.Second)))
	n, err = cli.Write([]byte("v"))
	fmt.Println("write", n, mask(err))

	// Deadlines on a closed connection.
	cli.Close()
	err = cli.SetReadDeadline(time.Now())
	fmt.Println("deadline on a closed conn:", mask(err), errors.Is(err, net.ErrClosed))

	// DialTimeout: a negative timeout is already past; zero means none.
	addr := ln.Addr().String()
	maskAddr := func(err error) string { return strings.Replace(fmt.Sprint(err), addr, "ADDR", -1) }
	_, err = net.DialTimeout("tcp", addr, -time.Second)
	fmt.Println("dial_timeout negative:", maskAddr(err))
	fmt.Println("timeout", isTimeout(err), "is DeadlineExceeded", errors.Is(err, context.DeadlineExceeded),
		"is ErrDeadlineExceeded", errors.Is(err, os.ErrDeadlineExceeded))
	c2, err := net.DialTimeout("tcp", addr, 0)
	fmt.Println("dial_timeout zero:", maskAddr(err))
	if err == nil {
		c2.Close()
	}
	c3, err := net.DialTimeout("tcp", addr, time.Minute)
	fmt.Println("dial_timeout a minute:", maskAddr(err))
	if err == nil {
		c3.Close()
	}
}
