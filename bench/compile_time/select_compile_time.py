#!/usr/bin/env python3
"""Compile-time benchmark for gocxx::select with many cases.

Writes a translation unit holding one N-case select and times `CXX -O1 -c` on
it, printing wall seconds, CPU seconds (user + sys: steadier than wall on a
shared machine) and peak RSS, from /usr/bin/time -f "%e %U %S %M".

  bench/compile_time/select_compile_time.py                 # N = 16 64 128 256
  bench/compile_time/select_compile_time.py 16 64 128 256 512 --cxx clang++
  bench/compile_time/select_compile_time.py --form same     # one callback type
  bench/compile_time/select_compile_time.py --form into     # the index form

Forms: `callback` (default) gives every case its own lambda type, the case the
issue measured; `same` shares one callback type among all cases; `into` is the
index form (into(v) targets, a switch on the returned index); `mixed` cycles
through recv(T), recv(T, bool), recv(), send and into cases, each a distinct
lambda. Not a meson test: it takes minutes on a slow machine.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE = os.path.normpath(os.path.join(HERE, '..', '..', 'include'))


def source(n, form):
    lines = ['#include <gocxx/select.hpp>', '',
             'int run(gocxx::Channel<int>* ch, long& sum) {']
    if form == 'same':
        lines.append('    auto cb = [&](int v) { sum += v; };')
    if form == 'into':
        lines.append('    int v = 0; bool ok = false;')
    lines.append('    int i = gocxx::select(')
    cases = []
    for k in range(n):
        if form == 'callback':
            cases.append(f'gocxx::case_recv(ch[{k}], [&](int v) {{ sum += v * {k + 1}; }})')
        elif form == 'same':
            cases.append(f'gocxx::case_recv(ch[{k}], cb)')
        elif form == 'into':
            cases.append(f'gocxx::case_recv(ch[{k}], gocxx::into(v{", ok" if k % 2 else ""}))')
        else:  # mixed
            m = k % 5
            if m == 0:
                cases.append(f'gocxx::case_recv(ch[{k}], [&](int v) {{ sum += v * {k + 1}; }})')
            elif m == 1:
                cases.append(f'gocxx::case_recv(ch[{k}], [&](int v, bool ok) {{ sum += ok ? v : {k}; }})')
            elif m == 2:
                cases.append(f'gocxx::case_recv(ch[{k}], [&] {{ sum += {k}; }})')
            elif m == 3:
                cases.append(f'gocxx::case_send(ch[{k}], {k}, [&] {{ sum -= {k}; }})')
            else:
                cases.append(f'gocxx::case_send(ch[{k}], {k})')
    lines.append(',\n'.join('        ' + c for c in cases) + ');')
    if form == 'into':
        lines.append('    if (i >= 0) sum += v + ok;')
    lines.append('    return i;')
    lines.append('}')
    return '\n'.join(lines) + '\n'


def measure(cxx, n, form, flags, keep, include):
    d = tempfile.mkdtemp(prefix='gocxx_ct_')
    try:
        src = os.path.join(d, f'select_{form}_{n}.cpp')
        with open(src, 'w') as f:
            f.write(source(n, form))
        timing = os.path.join(d, 'time.txt')
        cmd = ['/usr/bin/time', '-f', '%e %U %S %M', '-o', timing, *cxx, '-std=c++20', *flags,
               '-I', include, '-c', src, '-o', os.path.join(d, 'out.o')]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            sys.stderr.write(p.stdout[-4000:])
            return None
        with open(timing) as f:
            wall, usr, sys_, kb = f.read().split()[-4:]
        if keep:
            shutil.copy(src, keep)
        return float(wall), float(usr) + float(sys_), int(kb) // 1024
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('n', nargs='*', type=int, default=[16, 64, 128, 256])
    ap.add_argument('--cxx', default=os.environ.get('CXX', 'c++'), help='compiler (default $CXX or c++)')
    ap.add_argument('--form', choices=['callback', 'same', 'into', 'mixed'], default='callback')
    ap.add_argument('--flags', default='-O1', help='extra flags (default -O1)')
    ap.add_argument('--keep', metavar='DIR', help='copy the generated sources here')
    ap.add_argument('--include', default=INCLUDE,
                    help="gocxx's include directory (default: this tree's; another for a before/after)")
    a = ap.parse_args()
    cxx = a.cxx.split()
    print(f'# {" ".join(cxx)} {a.flags}, form={a.form}')
    print(f'{"cases":>6} {"wall_s":>8} {"cpu_s":>8} {"peak_MB":>8}')
    for n in a.n:
        r = measure(cxx, n, a.form, a.flags.split(), a.keep, a.include)
        if r is None:
            print(f'{n:>6}  compile failed')
            return 1
        print(f'{n:>6} {r[0]:>8.2f} {r[1]:>8.2f} {r[2]:>8}', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
