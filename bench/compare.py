#!/usr/bin/env python3
"""Side-by-side benchmark: gocxx vs Go vs Boost.Fiber, the same workloads.

    python3 bench/compare.py [--runs 5] [--procs 1,2] [--only REGEX]

Builds a release build dir `build-compare` (meson + ninja, the two bench
programs only) and `build-compare/gobench` (go build bench/go/main.go), then
for each GOMAXPROCS value and each workload runs gocxx, Go and Boost.Fiber
interleaved (A B C A B C ...) --runs times, each run a separate process with
GOMAXPROCS set in its environment, and prints one table per GOMAXPROCS value
(medians; lower is better for every unit, so a gocxx/X ratio > 1 means gocxx
is slower or bigger). Writes bench/RESULTS.md.

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
import shlex
import statistics
import subprocess
import sys
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
        subprocess.run(["meson", "setup", BUILD, "--buildtype=release", "-Dtests=false"],
                       cwd=ROOT, check=True)
    targets = ["bench/gocxx_workloads"]
    if "bench/fiber_workloads:" in sh(["ninja", "-C", BUILD, "-t", "targets", "all"]):
        targets.append("bench/fiber_workloads")
    else:
        print("compare.py: Boost.Fiber not found by meson: its column is n/a", file=sys.stderr)
    subprocess.run(["ninja", "-C", BUILD, "-j", str(jobs)] + targets, cwd=ROOT, check=True)
    if not env.get("HOME"):
        env["GOCACHE"] = os.path.join(BUILD, "gocache")
    env.setdefault("GO111MODULE", "off")
    subprocess.run(["go", "build", "-o", os.path.join(BUILD, "gobench"), "bench/go/main.go"],
                   cwd=ROOT, env=env, check=True)


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


def table(procs, rows):
    """Markdown table for one GOMAXPROCS value; returns (text, geomean)."""
    out = ["### GOMAXPROCS=%d" % procs, "",
           "| workload | unit | gocxx | Go | Boost.Fiber | gocxx/Go | gocxx/Fiber |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    go_ratios = []
    for name, unit, med, errs in rows:
        g, o, f = med["gocxx"], med["Go"], med["Boost.Fiber"]
        rg = g / o if g is not None and o else None
        rf = g / f if g is not None and f else None
        if rg is not None:
            go_ratios.append(rg)
        cells = []
        for impl in ("gocxx", "Go", "Boost.Fiber"):
            c = fmt(med[impl])
            if errs[impl]:
                c += " (%s)" % errs[impl] if med[impl] is None else " (%d failed)" % len(errs[impl])
            cells.append(c)
        out.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            name, unit or "", cells[0], cells[1], cells[2], ratio_cell(rg), ratio_cell(rf)))
    gm = geomean(go_ratios)
    out.append("")
    out.append("Geometric mean of gocxx/Go over %d workloads: %s" % (
        len(go_ratios), ratio_cell(gm) if gm is not None else "n/a"))
    out.append("")
    return "\n".join(out), gm


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
    args = ap.parse_args()
    procs_list = [int(p) for p in args.procs.split(",") if p.strip()]
    workloads = [w for w in WORKLOADS if args.only is None or re.search(args.only, w)]
    if not workloads:
        sys.exit("compare.py: no workload matches --only %r; workloads: %s" % (args.only, " ".join(WORKLOADS)))

    started = time.time()
    load_before = os.getloadavg()[0]
    if not args.no_build:
        build(args.jobs)
    progs = [(name, os.path.join(BUILD, rel)) for name, rel in IMPLS]

    sections, summary, raw = [], [], []
    failures = 0
    for procs in procs_list:
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

    elapsed = time.time() - started
    cmdline = "python3 bench/compare.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    doc = ["# gocxx vs Go vs Boost.Fiber", "",
           "Generated by `%s` (bench/compare.py) on %s; took %.0f s." % (
               cmdline.strip(), datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"), elapsed),
           "",
           "Medians of %d runs (one process each, the three implementations interleaved), "
           "GOMAXPROCS set in each process's environment. Lower is better for every unit; "
           "a ratio > 1.0 (bold) means gocxx is slower or uses more memory." % args.runs,
           "", "## Machine", ""]
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
            "## Raw runs", "",
            "| GOMAXPROCS | workload | %s |" % " | ".join(n for n, _ in progs),
            "| --- | --- | --- | --- | --- |"] + raw + [""]
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
