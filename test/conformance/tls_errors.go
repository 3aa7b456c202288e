// tls_errors: what a TLS client is told, with certificates the `openssl`
// command makes: a round trip, an unknown authority, an expired certificate,
// a name mismatch (by name and by IP), insecure_skip_verify, a plain HTTP
// server and garbage on the other end, a handshake nobody answers, and the
// same through an https client (addresses printed as ADDR).
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
)

func makeCerts(dir string) error {
	write := func(name, text string) { os.WriteFile(dir+"/"+name, []byte(text), 0o600) }
	write("server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
	write("wrong.ext", "subjectAltName=DNS:example.com\nbasicConstraints=CA:FALSE\n")
	write("ca.cnf", "[ ca ]\ndefault_ca = CA_default\n[ CA_default ]\ndir = "+dir+"\ndatabase = "+dir+
		"/index.txt\nnew_certs_dir = "+dir+"\nserial = "+dir+"/serial\ndefault_md = sha256\npolicy = policy_any\n"+
		"unique_subject = no\n[ policy_any ]\ncommonName = supplied\n")
	write("index.txt", "")
	write("serial", "01\n")
	ec := " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
	for _, cmd := range []string{
		"openssl req -x509" + ec + "-keyout ca.key -out ca.pem -days 3650 -subj /CN=conformance-ca",
		"openssl req" + ec + "-keyout server.key -out server.csr -subj /CN=localhost",
		"openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 2 -out server.pem -days 365 -extfile server.ext",
		"openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in server.csr -out expired.pem -startdate 20200101000000Z -enddate 20210101000000Z -extfile server.ext -notext",
		"openssl req" + ec + "-keyout wrong.key -out wrong.csr -subj /CN=example.com",
		"openssl x509 -req -in wrong.csr -CA ca.pem -CAkey ca.key -set_serial 3 -out wrong.pem -days 365 -extfile wrong.ext",
	} {
		c := exec.Command("sh", "-c", "cd "+dir+" && "+cmd+" >/dev/null 2>&1")
		if err := c.Run(); err != nil {
			return fmt.Errorf("%s: %v", cmd, err)
		}
	}
	return nil
}

var dir string

// An echo server with cert (and its key) until the program ends.
func serve(cert, key string) string {
	pair, err := tls.LoadX509KeyPair(dir+"/"+cert, dir+"/"+key)
	if err != nil {
		panic(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{pair}})
	if err != nil {
		panic(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// A plain TCP server that sends reply (if any) to each connection and then
// holds it, unanswered.
func raw(reply string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		var held []net.Conn
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if reply != "" {
				c.Write([]byte(reply))
			}
			held = append(held, c)
		}
	}()
	return ln.Addr().String()
}

func roots() *x509.CertPool {
	pem, err := os.ReadFile(dir + "/ca.pem")
	if err != nil {
		panic(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return pool
}

func show(what string, addr string, err error) {
	if err == nil {
		fmt.Printf("%s: ok\n", what)
		return
	}
	msg := strings.ReplaceAll(err.Error(), addr, "ADDR")
	// Go prints the times of an expired certificate: keep what does not move.
	if i := strings.Index(msg, "current time "); i >= 0 {
		if j := strings.Index(msg, " is after "); j >= 0 {
			msg = msg[:i] + "current time NOW" + msg[j:]
		}
	}
	fmt.Printf("%s: %s\n", what, msg)
}

func dial(what, addr string, cfg *tls.Config) {
	c, err := tls.Dial("tcp", addr, cfg)
	if err == nil {
		_, err = c.Write([]byte("ping"))
		buf := make([]byte, 4)
		if err == nil {
			_, err = io.ReadFull(c, buf)
		}
		if err == nil && string(buf) != "ping" {
			err = fmt.Errorf("echo %q", buf)
		}
		if err == nil {
			fmt.Printf("%s: version %x\n", what, c.ConnectionState().Version)
		}
		c.Close()
	}
	show(what, addr, err)
}

func main() {
	d, err := os.MkdirTemp("", "tls-conformance-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(d)
	dir = d
	if err := makeCerts(dir); err != nil {
		fmt.Println("certificates:", err)
		return
	}
	good := serve("server.pem", "server.key")
	expired := serve("expired.pem", "server.key")
	wrong := serve("wrong.pem", "wrong.key")

	dial("round trip", good, &tls.Config{RootCAs: roots()})
	dial("by name", good, &tls.Config{RootCAs: roots(), ServerName: "localhost"})
	dial("system roots", good, &tls.Config{})
	dial("expired", expired, &tls.Config{RootCAs: roots()})
	dial("wrong name", wrong, &tls.Config{RootCAs: roots(), ServerName: "localhost"})
	dial("no IP SANs", wrong, &tls.Config{RootCAs: roots()})
	dial("other IP", good, &tls.Config{RootCAs: roots(), ServerName: "127.0.0.2"})
	dial("insecure expired", expired, &tls.Config{InsecureSkipVerify: true})
	dial("insecure wrong", wrong, &tls.Config{InsecureSkipVerify: true})

	plain := raw("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
	dial("plain http", plain, &tls.Config{RootCAs: roots()})
	garbage := raw("garbage garbage\r\n")
	dial("garbage", garbage, &tls.Config{RootCAs: roots()})
	silent := raw("")
	_, err = tls.DialWithDialer(&net.Dialer{Timeout: 100 * time.Millisecond}, "tcp", silent, &tls.Config{RootCAs: roots()})
	show("handshake timeout", silent, err)

	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots()}}}
	get := func(what, addr string, c *http.Client) {
		resp, err := c.Get("https://" + addr + "/")
		if err == nil {
			resp.Body.Close()
		}
		show(what, addr, err)
	}
	get("https system roots", good, &http.Client{Transport: &http.Transport{}})
	get("https expired", expired, client)
	get("https wrong name", wrong, client)
	get("https plain http", plain, client)
	get("https handshake timeout", silent,
		&http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots()}, TLSHandshakeTimeout: 100 * time.Millisecond}})
	get("https client timeout", silent,
		&http.Client{Timeout: 100 * time.Millisecond, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots()}}})
}
