// net_echo: a loopback echo server for N clients of M lines, CloseWrite and EOF, a unix socket.
package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
)

// echo writes back what it reads until EOF, then closes the connection.
func echo(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 256)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		return
	}
	fmt.Println("listening on", ln.Addr().Network())
	host, _, err := net.SplitHostPort(ln.Addr().String())
	fmt.Println("host", host, err)

	// The accept loop: one echo goroutine per connection; its result comes
	// back on a channel once the listener is closed.
	type acceptResult struct {
		n      int
		closed bool
	}
	acceptDone := make(chan acceptResult)
	go func() {
		n := 0
		for {
			c, err := ln.Accept()
			if err != nil {
				acceptDone <- acceptResult{n, errors.Is(err, net.ErrClosed)}
				return
			}
			n++
			go echo(c)
		}
	}()

	// N clients, each sending M lines and reading each one back whole.
	const N, M = 8, 50
	sums := make([]int, N)
	counts := make([]int, N)
	bad := make([]int, N)
	var wg sync.WaitGroup
	for i := 0; i < N; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				bad[i]++
				return
			}
			defer c.Close()
			for j := 0; j < M; j++ {
				line := fmt.Sprint("client ", i, " line ", j, "\n")
				if _, err := c.Write([]byte(line)); err != nil {
					bad[i]++
					return
				}
				buf := make([]byte, len(line))
				n, err := io.ReadFull(c, buf)
				if err != nil || string(buf[:n]) != line {
					bad[i]++
				}
				counts[i] += n
				for k, b := range buf[:n] {
					sums[i] += (k + 1) * int(b)
				}
			}
		}(i)
	}
	wg.Wait()
	total, checksum, failures := 0, 0, 0
	for i := 0; i < N; i++ {
		total += counts[i]
		checksum += sums[i]
		failures += bad[i]
	}
	fmt.Println("clients", N, "lines", N*M, "bytes", total, "checksum", checksum, "failures", failures)

	ln.Close()
	res := <-acceptDone
	fmt.Println("accepted", res.n, "accept after close is ErrClosed", res.closed)

	// CloseWrite: the peer reads what was sent, then io.EOF; reading goes on.
	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		return
	}
	defer ln2.Close()
	cli, err := net.Dial("tcp", ln2.Addr().String())
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	defer cli.Close()
	srv, err := ln2.Accept()
	if err != nil {
		fmt.Println("accept:", err)
		return
	}
	fmt.Println("addresses agree", cli.LocalAddr().String() == srv.RemoteAddr().String(),
		cli.RemoteAddr().String() == srv.LocalAddr().String(), cli.RemoteAddr().String() == ln2.Addr().String())
	n, err := cli.Write([]byte("ping"))
	fmt.Println("wrote", n, err)
	fmt.Println("close_write", cli.(*net.TCPConn).CloseWrite())
	buf := make([]byte, 8)
	n, err = io.ReadFull(srv, buf[:4])
	fmt.Println("server got", string(buf[:n]), err)
	n, err = srv.Read(buf)
	fmt.Println("server read after CloseWrite", n, err, err == io.EOF)
	n, err = srv.Read(buf)
	fmt.Println("and again", n, err == io.EOF)
	n, err = srv.Write([]byte("pong"))
	fmt.Println("server wrote", n, err)
	srv.Close()
	n, err = io.ReadFull(cli, buf)
	fmt.Println("client ReadFull of 8", n, string(buf[:n]), err, err == io.ErrUnexpectedEOF)
	n, err = cli.Read(buf)
	fmt.Println("client read at the end", n, err, err == io.EOF)
	n, err = io.ReadFull(cli, buf)
	fmt.Println("ReadFull at the end", n, err == io.EOF)

	// io.ReadAll stops at EOF without an error.
	cli3, err := net.Dial("tcp", ln2.Addr().String())
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	srv3, err := ln2.Accept()
	if err != nil {
		fmt.Println("accept:", err)
		return
	}
	go func() {
		defer srv3.Close()
		for i := 0; i < 100; i++ {
			srv3.Write([]byte("0123456789"))
		}
	}()
	data, err := io.ReadAll(cli3)
	fmt.Println("ReadAll", len(data), err, string(data[:10]), string(data[len(data)-10:]))
	cli3.Close()

	// A unix socket in a temporary directory, served by io.Copy.
	dir, err := os.MkdirTemp("", "gocxx-net-echo")
	if err != nil {
		fmt.Println("mkdir:", err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "echo.sock")
	ul, err := net.Listen("unix", path)
	if err != nil {
		fmt.Println("listen unix:", err)
		return
	}
	fmt.Println("unix listener", ul.Addr().Network(), ul.Addr().String() == path)
	peer := make(chan string, 1)
	go func() {
		c, err := ul.Accept()
		if err != nil {
			peer <- "accept failed"
			return
		}
		defer c.Close()
		peer <- c.RemoteAddr().Network() + " remote [" + c.RemoteAddr().String() + "] local is path " + fmt.Sprint(c.LocalAddr().String() == path)
		io.Copy(c, c)
	}()
	uc, err := net.Dial("unix", path)
	if err != nil {
		fmt.Println("dial unix:", err)
		return
	}
	fmt.Println("unix conn remote is path", uc.RemoteAddr().String() == path, "local ["+uc.LocalAddr().String()+"]")
	fmt.Println("server side:", <-peer)
	n, err = uc.Write([]byte("hello over unix"))
	fmt.Println("unix wrote", n, err)
	fmt.Println("unix close_write", uc.(*net.UnixConn).CloseWrite())
	data, err = io.ReadAll(uc)
	fmt.Println("unix echo", string(data), err)
	uc.Close()
	fmt.Println("unix listener close", ul.Close())
	_, err = os.Stat(path)
	fmt.Println("socket file removed", os.IsNotExist(err))
}
