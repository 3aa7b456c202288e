#!/usr/bin/env python3
"""The reconcile job against an HTTPS partner whose certificate a private
authority signed: with --ca-file every payment settles (exit 0); without it
(the system's roots) every call fails with an unknown authority (exit 1).
The partner is Python's ssl server (OpenSSL underneath, another TLS stack
than gocxx's code), on 127.0.0.1; the certificates come from `openssl`.

    reconcile_https.py RECONCILE_BINARY
"""
import http.server
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading

binary = sys.argv[1]
if not shutil.which("openssl"):
    print("SKIP: no openssl command")
    sys.exit(77)

d = tempfile.mkdtemp(prefix="gocxx-reconcile-https-")
try:
    with open(os.path.join(d, "server.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for cmd in (
        ["openssl", "req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=partner-ca"],
        ["openssl", "req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"],
        ["openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "2",
         "-out", "server.pem", "-days", "30", "-extfile", "server.ext"],
    ):
        subprocess.run(cmd, cwd=d, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)

    class Partner(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            parts = self.path.split("/")  # /payments/<id>/status
            body = b"settled" if len(parts) > 2 and parts[2].isdigit() and int(parts[2]) % 2 else b"declined"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Partner)
    srv.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(d, "server.pem"), os.path.join(d, "server.key"))
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = "https://127.0.0.1:%d" % srv.server_address[1]

    ok = True
    good = subprocess.run([binary, "--db", ":memory:", "--payments", "40", "--limit", "8", "--partner", url, "--ca-file",
                           os.path.join(d, "ca.pem")], capture_output=True, text=True, timeout=60)
    print(good.stdout)
    if good.returncode != 0 or "succeeded   40 (settled 20, declined 20)" not in good.stdout:
        print("FAIL: with --ca-file: exit %d\n%s" % (good.returncode, good.stderr))
        ok = False
    bad = subprocess.run([binary, "--db", ":memory:", "--payments", "4", "--limit", "4", "--partner", url],
                         capture_output=True, text=True, timeout=60)
    print(bad.stdout)
    if bad.returncode != 1 or "errors 4" not in bad.stdout:
        print("FAIL: without --ca-file: exit %d (want 1 and 4 errors)\n%s" % (bad.returncode, bad.stderr))
        ok = False
    srv.shutdown()
    sys.exit(0 if ok else 1)
finally:
    shutil.rmtree(d, ignore_errors=True)
