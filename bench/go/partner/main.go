// partner: the slow payment partner of bench/compare.py's http_client_L
// workloads, in its own process. Every request sleeps -sleep (one goroutine
// each; net/http puts no limit on concurrent requests) and then answers 200
// "settled". It listens on -addr (127.0.0.1:0 by default: a free port) and
// prints `LISTEN host:port` on stdout once it accepts; it runs until killed.
// With -cert and -key it serves HTTPS (HTTP/1.1 only: no h2 offered, so Go's
// client and gocxx's speak the same protocol to it).
//
//	go build -o partner bench/go/partner/main.go && ./partner -sleep 100ms
//	./partner -sleep 100ms -cert cert.pem -key key.pem
package main

import (
	"crypto/tls"
	"flag"
	"io"
	"log"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	sleep := flag.Duration("sleep", 100*time.Millisecond, "time each request takes")
	cert := flag.String("cert", "", "certificate (PEM): serve HTTPS")
	key := flag.String("key", "", "its key (PEM)")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "partner:", err)
		os.Exit(1)
	}
	fmt.Printf("LISTEN %s\n", ln.Addr())
	os.Stdout.Sync()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(*sleep)
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("settled"))
	})
	srv := &http.Server{Handler: h}
	if *cert != "" {
		srv.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){} // no h2
		// Handshakes that the handshake workload ends at once are no news.
		srv.ErrorLog = log.New(io.Discard, "", 0)
		err = srv.ServeTLS(ln, *cert, *key)
	} else {
		err = srv.Serve(ln)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "partner:", err)
		os.Exit(1)
	}
}
