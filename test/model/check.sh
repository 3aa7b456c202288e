#!/usr/bin/env bash
# Model-checks a SPIN model exhaustively; see src/park/park.pml and
# src/select/select.pml for what the models describe.
#
# usage: check.sh MODEL.pml [-c DEFS]... [-m DEFS]...
#   -c DEFS  a configuration (spin/cpp defines, e.g. "-DSCEN=2 -DCAPA=1").
#            Each one must verify with "errors: 0" over the full state space.
#            Without -c, the model is checked once with no defines.
#   -m DEFS  a mutant (e.g. "-DBUG_NO_CAS"): DEFS are added to each
#            configuration in turn; SPIN must report errors in at least one,
#            else the check has lost its teeth and this script fails.
# Environment: PAN_CFLAGS (default -O2), PAN_DEPTH (default 100000),
#              PAN_MEMLIM in MB (default 3072).
# Exit status: 0 all as expected, 1 a failure, 77 spin or a C compiler is
# missing (meson: skipped).
set -u

skip=77  # Meson's "skipped"; CI sets GOCXX_REQUIRE_SPIN=1, where missing is a failure
if [ "${GOCXX_REQUIRE_SPIN:-0}" = 1 ]; then skip=1; fi
spin=$(command -v spin) || { echo "spin not found: skipping"; exit $skip; }
cc=$(command -v "${CC:-gcc}" || command -v cc) || { echo "no C compiler: skipping"; exit $skip; }

[ $# -ge 1 ] || { echo "usage: $0 MODEL.pml [-c DEFS]... [-m DEFS]..." >&2; exit 2; }
model=$(readlink -f "$1") || exit 2
[ -f "$model" ] || { echo "no such model: $1" >&2; exit 2; }
shift
configs=()
mutants=()
while [ $# -gt 0 ]; do
    case "$1" in
        -c) configs+=("$2"); shift 2 ;;
        -m) mutants+=("$2"); shift 2 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[ ${#configs[@]} -gt 0 ] || configs=("")

cflags=${PAN_CFLAGS:--O2}
depth=${PAN_DEPTH:-100000}
memlim=${PAN_MEMLIM:-3072}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gocxx-model.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# run DEFS -> leaves pan's report in $tmp/out; returns 1 if it did not run
run() {
    local defs=$1
    rm -rf "$tmp/w" && mkdir "$tmp/w" && cp "$model" "$tmp/w/model.pml" || return 1
    # shellcheck disable=SC2086
    (cd "$tmp/w" && "$spin" -a $defs model.pml >spin.log 2>&1) || { cat "$tmp/w/spin.log"; return 1; }
    (cd "$tmp/w" && "$cc" $cflags -w -DSAFETY -DMEMLIM="$memlim" -o pan pan.c) || return 1
    (cd "$tmp/w" && ./pan -m"$depth" >"$tmp/out" 2>&1)
    return 0
}

errors() { sed -n 's/.*errors: \([0-9][0-9]*\).*/\1/p' "$tmp/out" | head -n 1; }

summary() {
    grep -E "depth reached|states, stored|states, matched|total actual memory|elapsed time" "$tmp/out" |
        sed 's/^[[:space:]]*/    /'
}

trail() {
    # shellcheck disable=SC2086
    (cd "$tmp/w" && [ -f model.pml.trail ] && "$spin" -t -p $1 model.pml 2>&1 | grep -v "^[[:space:]]*$" | tail -n 80)
}

status=0
name=$(basename "$model")
for c in "${configs[@]}"; do
    echo "== $name ${c:-(no defines)}"
    if ! run "$c"; then echo "FAIL: could not build/run the model"; status=1; continue; fi
    summary
    e=$(errors)
    if [ "$e" != "0" ]; then
        echo "FAIL: SPIN reports errors: ${e:-?}"
        grep -E "^pan:" "$tmp/out"
        echo "-- counterexample (tail of the trail):"
        trail "$c"
        status=1
    elif grep -qE "max search depth too small|reached -DMEMLIM|Search not completed" "$tmp/out" ||
         ! grep -q "Full statespace search" "$tmp/out"; then
        echo "FAIL: the search was not exhaustive"
        grep -E "^pan|error" "$tmp/out"
        status=1
    else
        echo "    OK: errors: 0 (exhaustive)"
    fi
done

for m in "${mutants[@]}"; do
    caught=0
    for c in "${configs[@]}"; do
        run "$c $m" || { echo "FAIL: could not build/run mutant $m"; status=1; caught=1; break; }
        e=$(errors)
        if [ -n "$e" ] && [ "$e" != "0" ]; then
            caught=1
            echo "== mutant $m ${c:+($c) }caught: $(grep -m1 -E '^pan:1:' "$tmp/out")"
            break
        fi
    done
    if [ "$caught" = 0 ]; then
        echo "FAIL: mutant $m was not caught: the model no longer detects this bug"
        status=1
    fi
done

exit $status
