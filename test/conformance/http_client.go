// http_client: how the client takes what a hand-written HTTP server sends: a
// body with Content-Length, a chunked body, a connection closed inside the
// body, a garbage status line, a refused connection, Client.Timeout, and
// keep-alive reuse (counted by the server's accepts).
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// isTimeout is gocxx's net::is_timeout: a net.Error whose Timeout() is true.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// rawServer answers each request on ln with reply(path): the bytes to send,
// and whether to close the connection after them. It counts connections.
type rawServer struct {
	ln      net.Listener
	mu      sync.Mutex
	accepts int
	release chan struct{}
}

func newRawServer(reply func(path string, release chan struct{}) (string, bool)) (*rawServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &rawServer{ln: ln, release: make(chan struct{})}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.accepts++
			s.mu.Unlock()
			go func() {
				defer c.Close()
				rd := bufio.NewReader(c)
				for {
					line, err := rd.ReadString('\n')
					if err != nil {
						return
					}
					fields := strings.Fields(line)
					path := ""
					if len(fields) > 1 {
						path = fields[1]
					}
					for {
						h, err := rd.ReadString('\n')
						if err != nil {
							return
						}
						if h == "\r\n" {
							break
						}
					}
					out, closeAfter := reply(path, s.release)
					if _, err := c.Write([]byte(out)); err != nil || closeAfter {
						return
					}
				}
			}()
		}
	}()
	return s, nil
}

func (s *rawServer) url(path string) string { return "http://" + s.ln.Addr().String() + path }

func (s *rawServer) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepts
}

// mask puts PORT for the server's port in err's text.
func (s *rawServer) mask(err error) string {
	_, port, _ := net.SplitHostPort(s.ln.Addr().String())
	return strings.Replace(fmt.Sprint(err), ":"+port+"/", ":PORT/", -1)
}

func main() {
	s, err := newRawServer(func(path string, release chan struct{}) (string, bool) {
		switch path {
		case "/length":
			return "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Test: one\r\n\r\nhello", false
		case "/chunked":
			return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n" +
				"5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n", false
		case "/short":
			return "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel", true
		case "/garbage":
			return "GARBAGE\r\n\r\n", true
		case "/badcode":
			return "HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n", true
		case "/badversion":
			return "HTTP/x 200 OK\r\nContent-Length: 0\r\n\r\n", true
		case "/created":
			return "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}", false
		case "/http10":
			return "HTTP/1.0 200 OK\r\n\r\nuntil close", true
		case "/slow":
			<-release
			return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true
		}
		return "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", false
	})
	if err != nil {
		fmt.Println("listen:", err)
		return
	}
	client := &http.Client{}

	get := func(what, path string) {
		resp, err := client.Get(s.url(path))
		if err != nil {
			fmt.Println(what, "error:", s.mask(err))
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		fmt.Println(what, "->", resp.Status, resp.Proto, "ContentLength", resp.ContentLength,
			"body", strconv.Quote(string(body)), "err", err)
		for _, k := range []string{"Content-Type", "Content-Length", "Transfer-Encoding", "X-Test"} {
			if v := resp.Header.Get(k); v != "" {
				fmt.Println("   ", k+":", v)
			}
		}
	}
	get("content-length", "/length")
	get("chunked", "/chunked")
	get("201", "/created")
	get("HTTP/1.0 until close", "/http10")
	get("404", "/nosuch")

	// A connection that closes inside the body: Go's Get succeeds and reading
	// the body fails; gocxx reads the body within Get, which fails.
	resp, err := client.Get(s.url("/short"))
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	fmt.Println("short body: failed", err != nil, "unexpected EOF", errors.Is(err, io.ErrUnexpectedEOF))

	// Not HTTP.
	_, err = client.Get(s.url("/garbage"))
	fmt.Println("garbage status line:", s.mask(err))
	_, err = client.Get(s.url("/badcode"))
	fmt.Println("bad status code:", s.mask(err))
	_, err = client.Get(s.url("/badversion"))
	fmt.Println("bad version:", s.mask(err))

	// Nothing listening.
	_, err = client.Get("http://127.0.0.1:1/")
	fmt.Println("refused:", err)
	var oe *net.OpError
	fmt.Println("is OpError", errors.As(err, &oe), "timeout", isTimeout(err))
	_, err = client.Get("ftp://127.0.0.1/")
	fmt.Println("scheme:", err)

	// Client.Timeout before the headers come.
	timed := &http.Client{Timeout: 100 * time.Millisecond}
	start := time.Now()
	_, err = timed.Get(s.url("/slow"))
	fmt.Println("timeout:", s.mask(err))
	fmt.Println("timeout() true", isTimeout(err), "waited at least 100ms", time.Since(start) >= 100*time.Millisecond)
	close(s.release)

	// Keep-alive: two requests read to the end share one connection; a reply
	// with Connection: close is not reused.
	ka, err := newRawServer(func(path string, release chan struct{}) (string, bool) {
		if path == "/close" {
			return "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbye", true
		}
		return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false
	})
	if err != nil {
		fmt.Println("listen:", err)
		return
	}
	for i := 0; i < 3; i++ {
		resp, err := client.Get(ka.url("/keep"))
		if err != nil {
			fmt.Println("keep-alive get:", err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println("keep-alive", i, string(body))
	}
	fmt.Println("connections for 3 kept-alive requests:", ka.connections())
	for i := 0; i < 2; i++ {
		resp, err := client.Get(ka.url("/close"))
		if err != nil {
			fmt.Println("close get:", err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println("close", i, string(body))
	}
	fmt.Println("connections after 2 Connection: close requests:", ka.connections())
}
