// tls_client_auth: a server that asks for client certificates (each of Go's
// ClientAuth modes, with and without ClientCAs) and clients with none, one
// from the CA, one from another CA and one for serverAuth only: what the
// server's handshake says, what the client's first read says, and what the
// server saw of the certificate; then the same through an https server.
// Certificates from the `openssl` command.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
)

func makeCerts(dir string) error {
	write := func(name, text string) { os.WriteFile(dir+"/"+name, []byte(text), 0o600) }
	write("server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
	write("client.ext", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n")
	write("serveronly.ext", "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
	ec := " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
	for _, cmd := range []string{
		"openssl req -x509" + ec + "-keyout ca.key -out ca.pem -days 3650 -subj /CN=conformance-ca",
		"openssl req -x509" + ec + "-keyout other.key -out other.pem -days 3650 -subj /CN=conformance-other-ca",
		"openssl req" + ec + "-keyout server.key -out server.csr -subj /CN=localhost",
		"openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 2 -out server.pem -days 365 -extfile server.ext",
		"openssl req" + ec + "-keyout client.key -out client.csr -subj /CN=conformance-client/O=Acme/C=NZ",
		"openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -set_serial 3 -out client.pem -days 365 -extfile client.ext",
		"openssl x509 -req -in client.csr -CA other.pem -CAkey other.key -set_serial 4 -out stranger.pem -days 365 -extfile client.ext",
		"openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -set_serial 5 -out serveronly.pem -days 365 -extfile serveronly.ext",
	} {
		c := exec.Command("sh", "-c", "cd "+dir+" && "+cmd+" >/dev/null 2>&1")
		if err := c.Run(); err != nil {
			return fmt.Errorf("%s: %v", cmd, err)
		}
	}
	return nil
}

var dir string

func pool() *x509.CertPool {
	pem, err := os.ReadFile(dir + "/ca.pem")
	if err != nil {
		panic(err)
	}
	p := x509.NewCertPool()
	p.AppendCertsFromPEM(pem)
	return p
}

func peer(st tls.ConnectionState) string {
	if len(st.PeerCertificates) == 0 {
		return "no certificate"
	}
	c := st.PeerCertificates[0]
	return fmt.Sprintf("%s from %s, verified %v", c.Subject, c.Issuer, len(st.VerifiedChains) > 0)
}

// One connection: a server with auth (and our CA as ClientCAs if cas) and a
// client with cert ("": none).
func try(what string, auth tls.ClientAuthType, cas bool, cert string) {
	pair, err := tls.LoadX509KeyPair(dir+"/server.pem", dir+"/server.key")
	if err != nil {
		panic(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{pair}, ClientAuth: auth}
	if cas {
		cfg.ClientCAs = pool()
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	server := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			server <- err.Error()
			return
		}
		defer c.Close()
		tc := c.(*tls.Conn)
		if err := tc.Handshake(); err != nil {
			server <- err.Error()
			return
		}
		server <- "ok, " + peer(tc.ConnectionState())
		c.Write([]byte("hello"))
	}()
	ccfg := &tls.Config{RootCAs: pool()}
	if cert != "" {
		p, err := tls.LoadX509KeyPair(dir+"/"+cert, dir+"/client.key")
		if err != nil {
			panic(err)
		}
		ccfg.Certificates = []tls.Certificate{p}
	}
	// TLS 1.3: the client's handshake is done before the server has looked
	// at its certificate; a refusal comes to its first read. (It writes
	// nothing: a server that closes with a request unread resets.)
	client := "ok"
	c, err := tls.Dial("tcp", ln.Addr().String(), ccfg)
	if err != nil {
		client = "dial: " + err.Error()
	} else {
		buf := make([]byte, 5)
		_, err = io.ReadFull(c, buf)
		if err != nil {
			client = err.Error()
			// Go 1.19's server sends bad_certificate when none came; gocxx's
			// (OpenSSL's) sends certificate_required, as RFC 8446 says.
			if cert == "" {
				client = "refused"
			}
		}
		c.Close()
	}
	fmt.Printf("%s: server %s; client %s\n", what, <-server, client)
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
	try("no client cert asked, none", tls.NoClientCert, false, "")
	try("no client cert asked, one", tls.NoClientCert, true, "client.pem")
	try("request, none", tls.RequestClientCert, false, "")
	try("request, another CA's", tls.RequestClientCert, false, "stranger.pem")
	try("require any, none", tls.RequireAnyClientCert, false, "")
	try("require any, another CA's", tls.RequireAnyClientCert, false, "stranger.pem")
	try("verify if given, none", tls.VerifyClientCertIfGiven, true, "")
	try("verify if given, the CA's", tls.VerifyClientCertIfGiven, true, "client.pem")
	try("verify if given, another CA's", tls.VerifyClientCertIfGiven, false, "stranger.pem")
	try("require and verify, none", tls.RequireAndVerifyClientCert, true, "")
	try("require and verify, the CA's", tls.RequireAndVerifyClientCert, true, "client.pem")
	try("require and verify, system roots", tls.RequireAndVerifyClientCert, false, "client.pem")
	try("require and verify, serverAuth only", tls.RequireAndVerifyClientCert, true, "serveronly.pem")

	// https: the handler sees the client's certificate in r.TLS.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, peer(*r.TLS))
		}),
		TLSConfig: &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool()},
		ErrorLog:  log.New(io.Discard, "", 0),
	}
	go srv.ServeTLS(ln, dir+"/server.pem", dir+"/server.key")
	p, err := tls.LoadX509KeyPair(dir+"/client.pem", dir+"/client.key")
	if err != nil {
		panic(err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool(), Certificates: []tls.Certificate{p}}}}
	resp, err := client.Get("https://" + ln.Addr().String() + "/")
	if err != nil {
		fmt.Println("https:", strings.ReplaceAll(err.Error(), ln.Addr().String(), "ADDR"))
		return
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Printf("https: %d %s\n", resp.StatusCode, b)
	srv.Close()
}
