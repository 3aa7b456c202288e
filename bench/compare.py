#!/usr/bin/env python3
"""Side-by-side benchmark: gocxx vs Go vs Boost.Fiber, the same workloads.

    python3 bench/compare.py [--runs 5] [--procs 1,2] [--only REGEX] [--output FILE]

Builds a release build dir `build-compare` (meson + ninja, the bench
programs only) and `build-compare/gobench` (go build bench/go/main.go), then
for each GOMAXPROCS value and each workload runs gocxx, Go and Boost.Fiber
interleaved (A B C A B C ...) --runs times, each run a separate process with
GOMAXPROCS set in its environment, and prints one table per GOMAXPROCS value
(medians; lower is better for every unit, so a gocxx/X ratio > 1 means gocxx
is slower or bigger). Writes bench/RESULTS.md (or --output).

The network workloads (NET_WORKLOADS: http_client_L, https_client_L,
tls_handshake_N, tcp_echo_C, http_hello_C; `--only '^(https?|tcp|tls)_'`
selects just them) get their own table
per GOMAXPROCS value, --net-runs runs each (default 3): gocxx, Go and
"gocxx + cpp-httplib (before)" (bench/compare/gocxx_net.cpp,
bench/go/net/main.go, bench/compare/httplib_net.cpp), with the Go partner
(bench/go/partner) and wrk (or h2load --h1) as separate processes. This
script measures their CPU (wait4's rusage) and their peak threads and RSS
(Threads and VmHWM of /proc/PID/status, sampled every 10 ms).

With --only, the kind of table (channel or network) that the run does not
touch is kept from the file it writes over (`--only '^(http|tcp)_'` remakes
the network tables and keeps the channel ones), and so are the network rows
it does not remake (`--only '^(https_|tls_)'` remakes those rows only).

The https and handshake rows need the `openssl` command: it makes a CA and a
certificate for 127.0.0.1 in a temporary directory at start.

Programs: bench/go/main.go, bench/compare/gocxx_workloads.cpp,
bench/compare/fiber_workloads.cpp; each runs one workload and prints
`WORKLOAD VALUE UNIT` or `WORKLOAD n/a`. Standard library only.
"""
import argparse
import datetime
import math
import os
import platform
import re
import resource
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build-compare")
RESULTS = os.path.join(ROOT, "bench", "RESULTS.md")

# Table order; the same names as in the three programs.
WORKLOADS = [
    "seq_1", "seq_1024",
    "spsc_0", "spsc_1", "spsc_1024",
    "mpsc_0", "mpsc_1", "mpsc_1024",
    "mpmc_0", "mpmc_1", "mpmc_1024",
    "select_rx_0", "select_rx_1024", "select_both_0", "select_both_1024",
    "ping_pong", "spawn", "parked_rss", "parked_release",
    "semaphore", "semaphore_sleep_for",
]

IMPLS = [  # (column, program path relative to BUILD)
    ("gocxx", "bench/gocxx_workloads"),
    ("Go", "gobench"),
    ("Boost.Fiber", "bench/fiber_workloads"),
]

# Network workloads (their own table): (name, metrics); each metric is a row.
NET_WORKLOADS = [
    ("http_client_50", ("wall", "cpu", "threads", "rss")),
    ("http_client_1000", ("wall", "cpu", "threads", "rss")),
    ("http_client_5000", ("wall", "cpu", "threads", "rss")),
    ("https_client_50", ("wall", "cpu", "threads", "rss")),
    ("https_client_1000", ("wall", "cpu", "threads", "rss")),
    ("tls_handshake_500", ("time", "cpu")),
    ("tcp_echo_100", ("time", "cpu")),
    ("tcp_echo_1000", ("time", "cpu")),
    ("http_hello_100", ("time", "p50", "p99", "cpu")),
    ("http_hello_1000", ("time", "p50", "p99", "cpu")),
]

NET_IMPLS = [  # (column, program path relative to BUILD)
    ("gocxx", "bench/gocxx_net"),
    ("Go", "gonet"),
    ("gocxx + cpp-httplib (before)", "bench/httplib_net"),
]
BEFORE = NET_IMPLS[2][0]

HTTP_PAYMENTS_PER_LIMIT = 10   # N = 10 L (bench/compare/gocxx_net.cpp, bench/go/net/main.go)
ECHO_SECONDS = 2.0             # tcp_echo_C: how long the clients run (the same constant there)
WRK_SECONDS = 3                # http_hello_C: wrk -d


def partner_sleep_ms(limit):
    return 1000 if limit >= 5000 else 100


NOTES = """\
Workloads (uint64 messages; crossbeam-channel's Go suite for the channel and
select ones; 4 producers / consumers / channels):

- `seq_C`: one goroutine sends a batch of C then receives it (2,000,000 messages;
  seq with cap 0 cannot exist). `spsc_C`, `mpsc_C`, `mpmc_C`: 1 or 4 producers,
  1 or 4 consumers on one channel of capacity C (1,000,000 messages for C = 1024,
  400,000 for C = 0 and 1). `select_rx_C`: 4 producers on 4 channels, one
  receiver selecting over them; `select_both_C`: 4 select-senders and 4
  select-receivers over the same 4 channels (400,000 messages). ns/msg.
- `ping_pong`: unbuffered round trip between two goroutines (200,000). ns/roundtrip.
- `spawn`: 1,000,000 goroutines started by the main goroutine, each calls
  `wg.Done()`; then `wg.Wait()`. ns/goroutine.
- `parked_rss`: 100,000 goroutines parked on one channel; (VmHWM once all are
  parked - VmRSS before) / 100,000. bytes/goroutine.
- `parked_release`: the same, then the time to close that channel and `wg.Wait()`
  for all of them. ns/goroutine.
- `semaphore`: 2,000 tasks of a 1 ms sleep (`time.Sleep`, `gocxx::time::sleep`,
  `boost::this_fiber::sleep_for`), at most 100 in flight through a buffered
  channel semaphore and a WaitGroup (ideal 20 ms). ms.
- `semaphore_sleep_for`: the same with a plain blocking
  `std::this_thread::sleep_for(1ms)` in the task (gocxx only). ms.

The main role of each workload runs as the main goroutine (Go's `main`,
`gocxx::run`, the main thread's main fiber); the clock starts inside it.

Boost.Fiber peers: `unbuffered_channel` for cap 0; `buffered_channel(N)` needs a
power of 2 >= 2 and holds N - 1 values, so cap 1 is `buffered_channel(2)` (exact)
and cap 1024 is `buffered_channel(1024)` (1023 slots; seq moves batches of 1023);
the semaphore is `buffered_channel(128)` with 27 placeholders (100 free slots).
Fibers run on `work_stealing(GOMAXPROCS)` installed on every thread, with
`suspend = true` (idle threads sleep; Boost's default, spinning, starves the other
threads on a shared 2-CPU machine); with GOMAXPROCS=1 on Boost's default
`round_robin`, since `work_stealing(1)` spins forever once its queue is empty
(Boost 1.74). Default 128 KiB stacks. n/a: no select in Boost.Fiber;
`semaphore_sleep_for` is gocxx only; Boost.Fiber `spawn` (1,000,000 fibers all
alive before any runs) needs about 9 GB and over 60 s here, so it is skipped
(`FIBER_SPAWN=1` runs it).

Network workloads (the network table; 3 runs each, interleaved; lower is
better here too: throughput is given as time per message or request):

- `http_client_L` (L = 50, 1000, 5000): the article's job over HTTP. N = 10 L
  payments, a goroutine per payment, a buffered channel of L as the semaphore,
  a WaitGroup, one shared client; each does GET /payments/ID/status against
  the partner, a Go net/http server in its own process (bench/go/partner,
  started fresh for every run, all CPUs) that sleeps M = 100 ms per request
  (1 s for L = 5000) and puts no limit on concurrency. Ideal wall time
  N / L x M = 10 M. Both clients keep L idle connections, so every wave after
  the first reuses them: gocxx's `transport->max_idle_conns_per_host = L`, Go's
  `Transport.MaxIdleConnsPerHost = L` (and `MaxIdleConns = 0`, no overall cap;
  DefaultTransport's is 100). Rows: `wall`, ms from the first send on the
  semaphore to `wg.Wait()` (in the program); `cpu`, user + sys of the client
  process (wait4) / N, in us per request; `threads`, the most threads
  /proc/PID/status showed (sampled every 10 ms); `rss`, the largest VmHWM seen
  there, MiB (not ru_maxrss: Linux carries the forking Python's high-water
  mark across exec).
  "gocxx + cpp-httplib (before)": the same job with cpp-httplib 0.11's
  blocking `Client::Get` inside `runtime::blocking`, one kept-alive
  `httplib::Client` per thread (thread_local), so a call in flight holds an OS
  thread (Debian's libcpp-httplib-dev; n/a when meson does not find it).
- `https_client_L` (L = 50, 1000): `http_client_L` over HTTPS: the partner
  serves TLS (`-cert`, `-key`: an ECDSA P-256 certificate for 127.0.0.1 that
  `openssl` makes at start, signed by a CA made with it) over HTTP/1.1 only
  (no h2 offered; Go's client is told not to try it either), and the clients
  trust the CA's file (gocxx's `tls_config.root_cas_file`, Go's
  `TLSClientConfig.RootCAs`). Each of the L connections costs a full TLS 1.3
  handshake (the first wave); the later waves reuse them. Rows as above.
- `tls_handshake_N` (N = 500): N new TLS connections to that partner one
  after another, from the main goroutine: `tls::dial` / `tls.Dial` (the TCP
  dial and a full TLS 1.3 handshake, X25519 and ECDSA P-256, the chain
  verified against the CA) then close (close_notify). `time`: wall us per
  connection; `cpu`: the client process's user + sys per connection, us (the
  partner's, the other half of each handshake, is Go's in both columns and
  not counted).
- `tcp_echo_C` (C = 100, 1,000): an echo server (a goroutine per connection:
  read up to 512 B, write them back) and C client goroutines in the same
  process; each client writes 512 B and reads 512 B back, over and over, for
  2 s once all C are connected. `time`: wall ns per round trip, all
  connections together (2 s / round trips; 1e9 / it is messages per second);
  `cpu`: user + sys of the whole process (dials included) per round trip, ns.
- `http_hello_C` (C = 100, 1,000): "Hello, World!" (text/plain) on GET /,
  gocxx's `http::Server` with a `ServeMux` against Go's `http.Serve` with a
  `ServeMux`, each in its own process, under `wrk -t2 -cC -d3s --latency`
  (h2load --h1 when wrk is absent: no percentiles then), which shares the
  2 CPUs with the server. `time`: ns per request (1e9 / wrk's Requests/sec);
  `p50`, `p99`: wrk's latency percentiles, us; `cpu`: the server's user + sys
  per request served, us.

The open-file limit is raised to the hard limit for every process.
"""


def sh(cmd, **kw):
    """Output of a command, or '' if it fails."""
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def build(jobs):
    env = dict(os.environ)
    if not os.path.exists(os.path.join(BUILD, "build.ninja")):
        # -Dwerror=false: a release (-O3) build may warn where the default
        # build does not (GCC 12's -Wrestrict false positives); a benchmark
        # build should not stop on that.
        subprocess.run(["meson", "setup", BUILD, "--buildtype=release", "-Dtests=disabled", "-Dexamples=disabled", "-Dwerror=false"],
                       cwd=ROOT, check=True)
    targets = ["bench/gocxx_workloads", "bench/gocxx_net"]
    known = sh(["ninja", "-C", BUILD, "-t", "targets", "all"])
    if "bench/fiber_workloads:" in known:
        targets.append("bench/fiber_workloads")
    else:
        print("compare.py: Boost.Fiber not found by meson: its column is n/a", file=sys.stderr)
    if "bench/httplib_net:" in known:
        targets.append("bench/httplib_net")
    else:
        print("compare.py: cpp-httplib not found by meson: the \"%s\" column is n/a" % BEFORE, file=sys.stderr)
    subprocess.run(["ninja", "-C", BUILD, "-j", str(jobs)] + targets, cwd=ROOT, check=True)
    if not env.get("HOME"):
        env["GOCACHE"] = os.path.join(BUILD, "gocache")
    env.setdefault("GO111MODULE", "off")
    for out, src in (("gobench", "bench/go/main.go"), ("gonet", "bench/go/net/main.go"),
                     ("partner", "bench/go/partner/main.go")):
        subprocess.run(["go", "build", "-o", os.path.join(BUILD, out), src], cwd=ROOT, env=env, check=True)


def run_one(prog, workload, procs, timeout):
    """One process, one workload: (value or None, unit, error or None)."""
    if not os.path.exists(prog):
        return None, None, None  # not built: n/a
    env = dict(os.environ, GOMAXPROCS=str(procs))
    try:
        p = subprocess.run([prog, workload], capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, "timeout (%ds)" % timeout
    if p.returncode != 0:
        tail = (p.stderr or p.stdout).strip().splitlines()[-3:]
        return None, None, "rc %d: %s" % (p.returncode, " | ".join(tail))
    fields = p.stdout.split()
    if len(fields) == 2 and fields[0] == workload and fields[1] == "n/a":
        return None, None, None
    if len(fields) != 3 or fields[0] != workload:
        return None, None, "bad output: %r" % p.stdout.strip()
    return float(fields[1]), fields[2], None


def fmt(v):
    if v is None:
        return "n/a"
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def ratio_cell(r):
    if r is None:
        return "n/a"
    s = "%.2f" % r
    return "**%s**" % s if r > 1.0 else s


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def table(procs, rows, impls=("gocxx", "Go", "Boost.Fiber"), third="Fiber", title=None, geo=True):
    """Markdown table for one GOMAXPROCS value; returns (text, geomean)."""
    out = [title or "### GOMAXPROCS=%d" % procs, "",
           "| workload | unit | %s | gocxx/Go | gocxx/%s |" % (" | ".join(impls), third),
           "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    go_ratios = []
    for name, unit, med, errs in rows:
        g, o, f = (med[i] for i in impls)
        rg = g / o if g is not None and o else None
        rf = g / f if g is not None and f else None
        if rg is not None:
            go_ratios.append(rg)
        cells = []
        for impl in impls:
            c = fmt(med[impl])
            if errs[impl]:
                c += " (%s)" % errs[impl] if med[impl] is None else " (%d failed)" % len(errs[impl])
            cells.append(c)
        out.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            name, unit or "", cells[0], cells[1], cells[2], ratio_cell(rg), ratio_cell(rf)))
    gm = geomean(go_ratios)
    out.append("")
    if geo:
        out.append("Geometric mean of gocxx/Go over %d workloads: %s" % (
            len(go_ratios), ratio_cell(gm) if gm is not None else "n/a"))
        out.append("")
    return "\n".join(out), gm


def earlier_results(path):
    """What an earlier results file holds, to keep the tables a run does not
    remake: {"generated": line, "chan"/"net": [section text], "chan_raw"/
    "net_raw": [raw table lines]} (empty when there is no such file)."""
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        lines = f.read().split("\n")
    out = {"generated": next((l for l in lines if l.startswith("Generated by")), ""),
           "chan": [], "net": [], "chan_raw": [], "net_raw": []}
    # Tables that file itself kept from an earlier one: their provenance.
    for kind in ("channel", "network"):
        m = next((re.match(r"The %s tables are kept from the earlier file \((.*)\)$" % kind, l) for l in lines
                  if l.startswith("The %s tables are kept" % kind)), None)
        if m:
            out[kind + "_kept_from"] = m.group(1)
    region, cur = None, None
    for line in lines:
        if line.startswith("## "):
            region, cur = line, None
            continue
        if region == "## Results":
            if line.startswith("### "):
                cur = "net" if line.startswith("### Network") else "chan"
                out[cur].append(line)
            elif cur:
                out[cur][-1] += "\n" + line
        elif region == "## Raw runs":
            if line.startswith("| GOMAXPROCS | workload |"):
                cur = "chan_raw"
            elif line.startswith("| GOMAXPROCS | network row |"):
                cur = "net_raw"
            elif not line.startswith("|"):
                cur = None
            if cur:
                out[cur].append(line)
    return out


def net_row_order(label):
    """Where a network row (its label: "http_client_50 cpu") goes in NET_WORKLOADS' order."""
    for i, (w, metrics) in enumerate(NET_WORKLOADS):
        for j, m in enumerate(metrics):
            if label == (w if m in ("wall", "time") else "%s %s" % (w, m)):
                return (i, j)
    return (len(NET_WORKLOADS), 0)


def net_row_workload(label):
    return label.split(" ", 1)[0]


def merge_net(prev, sections, net_raw, rerun):
    """The network tables and raw lines of this run (sections: "### Network,
    GOMAXPROCS=P" texts; net_raw: "| P | label | ... |" lines) with the rows
    of the earlier file (prev, earlier_results') for the workloads this run
    did not remake (rerun: their names). Returns (sections, net_raw, kept)."""
    def rows_of(text):
        lines = text.split("\n")
        head = lines[:4]
        rows = [l for l in lines[4:] if l.startswith("| ")]
        return head, {l.split("|")[1].strip(): l for l in rows}

    tables, kept = {}, False
    for text in prev.get("net", []):
        m = re.match(r"### Network, GOMAXPROCS=(\d+)", text)
        if not m:
            continue
        head, rows = rows_of(text)
        rows = {k: v for k, v in rows.items() if net_row_workload(k) not in rerun}
        kept = kept or bool(rows)
        tables[int(m.group(1))] = (head, rows)
    for text in sections:
        m = re.match(r"### Network, GOMAXPROCS=(\d+)", text)
        head, rows = rows_of(text)
        old = tables.get(int(m.group(1)), (head, {}))[1]
        tables[int(m.group(1))] = (head, dict(old, **rows))
    out = []
    for procs in sorted(tables):
        head, rows = tables[procs]
        out.append("\n".join(head + [rows[k] for k in sorted(rows, key=net_row_order)] + [""]))
    raw = {}
    for line in prev.get("net_raw", [])[2:]:
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and net_row_workload(cells[2]) not in rerun:
            raw[(int(cells[1]), cells[2])] = line
    for line in net_raw:
        cells = [c.strip() for c in line.split("|")]
        raw[(int(cells[1]), cells[2])] = line
    lines = [raw[k] for k in sorted(raw, key=lambda k: (k[0], net_row_order(k[1])))]
    return out, lines, kept


# ---- network workloads --------------------------------------------------------

def raise_nofile():
    """Soft open-file limit to the hard one, for this process and its children."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def threads_and_hwm(pid):
    """(Threads, VmHWM in KiB) from /proc/PID/status; 0 for what is not there."""
    threads = hwm = 0
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("Threads:"):
                    threads = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return threads, hwm


class Proc:
    """A child process whose peak thread count and VmHWM are sampled every
    10 ms, and whose CPU time comes from wait4's rusage. (Not ru_maxrss: the
    kernel carries the forked Python's high-water mark across exec, so every
    child would report at least Python's ~17 MiB.)"""

    def __init__(self, argv, env):
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.peak_threads = 0
        self.peak_rss_kib = 0
        self.rusage = None
        self.status = None
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self):
        while not self._done.wait(0.01):
            t, hwm = threads_and_hwm(self.p.pid)
            self.peak_threads = max(self.peak_threads, t)
            self.peak_rss_kib = max(self.peak_rss_kib, hwm)

    def first_line(self, timeout):
        """The first stdout line (a server's `LISTEN addr`), or None."""
        box = []
        t = threading.Thread(target=lambda: box.append(self.p.stdout.readline()), daemon=True)
        t.start()
        t.join(timeout)
        return box[0].strip() if box else None

    def wait(self, timeout):
        """wait4 with a timeout (then SIGKILL); returns (stdout, stderr, timed_out)."""
        timer = threading.Timer(timeout, lambda: self.kill(signal.SIGKILL))
        timer.start()
        _, self.status, self.rusage = os.wait4(self.p.pid, 0)
        timed_out = not timer.is_alive()
        timer.cancel()
        self._done.set()
        self.p.returncode = os.waitstatus_to_exitcode(self.status)
        out, err = self.p.stdout.read(), self.p.stderr.read()
        self.p.stdout.close()
        self.p.stderr.close()
        return out, err, timed_out

    def kill(self, sig=signal.SIGTERM):
        try:
            os.kill(self.p.pid, sig)
        except ProcessLookupError:
            pass

    def cpu_s(self):
        return self.rusage.ru_utime + self.rusage.ru_stime


def start_server(argv, env, what):
    """(Proc, "host:port") of a server that prints `LISTEN host:port`, or raises."""
    srv = Proc(argv, env)
    line = srv.first_line(10)
    if not line or not line.startswith("LISTEN "):
        srv.kill(signal.SIGKILL)
        _, err, _ = srv.wait(5)
        raise RuntimeError("%s did not start: %r %s" % (what, line, err.strip()[-200:]))
    return srv, line.split()[1]


def parse_wrk(out):
    """(requests/s, p50 us, p99 us, requests, errors) from wrk --latency."""
    def us(v):
        m = re.match(r"([\d.]+)(us|ms|s)$", v)
        return float(m.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6}[m.group(2)] if m else None
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    n = re.search(r"(\d+) requests in", out)
    errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    nerr = (sum(int(x) for x in errs.groups()) if errs else 0) + (int(non2xx.group(1)) if non2xx else 0)
    if not rps or not n:
        return None
    return (float(rps.group(1)), us(p50.group(1)) if p50 else None, us(p99.group(1)) if p99 else None,
            int(n.group(1)), nerr)


def parse_h2load(out):
    m = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", out)
    n = re.search(r"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored", out)
    if not m or not n:
        return None
    return float(m.group(1)), None, None, int(n.group(1)), int(n.group(2)) + int(n.group(3))


def load_tool():
    """wrk, else h2load (--h1), else None."""
    for tool in ("wrk", "h2load"):
        if sh(["sh", "-c", "command -v " + tool]):
            return tool
    return None


_CERTS = {}


def tls_files():
    """{"dir", "ca", "cert", "key"}: a CA and a certificate for 127.0.0.1
    signed by it, made once per run by `openssl` in a temporary directory
    (removed at exit); raises RuntimeError if openssl fails."""
    if _CERTS:
        return _CERTS
    d = tempfile.mkdtemp(prefix="gocxx-compare-tls-")
    import atexit
    import shutil
    atexit.register(shutil.rmtree, d, True)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    with open(os.path.join(d, "server.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                "extendedKeyUsage=serverAuth\n")
    for cmd in (["openssl", "req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
                                                      "-subj", "/CN=compare-ca"],
                ["openssl", "req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
                ["openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                 "-set_serial", "2", "-out", "server.pem", "-days", "30", "-extfile", "server.ext"]):
        try:
            p = subprocess.run(cmd, cwd=d, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as e:
            raise RuntimeError("openssl: %s" % e)
        if p.returncode != 0:
            raise RuntimeError("openssl failed: %s" % p.stderr.strip()[-200:])
    _CERTS.update(dir=d, ca=os.path.join(d, "ca.pem"), cert=os.path.join(d, "server.pem"),
                  key=os.path.join(d, "server.key"))
    return _CERTS


def run_net(prog, workload, procs, timeout, tool):
    """One run of a network workload: ({metric: value}, unit-less) or None for
    n/a, and an error or None."""
    if not os.path.exists(prog):
        return None, None
    env = dict(os.environ, GOMAXPROCS=str(procs))
    partner_env = {k: v for k, v in os.environ.items() if k != "GOMAXPROCS"}
    m = re.match(r"(https?_client|tcp_echo|http_hello|tls_handshake)_(\d+)$", workload)
    kind, k = m.group(1), int(m.group(2))
    if kind == "http_hello":
        if tool is None:
            return None, "neither wrk nor h2load is installed"
        # n/a for a program without the server: it prints `http_hello n/a`.
        srv = Proc([prog, "http_hello"], env)
        line = srv.first_line(10)
        if line == "http_hello n/a":
            srv.wait(5)
            return None, None
        if not line or not line.startswith("LISTEN "):
            srv.kill(signal.SIGKILL)
            _, err, _ = srv.wait(5)
            return None, "server did not start: %r %s" % (line, err.strip()[-200:])
        url = "http://%s/" % line.split()[1]
        if tool == "wrk":
            cmd = ["wrk", "-t2", "-c%d" % k, "-d%ds" % WRK_SECONDS, "--latency", url]
        else:
            cmd = ["h2load", "--h1", "-t2", "-c%d" % k, "-D%d" % WRK_SECONDS, url]
        try:
            lg = subprocess.run(cmd, capture_output=True, text=True, timeout=WRK_SECONDS + 60)
            res = (parse_wrk if tool == "wrk" else parse_h2load)(lg.stdout)
        except subprocess.TimeoutExpired:
            res = None
        srv.kill(signal.SIGTERM)
        srv.wait(10)
        if res is None:
            return None, "%s gave no result" % tool
        rps, p50, p99, n, nerr = res
        if nerr:
            return None, "%d failed requests" % nerr
        return {"time": 1e9 / rps, "p50": p50, "p99": p99, "cpu": srv.cpu_s() * 1e6 / n}, None

    argv = [prog, workload]
    partner = None
    if kind in ("http_client", "https_client", "tls_handshake"):
        tls = kind != "http_client"
        try:
            pargv = [os.path.join(BUILD, "partner"), "-sleep", "%dms" % partner_sleep_ms(k)]
            if tls:
                files = tls_files()
                pargv += ["-cert", files["cert"], "-key", files["key"]]
            partner, addr = start_server(pargv, partner_env, "partner")
        except RuntimeError as e:
            return None, str(e)
        if kind == "tls_handshake":
            argv += [addr, files["ca"]]
        else:
            argv.append(("https://" if tls else "http://") + addr)
            if tls:
                argv.append(files["ca"])
    p = Proc(argv, env)
    out, err, timed_out = p.wait(timeout)
    if partner:
        partner.kill(signal.SIGTERM)
        partner.wait(10)
    if timed_out:
        return None, "timeout (%ds)" % timeout
    if p.p.returncode != 0:
        tail = (err or out).strip().splitlines()[-3:]
        return None, "rc %d: %s" % (p.p.returncode, " | ".join(tail))
    fields = out.split()
    if len(fields) == 2 and fields[0] == workload and fields[1] == "n/a":
        return None, None
    if len(fields) != 3 or fields[0] != workload:
        return None, "bad output: %r" % out.strip()
    v = float(fields[1])
    if kind == "tls_handshake":  # v = wall us per connection
        return {"time": v, "cpu": p.cpu_s() * 1e6 / k}, None
    if kind in ("http_client", "https_client"):
        n = HTTP_PAYMENTS_PER_LIMIT * k
        return {"wall": v, "cpu": p.cpu_s() * 1e6 / n, "threads": float(p.peak_threads),
                "rss": p.peak_rss_kib / 1024.0}, None
    # tcp_echo: v = ns per round trip over ECHO_SECONDS
    return {"time": v, "cpu": p.cpu_s() * 1e9 / (ECHO_SECONDS * 1e9 / v)}, None


def net_unit(workload, metric):
    if workload.startswith("tls_handshake_"):
        return {"time": "us/conn", "cpu": "us CPU/conn"}[metric]
    if workload.startswith(("http_client_", "https_client_")):
        limit = int(workload.rsplit("_", 1)[1])
        ideal = HTTP_PAYMENTS_PER_LIMIT * partner_sleep_ms(limit)
        return {"wall": "ms wall (ideal %d)" % ideal, "cpu": "us CPU/req", "threads": "peak threads",
                "rss": "MiB peak RSS"}[metric]
    if workload.startswith("tcp_echo_"):
        return {"time": "ns/msg", "cpu": "ns CPU/msg"}[metric]
    return {"time": "ns/req", "p50": "us p50", "p99": "us p99", "cpu": "us CPU/req"}[metric]


def machine_info():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    boost = ""
    try:
        with open("/usr/include/boost/version.hpp") as f:
            m = re.search(r'#define BOOST_LIB_VERSION "([^"]+)"', f.read())
            boost = m.group(1).replace("_", ".") if m else ""
    except OSError:
        pass
    commit = sh(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT)
    dirty = sh(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT)
    return [
        ("nproc", sh(["nproc"])),
        ("CPU", cpu),
        ("kernel", platform.release()),
        ("g++", (sh(["g++", "--version"]).splitlines() or [""])[0]),
        ("go", sh(["go", "version"])),
        ("Boost", boost),
        ("commit", "%s (%s)" % (commit, "dirty tree" if dirty else "clean tree")),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="processes per workload and implementation (default 5)")
    ap.add_argument("--procs", default="1,2", help="GOMAXPROCS values, comma-separated (default 1,2)")
    ap.add_argument("--only", default=None, help="regex: only workloads whose name matches (re.search)")
    ap.add_argument("--timeout", type=int, default=60, help="seconds per process before it counts as hung (default 60)")
    ap.add_argument("--jobs", type=int, default=2, help="ninja -j (default 2)")
    ap.add_argument("--no-build", action="store_true", help="use build-compare as it is")
    ap.add_argument("--output", default=RESULTS, help="results file (default bench/RESULTS.md)")
    ap.add_argument("--net-runs", type=int, default=3, help="runs of each network workload (default 3)")
    args = ap.parse_args()
    procs_list = [int(p) for p in args.procs.split(",") if p.strip()]
    workloads = [w for w in WORKLOADS if args.only is None or re.search(args.only, w)]
    net_workloads = [(w, ms) for w, ms in NET_WORKLOADS if args.only is None or re.search(args.only, w)]
    if not workloads and not net_workloads:
        sys.exit("compare.py: no workload matches --only %r; workloads: %s" % (
            args.only, " ".join(WORKLOADS + [w for w, _ in NET_WORKLOADS])))
    raise_nofile()
    tool = load_tool() if any(w.startswith("http_hello") for w, _ in net_workloads) else "wrk"
    if tool is None:
        print("compare.py: neither wrk nor h2load found: http_hello_* are n/a", file=sys.stderr)

    started = time.time()
    load_before = os.getloadavg()[0]
    if not args.no_build:
        build(args.jobs)
    progs = [(name, os.path.join(BUILD, rel)) for name, rel in IMPLS]
    net_progs = [(name, os.path.join(BUILD, rel)) for name, rel in NET_IMPLS]

    sections, summary, raw, net_raw = [], [], [], []
    failures = 0
    for procs in procs_list:
        if not workloads:
            break
        rows = []
        for w in workloads:
            vals = {name: [] for name, _ in progs}
            errs = {name: [] for name, _ in progs}
            unit = None
            for _ in range(args.runs):
                for name, prog in progs:
                    v, u, err = run_one(prog, w, procs, args.timeout)
                    if err:
                        errs[name].append(err)
                        failures += 1
                        print("  FAILED: GOMAXPROCS=%d %s %s: %s" % (procs, name, w, err), file=sys.stderr)
                    elif v is not None:
                        vals[name].append(v)
                        unit = unit or u
            med = {n: (statistics.median(vals[n]) if vals[n] else None) for n in vals}
            errs1 = {n: (errs[n][0] if errs[n] and not vals[n] else errs[n]) for n in errs}
            rows.append((w, unit, med, errs1))
            raw.append("| %d | %s | %s |" % (procs, w, " | ".join(
                " ".join(fmt(v) for v in vals[n]) or "n/a" for n, _ in progs)))
            print("GOMAXPROCS=%d %-20s %s" % (procs, w, "  ".join(
                "%s %s" % (n, fmt(med[n])) for n in med)), flush=True)
        text, gm = table(procs, rows)
        sections.append(text)
        summary.append((procs, gm))
        print()
        print(text)

    for procs in procs_list:
        if not net_workloads:
            break
        rows = []
        for w, metrics in net_workloads:
            vals = {name: {m: [] for m in metrics} for name, _ in net_progs}
            errs = {name: [] for name, _ in net_progs}
            for _ in range(args.net_runs):
                for name, prog in net_progs:
                    r, err = run_net(prog, w, procs, args.timeout, tool)
                    if err:
                        errs[name].append(err)
                        failures += 1
                        print("  FAILED: GOMAXPROCS=%d %s %s: %s" % (procs, name, w, err), file=sys.stderr)
                    elif r is not None:
                        for m in metrics:
                            if r.get(m) is not None:
                                vals[name][m].append(r[m])
            for m in metrics:
                med = {n: (statistics.median(vals[n][m]) if vals[n][m] else None) for n in vals}
                errs1 = {n: (errs[n][0] if errs[n] and not vals[n][m] else errs[n]) for n in errs}
                label = w if m in ("wall", "time") else "%s %s" % (w, m)
                rows.append((label, net_unit(w, m), med, errs1))
                net_raw.append("| %d | %s | %s |" % (procs, label, " | ".join(
                    " ".join(fmt(v) for v in vals[n][m]) or "n/a" for n, _ in net_progs)))
                print("GOMAXPROCS=%d %-24s %s" % (procs, label, "  ".join(
                    "%s %s" % (n, fmt(med[n])) for n in med)), flush=True)
        text, _ = table(procs, rows, impls=[n for n, _ in NET_IMPLS], third="before",
                        title="### Network, GOMAXPROCS=%d" % procs, geo=False)
        sections.append(text)
        print()
        print(text)

    # With --only, a kind of table (channel / network) that this run did not
    # make at all is kept from the file it writes over, with its provenance.
    kept_from = kept_rows_from = None
    if args.only is not None:
        prev = earlier_results(args.output)
        if not workloads and prev.get("chan"):
            sections = prev["chan"] + sections
            raw = prev["chan_raw"][2:]
            kept_from = prev.get("channel_kept_from") or prev["generated"]
        if not net_workloads and prev.get("net"):
            sections = sections + prev["net"]
            net_raw = prev["net_raw"][2:]
            kept_from = prev.get("network_kept_from") or prev["generated"]
        elif net_workloads and prev.get("net"):
            # The network rows this run did not remake stay, in their places.
            net_sections = [t for t in sections if t.startswith("### Network")]
            sections = [t for t in sections if not t.startswith("### Network")]
            merged, net_raw, kept = merge_net(prev, net_sections, net_raw, {w for w, _ in net_workloads})
            sections = sections + merged
            if kept:
                kept_rows_from = prev["generated"]

    elapsed = time.time() - started
    cmdline = "python3 bench/compare.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    doc = ["# gocxx vs Go vs Boost.Fiber", "",
           "Generated by `%s` (bench/compare.py) on %s; took %.0f s." % (
               cmdline.strip(), datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"), elapsed),
           "",
           "Medians of %d runs (%d for the network table; one process each, the three "
           "implementations interleaved), "
           "GOMAXPROCS set in each process's environment. Lower is better for every unit; "
           "a ratio > 1.0 (bold) means gocxx is slower or uses more memory." % (args.runs, args.net_runs),
           ""]
    if kept_from:
        doc += ["The %s tables are kept from the earlier file (%s)" % (
            "channel" if not workloads else "network", kept_from[0].lower() + kept_from[1:].rstrip(".") + "."), ""]
    if kept_rows_from:
        doc += ["Only the network rows of %s are from this run; the others are kept from the earlier file (%s)" % (
            ", ".join("`%s`" % w for w, _ in net_workloads),
            kept_rows_from[0].lower() + kept_rows_from[1:].rstrip(".") + "."), ""]
    doc += ["## Machine", ""]
    doc += ["- %s: %s" % kv for kv in machine_info()]
    doc += ["- load average (1 min) at start / end: %.1f / %.1f (a shared machine: "
            "other load inflates the absolute numbers)" % (load_before, os.getloadavg()[0])]
    doc += ["", "## Results", ""]
    doc += sections
    analysis = os.path.join(ROOT, "bench", "ANALYSIS.md")
    if os.path.exists(analysis):  # hand-written: what each loss came from, what fixed it
        with open(analysis) as f:
            doc += ["## Analysis", "", f.read()]
    doc += ["## Notes", "", NOTES,
            "## Raw runs", ""]
    if raw:
        doc += ["| GOMAXPROCS | workload | %s |" % " | ".join(n for n, _ in progs),
                "| --- | --- | --- | --- | --- |"] + raw + [""]
    if net_raw:
        doc += ["| GOMAXPROCS | network row | %s |" % " | ".join(n for n, _ in net_progs),
                "| --- | --- | --- | --- | --- |"] + net_raw + [""]
    with open(args.output, "w") as f:
        f.write("\n".join(doc))
    for procs, gm in summary:
        print("GOMAXPROCS=%d: geometric mean gocxx/Go = %s" % (procs, "%.2f" % gm if gm else "n/a"))
    print("wrote %s (%.0f s)" % (os.path.relpath(args.output, ROOT), elapsed))
    if failures:
        print("compare.py: %d run(s) failed or hung (see the table)" % failures, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
