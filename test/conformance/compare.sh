#!/bin/sh
# compare.sh GO_FILE BINARY: runs the Go program and its gocxx port and fails
# (exit 1, printing a diff) when their standard outputs differ. Exits 77
# (Meson's "skipped") when Go, or a Go package the program imports, is missing.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 GO_FILE BINARY" >&2
    exit 2
fi
go_file=$1
binary=$2

if ! command -v go >/dev/null 2>&1; then
    echo "SKIP: go not found in PATH"
    exit 77
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
        exit 77
    fi
    echo "FAIL: go run $go_file exited with $go_rc"
    cat "$tmp/go.err"
    exit 1
fi

"$binary" >"$tmp/cxx.out" 2>"$tmp/cxx.err"
cxx_rc=$?
if [ $cxx_rc -ne 0 ]; then
    echo "FAIL: $binary exited with $cxx_rc"
    cat "$tmp/cxx.err"
    echo "--- its stdout:"
    cat "$tmp/cxx.out"
    exit 1
fi

if ! diff -u --label "go: $go_file" --label "gocxx: $binary" "$tmp/go.out" "$tmp/cxx.out"; then
    echo "FAIL: outputs differ"
    exit 1
fi
echo "OK: $(wc -l <"$tmp/go.out") identical lines"
exit 0
