#!/usr/bin/env bash
# The proof suite: the differential tester against glibc, the stress and
# fault tests. Each program is built with -O2 -Wall -Wextra -Werror, linked
# dynamically against libsched_clone with an rpath, and proves that it calls
# our clone (assert_clone_is_ours()).
#
#   c-tests/proof/run.sh            bounded default (make test-proof; a few minutes at most)
#   c-tests/proof/run.sh --long     full-size runs (make proof-long)
#   c-tests/proof/run.sh [--long] NAME...   only those (differential,
#                                   differential-mutants, clone3_differential,
#                                   clone3-differential-mutants,
#                                   i686-clone3_differential,
#                                   i686-differential, threads_10k,
#                                   leak_check, signal_storm, fault_children,
#                                   guard_page)
#
# Sizes (default / --long), each overridable from the environment:
#   PROOF_DIFF_CASES        differential cases          20000 / 200000
#   PROOF_CLONE3_CASES      clone3 differential cases   20000 / 1000000
#   PROOF_I686_CASES        the clone3 differential as an i686 program
#                           (fully static, the i686 staticlib that
#                           c-tests/cross.sh builds; run natively: the
#                           x86_64 kernel runs i686 programs)   2000 / 50000
#                           and the clone differential as an i686 program
#                           (the same number of cases)
#   PROOF_THREADS           children alive at once       1000 / 10000
#   PROOF_LEAK_ITERATIONS   sequential clone+join       50000 / 1000000
#   PROOF_STORM_ITERATIONS  clones under the signal storm 20000 / 500000
#   PROOF_SEED              seed for every program (default: each picks one
#                           from the clock and prints it)
#   PROOF_TIMEOUT           seconds per program          600 / 7200
# SCHED_CLONE_OUT: the built library (default: target/capi under the
# repository; `make` exports it). CC: the compiler (default cc).
#
# differential-mutants runs the differential tester with deliberately wrong
# wrappers standing in for ours; it passes when the tester catches each.
# clone3-differential-mutants does the same for the clone3 differential
# (raw clone3 vs sched_clone3 vs its fallback under seccomp).
# Exit status 77 from a program is a skip (it prints the reason).
# Last line: proof: N passed, N failed, N skipped. Exit 1 if any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${SCHED_CLONE_OUT:-$root/target/capi}
lib=$out/lib
build=$out/proof
CC=${CC:-cc}
CFLAGS="-O2 -Wall -Wextra -Werror"

long=0
names=()
for a in "$@"; do
    case $a in
    --long) long=1 ;;
    -*) echo "usage: $0 [--long] [NAME...]" >&2; exit 2 ;;
    *) names+=("$a") ;;
    esac
done
if [ $long = 1 ]; then
    diff_cases=${PROOF_DIFF_CASES:-200000}; threads=${PROOF_THREADS:-10000}
    clone3_cases=${PROOF_CLONE3_CASES:-1000000}; i686_cases=${PROOF_I686_CASES:-50000}
    leak=${PROOF_LEAK_ITERATIONS:-1000000}; storm=${PROOF_STORM_ITERATIONS:-500000}
    timeout_s=${PROOF_TIMEOUT:-7200}
else
    diff_cases=${PROOF_DIFF_CASES:-20000}; threads=${PROOF_THREADS:-1000}
    clone3_cases=${PROOF_CLONE3_CASES:-20000}; i686_cases=${PROOF_I686_CASES:-2000}
    leak=${PROOF_LEAK_ITERATIONS:-50000}; storm=${PROOF_STORM_ITERATIONS:-20000}
    timeout_s=${PROOF_TIMEOUT:-600}
fi
seed=()
[ -n "${PROOF_SEED:-}" ] && seed=(--seed "$PROOF_SEED")

[ -f "$lib/libsched_clone.so" ] || { echo "proof: no $lib/libsched_clone.so; run 'make' first" >&2; exit 2; }
if [ "$(uname -m)" != x86_64 ]; then
    echo "proof: the differential tester and the stack measurements are written for x86_64 (this is $(uname -m))"
    echo "proof: 0 passed, 0 failed, 1 skipped"
    exit 0
fi
mkdir -p "$build"

pass=0; fail=0; skip=0; failures=()
programs=(differential clone3_differential threads_10k leak_check signal_storm fault_children guard_page)

# Build everything first.
for p in "${programs[@]}"; do
    if ! $CC $CFLAGS -DSCHED_CLONE_MODE_DYNAMIC -I"$root/include" -o "$build/$p" "$here/$p.c" \
        -L"$lib" -lsched_clone -Wl,-rpath,"$lib" -ldl -lpthread >"$build/$p.build.log" 2>&1; then
        echo "  FAIL  $p (does not build)"; sed 's/^/        | /' "$build/$p.build.log" | head -n 30
        fail=$((fail + 1)); failures+=("$p (build)")
    fi
done

selected() { [ ${#names[@]} -eq 0 ] && return 0; local n; for n in "${names[@]}"; do [ "$n" = "$1" ] && return 0; done; return 1; }

run() { # name, then the command
    local name=$1; shift
    selected "$name" || return 0
    local log=$build/$name.log t0 t1 rc
    t0=$(date +%s.%N)
    if declare -F "$1" >/dev/null; then
        (cd "$build" && "$@") >"$log" 2>&1
    else
        [ -x "$1" ] || return 0 # did not build: already counted
        (cd "$build" && timeout -k 10 "$timeout_s" "$@") >"$log" 2>&1
    fi
    rc=$?
    t1=$(date +%s.%N)
    local secs; secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    if [ $rc -eq 0 ]; then
        pass=$((pass + 1)); echo "  PASS  $name (${secs} s)"
    elif [ $rc -eq 77 ]; then
        skip=$((skip + 1)); echo "  SKIP  $name ($(grep -m1 '^SKIP:' "$log" | cut -c7-))"
    else
        fail=$((fail + 1)); failures+=("$name")
        [ $rc -eq 124 ] && echo "  FAIL  $name (timed out after ${timeout_s} s)" || echo "  FAIL  $name (exit $rc, ${secs} s)"
    fi
    sed 's/^/        | /' "$log" | tail -n 40
}

# Every mutant must be caught: the tester must exit 1 and print a DIFFERENCE.
mutants() {
    local m rc
    [ -x "$build/differential" ] || return 1
    for m in 1 2 3; do
        timeout -k 10 "$timeout_s" "$build/differential" --cases 2000 --mutant "$m" --max-fail 1 --jobs 1 \
            "${seed[@]+"${seed[@]}"}" >"$build/mutant-$m.log" 2>&1
        rc=$?
        if [ $rc -eq 1 ] && grep -q '^DIFFERENCE' "$build/mutant-$m.log"; then
            echo "mutant $m: caught: $(grep -m1 -A1 '^DIFFERENCE' "$build/mutant-$m.log" | tr '\n' ' ' | cut -c1-160)"
        else
            echo "mutant $m: NOT caught (exit $rc)"; return 1
        fi
    done
}
# The i686 staticlib, built with c-tests/lib.sh's recipe (reused if
# c-tests/cross.sh built it); prints its path. Call it after sourcing lib.sh.
i686_staticlib() {
    local tbase=${CARGO_TARGET_DIR:-$root/target}
    case $tbase in /*) ;; *) tbase=$root/$tbase ;; esac
    tdir=$tbase/cross
    build_staticlib i686 "$build/i686-cargo.log" || { tail -n 20 "$build/i686-cargo.log" >&2; return 1; }
    echo "$tdir/${rust_target[i686]}/release/libsched_clone.a"
}

# The clone3 differential as an i686 program, fully static.
i686_clone3_differential() {
    (
        . "$root/c-tests/lib.sh"
        if ! command -v i686-linux-gnu-gcc >/dev/null; then
            echo "SKIP: no i686-linux-gnu-gcc (c-tests/cross.sh installs it)"; exit 77
        fi
        a=$(i686_staticlib) || exit 1
        i686-linux-gnu-gcc $CFLAGS -static -DSCHED_CLONE_MODE_FULLY_STATIC -I"$root/include" \
            -o "$build/clone3_differential.i686" "$here/clone3_differential.c" "$a" || exit 1
        timeout -k 10 "$timeout_s" "$build/clone3_differential.i686" --cases "$i686_cases" "${seed[@]+"${seed[@]}"}"
    )
}

# The clone differential as an i686 program: the i686 staticlib in a
# dynamic program, against the cross sysroot's i686 glibc (its loader and
# libc.so.6, named in the program), run natively.
i686_differential() {
    (
        . "$root/c-tests/lib.sh"
        sys=/usr/i686-linux-gnu/lib
        if ! command -v i686-linux-gnu-gcc >/dev/null || [ ! -e $sys/ld-linux.so.2 ]; then
            echo "SKIP: no i686-linux-gnu-gcc or $sys/ld-linux.so.2 (c-tests/cross.sh installs them)"; exit 77
        fi
        a=$(i686_staticlib) || exit 1
        i686-linux-gnu-gcc $CFLAGS -DSCHED_CLONE_MODE_STATIC -I"$root/include" \
            -Wl,--dynamic-linker=$sys/ld-linux.so.2 -Wl,-rpath,$sys \
            -o "$build/differential.i686" "$here/differential.c" "$a" -ldl || exit 1
        timeout -k 10 "$timeout_s" "$build/differential.i686" --cases "$i686_cases" "${seed[@]+"${seed[@]}"}"
    )
}

# The same for the clone3 differential: each of its mutants must be caught.
clone3_mutants() {
    local m rc
    [ -x "$build/clone3_differential" ] || return 1
    for m in 1 2 3 4 5; do
        timeout -k 10 "$timeout_s" "$build/clone3_differential" --cases 3000 --mutant "$m" --max-fail 1 \
            "${seed[@]+"${seed[@]}"}" >"$build/clone3-mutant-$m.log" 2>&1
        rc=$?
        if [ $rc -eq 1 ] && grep -q '^DIFFERENCE' "$build/clone3-mutant-$m.log"; then
            echo "mutant $m: caught: $(grep -m1 '^DIFFERENCE' "$build/clone3-mutant-$m.log" | cut -c1-150)"
        elif [ $rc -eq 77 ]; then
            grep -m1 '^SKIP:' "$build/clone3-mutant-$m.log"; return 77
        else
            echo "mutant $m: NOT caught (exit $rc)"; return 1
        fi
    done
}
echo "proof: $([ $long = 1 ] && echo long || echo default) mode; library $lib"
S=("${seed[@]+"${seed[@]}"}")
run differential "$build/differential" --cases "$diff_cases" "${S[@]+"${S[@]}"}"
run differential-mutants mutants
run clone3_differential "$build/clone3_differential" --cases "$clone3_cases" "${S[@]+"${S[@]}"}"
run clone3-differential-mutants clone3_mutants
run i686-clone3_differential i686_clone3_differential
run i686-differential i686_differential
run threads_10k "$build/threads_10k" --count "$threads" "${S[@]+"${S[@]}"}"
run leak_check "$build/leak_check" --iterations "$leak" "${S[@]+"${S[@]}"}"
run signal_storm "$build/signal_storm" --iterations "$storm" "${S[@]+"${S[@]}"}"
run fault_children "$build/fault_children" "${S[@]+"${S[@]}"}"
run guard_page "$build/guard_page" "${S[@]+"${S[@]}"}"

for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
echo "proof: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
