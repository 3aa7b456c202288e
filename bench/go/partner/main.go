// partner: the slow payment partner of bench/compare.py's http_client_L
// workloads, in its own process. Every request sleeps -sleep (one goroutine
// each; net/http puts no limit on concurrent requests) and then answers 200
// "settled". It listens on -addr (127.0.0.1:0 by default: a free port) and
// prints `LISTEN host:port` on stdout once it accepts; it runs until killed.
//
//	go build -o partner bench/go/partner/main.go && ./partner -sleep 100ms
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	sleep := flag.Duration("sleep", 100*time.Millisecond, "time each request takes")
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
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "partner:", err)
		os.Exit(1)
	}
}
