#!/bin/sh
# compare.sh GO_FILE BINARY: runs the Go program and its gocxx port and fails
# (exit 1, printing a diff) when their standard outputs differ, or their exit
# statuses, or (when both fail) the first lines of their standard errors: a
# Go "fatal error: ..." must be gocxx's too. Exits 77 (Meson's "skipped") when
# Go, or a Go package the program imports, is missing, unless
# GOCXX_REQUIRE_GO=1 (CI sets it: there a missing Go is a failure).
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 GO_FILE BINARY" >&2
    exit 2
fi
go_file=$1
binary=$2

skip=77
if [ "${GOCXX_REQUIRE_GO:-0}" = 1 ]; then skip=1; fi
if ! command -v go >/dev/null 2>&1; then
    echo "SKIP: go not found in PATH"
    exit $skip
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gocxx-conformance.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# Go wants writable cache and home directories; share one build cache across
# the tests (Go's cache is safe for concurrent use).
if [ -z "${HOME:-}" ] || [ ! -w "${HOME}" ]; then export HOME="$tmp/home"; mkdir -p "$HOME"; fi
if [ -z "${GOCACHE:-}" ]; then
    export GOCACHE="${TMPDIR:-/tmp}/gocxx-conformance-gocache-$(id -u)"
fi
mkdir -p "$GOCACHE" 2>/dev/null
# Single files in GOPATH mode: no module downloads. golang.org/x/sync (for
# semaphore and errgroup) comes from Debian's golang-golang-x-sync-dev.
export GO111MODULE=off
gopath=${GOPATH:-$tmp/gopath}
if [ -d /usr/share/gocode/src ]; then gopath="$gopath:/usr/share/gocode"; fi
export GOPATH="$gopath"
export GOFLAGS=

go run "$go_file" >"$tmp/go.out" 2>"$tmp/go.err"
go_rc=$?
if [ $go_rc -ne 0 ]; then
    if grep -q 'cannot find package' "$tmp/go.err"; then
        echo "SKIP: a Go package is missing (install golang-golang-x-sync-dev):"
        cat "$tmp/go.err"
        exit $skip
    fi
    # `go run` reports a program's non-zero exit as "exit status N" and
    # itself exits 1: run the built binary instead to see the real status.
    go build -o "$tmp/go.bin" "$go_file" 2>"$tmp/go.build" || {
        echo "FAIL: go build $go_file"
        cat "$tmp/go.build"
        exit 1
    }
    "$tmp/go.bin" >"$tmp/go.out" 2>"$tmp/go.err"
    go_rc=$?
fi

"$binary" >"$tmp/cxx.out" 2>"$tmp/cxx.err"
cxx_rc=$?
if [ $cxx_rc -ne $go_rc ]; then
    echo "FAIL: go exited with $go_rc, $binary with $cxx_rc"
    echo "--- go stderr:"
    cat "$tmp/go.err"
    echo "--- gocxx stderr:"
    cat "$tmp/cxx.err"
    echo "--- gocxx stdout:"
    cat "$tmp/cxx.out"
    exit 1
fi
if [ $go_rc -ne 0 ] && [ "$(head -n 1 "$tmp/go.err")" != "$(head -n 1 "$tmp/cxx.err")" ]; then
    echo "FAIL: first lines of stderr differ"
    echo "go:    $(head -n 1 "$tmp/go.err")"
    echo "gocxx: $(head -n 1 "$tmp/cxx.err")"
    exit 1
fi

if ! diff -u --label "go: $go_file" --label "gocxx: $binary" "$tmp/go.out" "$tmp/cxx.out"; then
    echo "FAIL: outputs differ"
    exit 1
fi
echo "OK: $(wc -l <"$tmp/go.out") identical lines"
exit 0
