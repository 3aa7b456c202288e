#!/usr/bin/env python3
"""The README's first command installs the packages .ci/run installs: the
same set, so that on a fresh Debian the README's second command runs every
test (none skipped for want of Go, x/sync or SPIN).

    packages.py SOURCE_ROOT
"""
import os
import re
import sys

root = sys.argv[1]
readme = open(os.path.join(root, "README.md")).read()
ci = open(os.path.join(root, ".ci", "run")).read()

m = re.search(r"## Quick start.*?```sh\n(.*?)\n```", readme, re.S)
cmd = m.group(1) if m else ""
m2 = re.search(r"apt-get install -y ([^&]*?)\s*&&", cmd)
readme_pkgs = set(m2.group(1).split()) if m2 else set()

m3 = re.search(r"^packages=\((.*?)\)", ci, re.S | re.M)
ci_pkgs = set(m3.group(1).split()) if m3 else set()

ok = bool(readme_pkgs) and readme_pkgs == ci_pkgs
print("README installs:", " ".join(sorted(readme_pkgs)) or "(not found)")
print(".ci/run installs:", " ".join(sorted(ci_pkgs)) or "(not found)")
if not ok:
    print("FAIL: only in the README:", sorted(readme_pkgs - ci_pkgs), "only in .ci/run:", sorted(ci_pkgs - readme_pkgs))
sys.exit(0 if ok else 1)
