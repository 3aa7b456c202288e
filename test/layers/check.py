#!/usr/bin/env python3
"""The layers hold: a source folder of src/ includes (with #include "dir/...")
only folders to its left in the order below, or itself. The same order is
stated in docs/runtime.md ("Layout") and docs/design.md ("Layers"); this check
fails on an include that runs rightward-to-leftward the wrong way, and on a
src/ folder missing from the order. Folders in one set ({sync, time, context})
may include one another."""
import os
import re
import sys

ORDER = [
    {"base"},                     # the lock, the futex, the sanitizer macros, fork
    {"fiber"},                    # stacks and the context switch
    {"sched"},                    # workers, queues, timers, the netpoller
    {"park"},                     # the waiter; diagnostics (sees G records and waiting threads)
    {"chan"},
    {"select"},
    {"sync", "time", "context"},
    {"errgroup"},
    {"errors"},                   # a value type: includes nothing of src/
    {"io"},
    {"net"},
    {"tls"},
    {"http"},
]
# errors is a value type: every layer may use it through its public header,
# but src/errors itself must include nothing of the runtime.
rank = {d: i for i, layer in enumerate(ORDER) for d in layer}

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
src = os.path.join(root, "src")
inc = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"', re.M)
bad = []
folders = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
for d in folders:
    if d not in rank:
        bad.append(f"src/{d}/ is not in the layer order (test/layers/check.py)")
        continue
    for name in sorted(os.listdir(os.path.join(src, d))):
        path = os.path.join(src, d, name)
        if not os.path.isfile(path):
            continue
        text = open(path, encoding="utf-8", errors="replace").read()
        for m in inc.finditer(text):
            to = m.group(1)
            line = text.count("\n", 0, m.start()) + 1
            if to not in rank:
                bad.append(f"src/{d}/{name}:{line}: includes {to}/, which is no layer")
            elif rank[to] > rank[d]:
                bad.append(f"src/{d}/{name}:{line}: {d} includes {to}/ (to its right: "
                           f"{' -> '.join('{' + ', '.join(sorted(s)) + '}' if len(s) > 1 else next(iter(s)) for s in ORDER)})")
for b in bad:
    print("FAIL:", b)
print(f"{len(folders)} folders, {len(bad)} includes against the layer order")
sys.exit(1 if bad else 0)
