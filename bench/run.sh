#!/usr/bin/env bash
# The benchmark and the wrapper's static figures (x86_64). Not a test: it
# measures and prints, and fails only if something cannot be built or run.
#
#   bench/run.sh            (or: make bench)
#
# Environment: SCHED_CLONE_OUT (default: target/capi under the repository;
# `make` exports it), CC, BENCH_ROUNDS (default 7), BENCH_SCALE (default 1:
# multiplies every iteration count).
#
# Prints:
#  1. clone_bench's table: ns per clone+join for glibc's clone and ours,
#     interleaved in one process, median and min..max over the rounds, and
#     the ratio ours/glibc per mode (see bench/clone_bench.c).
#  2. The instructions each wrapper executes in the caller, from its first
#     instruction to the `ret` back to the caller (the `syscall` counts as
#     one), counted by single-stepping one real call under gdb
#     (bench/icount.py with bench/icount_driver.c), per mode (null-fn-first:
#     a process's first NULL-fn call, which teaches ours errno's offset from
#     the thread pointer; every other row is after one such call), with the
#     executed instructions listed for the fork-like call and the NULL-fn
#     error. The host has no usable PMU (perf reports instructions as not
#     supported), so single-stepping is the exact count here.
#  3. The size of libsched_clone.so, unstripped and stripped (strip --strip-all
#     on a copy), and the code size of the functions on the clone path.
#  4. The bytes of child stack the wrapper uses, as measured by
#     c-tests/proof/guard_page.c.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${SCHED_CLONE_OUT:-$root/target/capi}
lib=$out/lib
build=$out/bench
CC=${CC:-cc}
rounds=${BENCH_ROUNDS:-7}
scale=${BENCH_SCALE:-1}

[ -f "$lib/libsched_clone.so" ] || { echo "bench: no $lib/libsched_clone.so; run 'make' first" >&2; exit 2; }
[ "$(uname -m)" = x86_64 ] || { echo "bench: written for x86_64 (this is $(uname -m))" >&2; exit 2; }
mkdir -p "$build"
link=(-L"$lib" -lsched_clone -Wl,-rpath,"$lib" -ldl)
$CC -O2 -Wall -Wextra -Werror -o "$build/clone_bench" "$here/clone_bench.c" "${link[@]}" || exit 2
$CC -O2 -g -Wall -Wextra -Werror -o "$build/icount_driver" "$here/icount_driver.c" "${link[@]}" || exit 2
$CC -O2 -Wall -Wextra -Werror -DSCHED_CLONE_MODE_DYNAMIC -I"$root/include" \
    -o "$build/guard_page" "$root/c-tests/proof/guard_page.c" "${link[@]}" || exit 2

echo "== 1. ns per clone+join, glibc vs ours (same process, interleaved)"
echo "   $(nproc) CPUs, kernel $(uname -r), $(ldd --version | head -n 1)"
"$build/clone_bench" --rounds "$rounds" --scale "$scale" || exit 1

echo
echo "== 2. instructions executed in the caller, wrapper entry to ret (gdb single-step)"
if command -v gdb >/dev/null 2>&1; then
    printf '   %-12s %6s %6s\n' mode glibc ours
    for mode in fork vfork thread null-fn null-fn-first; do
        for impl in glibc ours; do
            timeout 120 gdb -q -batch -x "$here/icount.py" --args "$build/icount_driver" "$impl" "$mode" \
                >"$build/icount-$impl-$mode.log" 2>&1
        done
        g=$(sed -n 's/^icount: //p' "$build/icount-glibc-$mode.log")
        o=$(sed -n 's/^icount: //p' "$build/icount-ours-$mode.log")
        printf '   %-12s %6s %6s\n' "$mode" "${g:-?}" "${o:-?}"
    done
    for mode in fork null-fn; do
        for impl in glibc ours; do
            echo "   -- $impl, $mode: executed instructions"
            sed -n 's/^icount-insn: /      /p' "$build/icount-$impl-$mode.log" |
                sed -E 's/<_ZN11sched_clone[0-9]+[a-z_]+[0-9]+([a-z_0-9]+)17h[0-9a-f]+E/<\1/g'
        done
    done
else
    echo "   gdb not found: skipped"
fi

echo
echo "== 3. size"
so=$(readlink -f "$lib/libsched_clone.so")
tmp=$(mktemp -d)
cp "$so" "$tmp/lib.so"
strip --strip-all "$tmp/lib.so"
echo "   $(basename "$so"): $(stat -c %s "$so") bytes, stripped (--strip-all): $(stat -c %s "$tmp/lib.so") bytes"
size_of() { # object, symbol regex -> size in bytes (from nm -S)
    local hex
    hex=$(nm -S --defined-only "$1" 2>/dev/null | awk -v pat="$2" '$4 ~ pat { print $2; exit }')
    [ -n "$hex" ] && echo $((16#$hex))
}
c=$(size_of "$so" '^clone$'); i=$(size_of "$so" 'clone_impl'); r=$(size_of "$so" 'clone_or_errno'); k=$(size_of "$so" '4arch5child')
echo "   ours, code on the clone path: clone ${c:-?} + clone_impl ${i:-?} + clone_or_errno ${r:-?} + child ${k:-?} bytes"
libc=$(ldd "$build/clone_bench" | awk '/libc.so.6/ { print $3 }')
ghex=$(objdump -T "$libc" | awk '$NF == "__clone" { print $5; exit }')
gsz=${ghex:+$((16#$ghex))}
echo "   glibc, __clone in $libc: ${gsz:-?} bytes"
rm -rf "$tmp"

echo
echo "== 4. child stack the wrapper uses (c-tests/proof/guard_page)"
"$build/guard_page" | sed 's/^/   /'
exit "${PIPESTATUS[0]}"
