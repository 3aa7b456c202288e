#!/usr/bin/env python3
"""The reconcile job's SQLite store, end to end (the fake partner declines
every id divisible by 17, settles the rest):
  - an empty database is seeded, every result is written back, and a second
    run finds nothing left to check;
  - payments the partner turned away (503: a partner capacity below the limit)
    stay pending in the database, and the next run re-checks exactly those;
  - a run cut off by its deadline leaves the unchecked ones pending, marks
    nothing it did not check, and the next run finishes them;
  - a file that is not SQLite, and a database another process holds locked,
    give a clear message and exit status 2, and change nothing.
Each status in the file is checked with Python's sqlite3 module.

    reconcile_db.py RECONCILE_BINARY
"""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

binary = sys.argv[1]
failures = []


def run(*args, timeout=60):
    p = subprocess.run([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def check(cond, what, out=""):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
        if out:
            print(out)


def statuses(db):
    with sqlite3.connect(db) as c:
        return dict(c.execute("SELECT id, status FROM payments").fetchall())


def right_answer(pid):
    return "declined" if pid % 17 == 0 else "settled"


def payments_checked(out):
    m = re.search(r"reconcile: (\d+) payments", out)
    return int(m.group(1)) if m else -1


d = tempfile.mkdtemp(prefix="gocxx-reconcile-db-")
try:
    # 1. Seeded, all written back; the second run has nothing to do.
    db = os.path.join(d, "a.db")
    rc, out, err = run("--db", db, "--payments", "200", "--limit", "20", "--latency-ms", "5")
    s = statuses(db)
    check(rc == 0 and payments_checked(out) == 200, "first run checks the 200 seeded payments, exit 0", out + err)
    check(len(s) == 200 and all(s[i] == right_answer(i) for i in s), "every result is in the database")
    with sqlite3.connect(db) as c:
        check(c.execute("SELECT COUNT(*) FROM payments WHERE checked_at IS NULL").fetchone()[0] == 0,
              "every row has its checked_at")
    rc, out, err = run("--db", db, "--payments", "200")
    check(rc == 0 and payments_checked(out) == 0, "second run finds nothing pending, exit 0", out + err)
    check(statuses(db) == s, "second run changes nothing")

    # 2. 503s stay pending and are re-checked, and only they.
    db = os.path.join(d, "b.db")
    rc, out, err = run("--db", db, "--payments", "120", "--limit", "60", "--capacity", "10", "--latency-ms", "500")
    s = statuses(db)
    unavailable = sorted(i for i in s if s[i] == "unavailable")
    check(rc == 1 and len(unavailable) > 0, "a partner over capacity leaves 503s, exit 1", out + err)
    check(all(s[i] in ("unavailable", right_answer(i)) for i in s), "nothing is marked wrong")
    check(f"left pending in {db}: {len(unavailable)}" in out, "the summary says how many are left", out)
    rc, out, err = run("--db", db, "--limit", "10", "--latency-ms", "1")
    s2 = statuses(db)
    check(rc == 0 and payments_checked(out) == len(unavailable), "the next run re-checks exactly the 503s", out + err)
    check(all(s2[i] == right_answer(i) for i in s2), "then every payment has its answer")

    # 3. The deadline cuts the run short: unchecked ones stay pending.
    db = os.path.join(d, "c.db")
    rc, out, err = run("--db", db, "--payments", "400", "--limit", "10", "--latency-ms", "50", "--deadline-ms", "300")
    s = statuses(db)
    left = [i for i in s if s[i] == "pending"]
    check(rc == 1 and len(left) > 0, "a deadline leaves some pending, exit 1", out + err)
    check(all(s[i] in ("pending", right_answer(i)) for i in s), "only checked payments are marked")
    rc, out, err = run("--db", db, "--limit", "100", "--latency-ms", "1")
    check(rc == 0 and payments_checked(out) == len(left), "the next run checks exactly those left", out + err)
    check(all(v == right_answer(i) for i, v in statuses(db).items()), "then every payment has its answer")

    # 4. Not a database.
    bad = os.path.join(d, "notes.txt")
    text = "these are not the payments you are looking for\n" * 100
    with open(bad, "w") as f:
        f.write(text)
    rc, out, err = run("--db", bad)
    check(rc == 2 and bad in err and "file is not a database" in err, "a file that is not SQLite: exit 2 and why", err)
    check(open(bad).read() == text, "and the file is left as it was")

    # 5. Locked by another process (an exclusive transaction held open).
    db = os.path.join(d, "e.db")
    rc, out, err = run("--db", db, "--payments", "50", "--deadline-ms", "1")
    before = statuses(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        rc, out, err = run("--db", db, timeout=60)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    check(rc == 2 and "database is locked" in err, "a locked database: exit 2 and why", out + err)
    check(statuses(db) == before, "and nothing in it changed")
finally:
    shutil.rmtree(d, ignore_errors=True)

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
