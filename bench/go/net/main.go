// gonet: the Go side of bench/compare.py's network workloads (the gocxx
// side is bench/compare/gocxx_net.cpp; same names, counts and output).
//
//	go build -o gonet bench/go/net/main.go
//	./gonet http_client_L URL   N = 10 L payments, at most L in flight, against
//	                            the partner at URL (bench/go/partner); prints
//	                            `http_client_L WALL ms`
//	./gonet tcp_echo_C          C connections of 512-byte ping-pong to an echo
//	                            server in this process for 2 s; prints
//	                            `tcp_echo_C NS ns/msg` (wall time / round trips)
//	./gonet http_hello          "Hello, World!" on GET /; prints `LISTEN addr`
//	                            and serves until killed (wrk drives it)
//	./gonet https_client_L URL CA   http_client_L over HTTPS (URL https://...),
//	                            trusting the CA file CA; HTTP/1.1, as gocxx's
//	./gonet tls_handshake_N ADDR CA  N new TLS connections one after another
//	                            (dial, handshake, close) to ADDR; prints
//	                            `tls_handshake_N US us/conn`
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	paymentsPerLimit = 10              // N = 10 L
	echoMsg          = 512             // bytes per echo message
	echoTime         = 2 * time.Second // echo: how long the clients run
)

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "gonet: "+format+"\n", a...)
	os.Exit(1)
}

// The article's job over HTTP: a goroutine per payment, a buffered channel as
// the semaphore, a WaitGroup, one shared client that keeps L idle connections.
func httpClient(limit int, partner string, roots *x509.CertPool) float64 {
	n := paymentsPerLimit * limit
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 0 // no overall limit (DefaultTransport's is 100)
	tr.MaxIdleConnsPerHost = limit
	if roots != nil {
		// HTTPS over HTTP/1.1 (the partner offers no h2 either).
		tr.TLSClientConfig = &tls.Config{RootCAs: roots}
		tr.ForceAttemptHTTP2 = false
		tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	}
	client := &http.Client{Transport: tr}
	var failed atomic.Int64
	t0 := time.Now()
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func(id int) {
			defer func() { <-sem; wg.Done() }()
			resp, err := client.Get(partner + "/payments/" + strconv.Itoa(id) + "/status")
			if err != nil {
				failed.Add(1)
				return
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 || string(body) != "settled" {
				failed.Add(1)
			}
		}(i)
	}
	wg.Wait()
	ms := float64(time.Since(t0).Nanoseconds()) / 1e6
	if f := failed.Load(); f > 0 {
		fail("http_client_%d: %d of %d requests failed", limit, f, n)
	}
	return ms
}

func loadRoots(file string) *x509.CertPool {
	pem, err := os.ReadFile(file)
	if err != nil {
		fail("%v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		fail("no certificates in %s", file)
	}
	return pool
}

// n new TLS connections, one after another: dial, handshake (tls.Dial does
// it), close; us of wall time per connection.
func tlsHandshake(n int, addr string, roots *x509.CertPool) float64 {
	cfg := &tls.Config{RootCAs: roots}
	t0 := time.Now()
	for i := 0; i < n; i++ {
		c, err := tls.Dial("tcp", addr, cfg)
		if err != nil {
			fail("tls_handshake: %v", err)
		}
		c.Close()
	}
	return float64(time.Since(t0).Nanoseconds()) / 1e3 / float64(n)
}

func echoServe(c net.Conn) {
	defer c.Close()
	buf := make([]byte, echoMsg)
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

// conns connections, each writes 512 B and reads them back, for echoTime;
// ns of wall time per round trip (all connections together).
func tcpEcho(conns int) float64 {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("listen: %v", err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go echoServe(c)
		}
	}()
	var stop atomic.Bool
	var total atomic.Int64
	var dialed, wg sync.WaitGroup
	start := make(chan struct{})
	dialed.Add(conns)
	wg.Add(conns)
	for i := 0; i < conns; i++ {
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			dialed.Done()
			if err != nil {
				fail("dial: %v", err)
			}
			defer c.Close()
			msg := make([]byte, echoMsg)
			buf := make([]byte, echoMsg)
			<-start
			var k int64
			for !stop.Load() {
				if _, err := c.Write(msg); err != nil {
					fail("write: %v", err)
				}
				if _, err := io.ReadFull(c, buf); err != nil {
					fail("read: %v", err)
				}
				k++
			}
			total.Add(k)
		}()
	}
	dialed.Wait()
	t0 := time.Now()
	close(start)
	time.Sleep(echoTime)
	stop.Store(true)
	wg.Wait()
	el := time.Since(t0)
	ln.Close()
	return float64(el.Nanoseconds()) / float64(total.Load())
}

func httpHello() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("listen: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("Hello, World!"))
	})
	fmt.Printf("LISTEN %s\n", ln.Addr())
	os.Stdout.Sync()
	if err := http.Serve(ln, mux); err != nil {
		fail("serve: %v", err)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: gonet http_client_L URL | https_client_L URL CA | tls_handshake_N ADDR CA | tcp_echo_C | http_hello")
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	name := os.Args[1]
	switch {
	case strings.HasPrefix(name, "http_client_") && len(os.Args) == 3:
		l, err := strconv.Atoi(strings.TrimPrefix(name, "http_client_"))
		if err != nil || l < 1 {
			usage()
		}
		fmt.Printf("%s %.2f ms\n", name, httpClient(l, os.Args[2], nil))
	case strings.HasPrefix(name, "https_client_") && len(os.Args) == 4:
		l, err := strconv.Atoi(strings.TrimPrefix(name, "https_client_"))
		if err != nil || l < 1 {
			usage()
		}
		fmt.Printf("%s %.2f ms\n", name, httpClient(l, os.Args[2], loadRoots(os.Args[3])))
	case strings.HasPrefix(name, "tls_handshake_") && len(os.Args) == 4:
		n, err := strconv.Atoi(strings.TrimPrefix(name, "tls_handshake_"))
		if err != nil || n < 1 {
			usage()
		}
		fmt.Printf("%s %.2f us/conn\n", name, tlsHandshake(n, os.Args[2], loadRoots(os.Args[3])))
	case strings.HasPrefix(name, "tcp_echo_"):
		c, err := strconv.Atoi(strings.TrimPrefix(name, "tcp_echo_"))
		if err != nil || c < 1 {
			usage()
		}
		fmt.Printf("%s %.2f ns/msg\n", name, tcpEcho(c))
	case name == "http_hello":
		httpHello()
	default:
		usage()
	}
}
