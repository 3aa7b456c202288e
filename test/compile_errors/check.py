#!/usr/bin/env python3
"""Compile-fail harness: compiles one snippet and checks what the compiler says.

  check.py SNIPPET INCLUDE_DIR CXX [CXX_ARGS...]

The snippet's leading comment says what to expect:

  // expect: TEXT          the first error line contains TEXT (several lines: all)
  // expect-gcc: TEXT      the same, only under g++ (expect-clang: only clang)
  // expect: compiles      the snippet must compile (a positive case)

"The first error line" is the first line of the compiler's output with
"error:" in it (g++ and clang both print notes such as "In instantiation of"
before it). Compiled with -fsyntax-only, in the C locale (plain quotes).
"""
import os
import re
import subprocess
import sys


def main():
    if len(sys.argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    snippet, include, cxx = sys.argv[1], sys.argv[2], sys.argv[3:]
    version = subprocess.run(cxx + ['--version'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True).stdout
    family = 'clang' if 'clang' in version.lower() else 'gcc'

    expects = []
    with open(snippet) as f:
        for line in f:
            m = re.match(r'\s*//\s*expect(?:-(gcc|clang))?:\s*(.*?)\s*$', line)
            if m:
                if m.group(1) in (None, family):
                    expects.append(m.group(2))
            elif line.strip() and not line.lstrip().startswith('//'):
                break
    if not expects:
        print(f'{snippet}: no "// expect:" line for {family}')
        return 2

    env = dict(os.environ, LC_ALL='C', LANG='C')
    cmd = cxx + ['-std=c++20', '-fsyntax-only', '-fno-diagnostics-color', '-I', include, snippet]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    out = p.stdout
    print('$ ' + ' '.join(cmd))

    if expects == ['compiles']:
        if p.returncode != 0:
            print(out)
            print(f'FAIL: {snippet} should compile')
            return 1
        print(f'ok: {snippet} compiles')
        return 0

    if p.returncode == 0:
        print(out)
        print(f'FAIL: {snippet} compiled; it must not')
        return 1
    first = next((l for l in out.splitlines() if 'error:' in l), None)
    if first is None:
        print(out)
        print('FAIL: the compiler failed without an "error:" line')
        return 1
    print('first error line: ' + first)
    missing = [e for e in expects if e not in first]
    if missing:
        print(out[:6000])
        for e in missing:
            print(f'FAIL: the first error line lacks: {e}')
        return 1
    print(f'ok: {snippet}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
