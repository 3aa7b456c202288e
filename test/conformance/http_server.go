// http_server: an http.Server on loopback with a ServeMux (exact paths, a
// subtree, headers and status codes, http.Error, http.NotFound, a handler
// reading the body and query, a handler that panics), asked by the default
// client (Get, Post, Do with a header, HEAD) and by hand over TCP; then
// Shutdown and the error of Serve.
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// show prints a response: its status, the headers named, and its body quoted.
func show(what string, resp *http.Response, err error, keys ...string) {
	if err != nil {
		fmt.Println(what, "error:", err)
		return
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	fmt.Println(what, "->", resp.Status, resp.StatusCode, resp.Proto)
	for _, k := range keys {
		fmt.Println("   ", k+":", strconv.Quote(resp.Header.Get(k)))
	}
	fmt.Println("    body", strconv.Quote(string(body)), err)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("hello, world\n"))
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html><body>hi</body></html>"))
	})
	mux.HandleFunc("/files/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("file " + r.URL.Path))
	})
	mux.HandleFunc("/files/special", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("the special file"))
	})
	mux.HandleFunc("/created", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Id", "42")
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"id":42}`))
	})
	mux.HandleFunc("/teapot", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusTeapot)
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r)
	})
	mux.HandleFunc("/nocontent", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/odd", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(299)
		w.Write([]byte("odd"))
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "method=%s path=%s rawquery=%s q=%s missing=%s custom=%s ctype=%s ua=%s body=%s",
			r.Method, r.URL.Path, r.URL.RawQuery, r.URL.Query().Get("q"), r.URL.Query().Get("missing"),
			r.Header.Get("x-custom"), r.Header.Get("Content-Type"), r.Header.Get("User-Agent"), body)
	})
	mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		return
	}
	base := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: mux}
	served := make(chan error, 1)
	go func() {
		served <- srv.Serve(ln)
	}()

	resp, err := http.Get(base + "/hello")
	show("GET /hello", resp, err, "Content-Type", "Content-Length")
	resp, err = http.Get(base + "/html")
	show("GET /html", resp, err, "Content-Type")
	resp, err = http.Get(base + "/files/a/b.txt")
	show("GET /files/a/b.txt", resp, err)
	resp, err = http.Get(base + "/files/")
	show("GET /files/", resp, err)
	resp, err = http.Get(base + "/files/special")
	show("GET /files/special", resp, err)
	resp, err = http.Get(base + "/created")
	show("GET /created", resp, err, "Content-Type", "Content-Length", "X-Id")
	if err == nil {
		fmt.Println("    X-Multi", resp.Header.Values("X-Multi"))
	}
	resp, err = http.Get(base + "/teapot")
	show("GET /teapot", resp, err, "Content-Type", "X-Content-Type-Options")
	resp, err = http.Get(base + "/gone")
	show("GET /gone", resp, err, "Content-Type")
	resp, err = http.Get(base + "/nosuch")
	show("GET /nosuch", resp, err, "Content-Type", "Content-Length")
	resp, err = http.Get(base + "/hello/more")
	show("GET /hello/more", resp, err)
	resp, err = http.Get(base + "/nocontent")
	show("GET /nocontent", resp, err, "Content-Type", "Content-Length")
	resp, err = http.Get(base + "/odd")
	show("GET /odd", resp, err)

	resp, err = http.Get(base + "/echo?q=a%20b&x=1")
	show("GET /echo?q", resp, err, "Content-Type")
	resp, err = http.Post(base+"/echo", "application/x-test", strings.NewReader("posted data"))
	show("POST /echo", resp, err)

	req, err := http.NewRequest("PUT", base+"/echo?q=put", strings.NewReader("put body"))
	if err != nil {
		fmt.Println("new request:", err)
		return
	}
	req.Header.Set("x-custom", "custom value")
	resp, err = http.DefaultClient.Do(req)
	show("PUT /echo with x-custom", resp, err)

	req, err = http.NewRequest("HEAD", base+"/hello", nil)
	if err != nil {
		fmt.Println("new request:", err)
		return
	}
	resp, err = http.DefaultClient.Do(req)
	show("HEAD /hello", resp, err, "Content-Type", "Content-Length")
	if err == nil {
		fmt.Println("    ContentLength", resp.ContentLength)
	}

	// A handler that panics: Go's server logs it and drops the connection (the
	// client sees an error), gocxx's answers 500; either way the request
	// fails, and the server stays up.
	resp, err = http.Get(base + "/panic")
	failed := err != nil
	if err == nil {
		failed = resp.StatusCode == http.StatusInternalServerError
		resp.Body.Close()
	}
	fmt.Println("GET /panic failed:", failed)
	resp, err = http.Get(base + "/hello")
	show("GET /hello after the panic", resp, err)

	// By hand: lower-case header names reach the handler canonicalised; the
	// reply's status line and header names as sent.
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	c.Write([]byte("GET /echo?q=raw HTTP/1.1\r\nHost: example.com\r\nx-custom: lower\r\nuser-agent: by-hand\r\nConnection: close\r\n\r\n"))
	rd := bufio.NewReader(c)
	status, _ := rd.ReadString('\n')
	fmt.Println("raw status line", strconv.Quote(status))
	var names []string
	for {
		line, err := rd.ReadString('\n')
		if err != nil || line == "\r\n" {
			break
		}
		name, value, _ := strings.Cut(strings.TrimSuffix(line, "\r\n"), ": ")
		if name == "Date" {
			value = "DATE"
		}
		names = append(names, name+"="+value)
	}
	sort.Strings(names)
	fmt.Println("raw headers", names)
	rest, err := io.ReadAll(rd)
	fmt.Println("raw body", strconv.Quote(string(rest)), err)
	c.Close()

	fmt.Println("shutdown:", srv.Shutdown(context.Background()))
	err = <-served
	fmt.Println("serve:", err, err == http.ErrServerClosed)
	_, err = http.Get(base + "/hello")
	fmt.Println("after shutdown, failed:", err != nil)
}
