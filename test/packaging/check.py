#!/usr/bin/env python3
"""How a C++ project picks gocxx up, checked end to end (test suite
'packaging'):

1. As a Meson subproject: a consumer project with subprojects/gocxx (a link to
   this checkout) configures, `dependency('gocxx')` resolves through
   override_dependency, and the only gocxx targets are the library's (no
   tests, benchmarks or examples: they are `auto` features, off in a
   subproject).
2. Installed (this build, `meson install --destdir` into a scratch prefix):
   - pkg-config: gocxx.pc holds no -std flag and no absolute path to a
     library; a program compiled with -std=c++23 against it links and runs;
   - CMake: find_package(gocxx CONFIG) and gocxx::gocxx in a C++23 project;
   - the shared library's SONAME is versioned (libgocxx.so.0).

    check.py SOURCE_ROOT BUILD_ROOT shared|static
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

src, build, kind = sys.argv[1], sys.argv[2], sys.argv[3]
here = os.path.join(src, "test", "packaging")
failures = []


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError("%s failed (%d):\n%s%s" % (" ".join(cmd), p.returncode, p.stdout[-3000:], p.stderr[-3000:]))
    return p.stdout


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def app_runs(exe, env=None):
    out = run([exe], env=env)
    check(out.strip() == "sum 5050", "%s prints sum 5050 (got %r)" % (os.path.basename(os.path.dirname(exe)) or exe, out.strip()))


tmp = tempfile.mkdtemp(prefix="gocxx-packaging-")
try:
    # 1. Subproject.
    proj = os.path.join(tmp, "consumer")
    shutil.copytree(os.path.join(here, "subproject"), proj)
    shutil.copy(os.path.join(here, "app.cpp"), tmp)
    os.makedirs(os.path.join(proj, "subprojects"))
    os.symlink(os.path.abspath(src), os.path.join(proj, "subprojects", "gocxx"))
    sub_build = os.path.join(tmp, "consumer-build")
    run(["meson", "setup", sub_build, proj])
    targets = run(["ninja", "-C", sub_build, "-t", "targets", "all"])
    outputs = [l.split(":")[0] for l in targets.splitlines() if l.startswith("subprojects/gocxx")]
    extra = [t for t in outputs if re.match(r"subprojects/gocxx[^/]*/(test|bench|examples)/", t)]
    check(not extra, "as a subproject only the library is built (extra targets: %s)" % extra[:5])
    check(any("libgocxx" in t for t in outputs), "as a subproject the library is a target")

    # 2. Installed.
    dest = os.path.join(tmp, "dest")
    run(["meson", "install", "-C", build, "--destdir", dest, "--no-rebuild", "--quiet"])
    pcs = glob.glob(os.path.join(dest, "**", "gocxx.pc"), recursive=True)
    check(len(pcs) == 1, "gocxx.pc installed once (%d)" % len(pcs))
    if pcs:
        pc = open(pcs[0]).read()
        check("-std=" not in pc, "gocxx.pc forces no -std (consumers choose C++20 or later)")
        check(not re.search(r"\s/\S+\.(so|a)\b", pc), "gocxx.pc names libraries, not paths: %s" % [l for l in pc.splitlines() if l.startswith("Libs")])
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pcs[0]), PKG_CONFIG_SYSROOT_DIR=dest)
        flags = run(["pkg-config", "--cflags", "--libs"] + (["--static"] if kind == "static" else []) + ["gocxx"], env=env).split()
        exe = os.path.join(tmp, "pc-app", "app")
        os.makedirs(os.path.dirname(exe))
        run([os.environ.get("CXX", "c++"), "-std=c++23", os.path.join(here, "app.cpp"), "-o", exe] + flags)
        libdir = [f[2:] for f in flags if f.startswith("-L")]
        app_runs(exe, env=dict(os.environ, LD_LIBRARY_PATH=":".join(libdir)))
    cfgs = glob.glob(os.path.join(dest, "**", "gocxxConfig.cmake"), recursive=True)
    check(len(cfgs) == 1, "gocxxConfig.cmake installed once (%d)" % len(cfgs))
    check(bool(glob.glob(os.path.join(dest, "**", "gocxxConfigVersion.cmake"), recursive=True)), "gocxxConfigVersion.cmake installed")
    if kind == "shared":
        sos = glob.glob(os.path.join(dest, "**", "libgocxx.so.*"), recursive=True)
        soname = ""
        if sos:
            soname = re.search(r"SONAME\s+(\S+)", run(["objdump", "-p", sos[0]]) or "")
            soname = soname.group(1) if soname else ""
        check(soname == "libgocxx.so.0", "SONAME libgocxx.so.0 (got %r)" % soname)
    if cfgs and shutil.which("cmake"):
        cproj = os.path.join(tmp, "cmake")
        shutil.copytree(os.path.join(here, "cmake"), cproj)
        cbuild = os.path.join(tmp, "cmake-build")
        run(["cmake", "-S", cproj, "-B", cbuild, "-Dgocxx_DIR=" + os.path.dirname(cfgs[0]), "-DCMAKE_BUILD_TYPE=Release"])
        run(["cmake", "--build", cbuild])
        libdir = os.path.dirname(glob.glob(os.path.join(dest, "**", "libgocxx.*"), recursive=True)[0])
        app_runs(os.path.join(cbuild, "app"), env=dict(os.environ, LD_LIBRARY_PATH=libdir))
    elif cfgs:
        check(False, "cmake is installed (the CMake consumer needs it)")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

sys.exit(1 if failures else 0)
