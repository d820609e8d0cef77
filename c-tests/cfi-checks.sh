#!/usr/bin/env bash
# Checks the frame descriptions of the clone code, as readelf reads them
# (src/arch/mod.rs, "Exact CFI"):
#  - each clone syscall function (raw_clone, clone_or_errno, raw_clone3) has
#    an FDE from its first instruction that ends at or before its syscall
#    instruction, and no FDE covers anything from the syscall on (the child
#    runs those instructions on another stack);
#  - the child entry has an FDE of its own that covers it whole and marks
#    the return-address column undefined in every row, the first included;
#  - arm (EHABI): the child entry and the code from each syscall on are
#    .cantunwind regions (.ARM.exidx entries have no end, so a gap would
#    fall to the region before).
#
#   c-tests/cfi-checks.sh host         target/capi/lib/libsched_clone.so
#   c-tests/cfi-checks.sh ARCH...      the cross staticlib that cross.sh built
#                                      (target/cross/<target>/release), linked
#                                      into a small program with the cross gcc
# Prints PASS/FAIL rows and "cfi-checks: N passed, N failed, N skipped".
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tbase=${CARGO_TARGET_DIR:-$root/target}
case $tbase in /*) ;; *) tbase=$root/$tbase ;; esac
out=${SCHED_CLONE_OUT:-$tbase/capi}
. "$here/lib.sh"
# mawk has no strtonum: hex() for awk programs.
hexfn='function hex(x,  i, n) { n = 0; x = tolower(x); sub(/^0x/, "", x)
    for (i = 1; i <= length(x); i++) n = n * 16 + index("0123456789abcdef", substr(x, i, 1)) - 1; return n }
'
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n_ok=0; n_bad=0; n_skip=0
row() { # status arch text
    case $1 in PASS) n_ok=$((n_ok + 1)) ;; FAIL) n_bad=$((n_bad + 1)) ;; SKIP) n_skip=$((n_skip + 1)) ;; esac
    printf '  %s  %-12s cfi: %s\n' "$1" "$2" "$3"
}

# Whether an architecture unwinds by EHABI tables (the 32-bit arm rows).
ehabi_arch() { case $1 in armv7 | armv5te | armv6) return 0 ;; esac; return 1; }

# check ARCH BINARY TOOL-PREFIX
check() {
    local a=$1 bin=$2 p=$3 f sym start size end sc
    local nm=${p}nm objdump=${p}objdump readelf=${p}readelf
    if [ -n "${cross_tools[$a]:-}" ]; then # lib.sh's overrides (loongarch64: LLVM's)
        nm=$(tool_of "$a" nm); objdump=$(tool_of "$a" objdump); readelf=$(tool_of "$a" readelf)
    fi
    "$nm" -S --defined-only "$bin" >"$tmp/nm" 2>/dev/null
    "$objdump" -d --no-show-raw-insn "$bin" >"$tmp/dis" 2>/dev/null
    "$readelf" --debug-dump=frames-interp "$bin" >"$tmp/frames" 2>/dev/null
    # FDEs as "start end first-ra all-ra-undefined" (hex without 0x).
    awk '
        function flush() { if (s != "") print s, e, first, allu; s = "" }
        / FDE / { flush(); split($NF, r, "[=.]+"); s = r[2]; e = r[3]; first = ""; allu = 1; col = 0; next }
        s != "" && /LOC/ { for (i = 1; i <= NF; i++) if ($i == "ra") col = i; next }
        s != "" && col && $1 ~ /^[0-9a-f]+$/ { if (first == "") first = $col; if ($col != "u") allu = 0 }
        END { flush() }' "$tmp/frames" >"$tmp/fdes"
    local found=0
    for f in raw_clone clone_or_errno raw_clone3 child; do
        sym=$(awk -v f="$f" '$4 ~ ("4arch" length(f) f "(17h[0-9a-f]+E)?$") {print $1, $2; exit}' "$tmp/nm")
        [ -n "$sym" ] || continue
        found=$((found + 1))
        start=$((16#${sym% *})); size=$((16#${sym#* })); end=$((start + size))
        if [ "$f" = child ]; then
            if awk -v s="$start" -v e="$end" "$hexfn"'
                { fs = hex($1); fe = hex($2) }
                fs == s && fe >= e && $3 == "u" && $4 == 1 { ok = 1 } END { exit !ok }' "$tmp/fdes"; then
                row PASS "$a" "child: its own FDE, return address undefined from its first instruction"
            else
                row FAIL "$a" "child: no FDE from $(printf %#x "$start") covering it with the return address undefined in every row"
            fi
            ! ehabi_arch "$a" || check_cantunwind "$a" "$bin" "$p" child "$start" "$end"
            continue
        fi
        sc=$(awk -v s="$start" -v e="$end" "$hexfn"'
            $1 ~ /^[0-9a-f]+:$/ { addr = hex(substr($1, 1, length($1) - 1)) }
            $1 ~ /^[0-9a-f]+:$/ && addr >= s && addr < e && $2 ~ /^(syscall|int|svc|ecall|sc|ta)$/ { print addr; exit }' "$tmp/dis")
        if [ -z "$sc" ]; then row FAIL "$a" "$f: no syscall instruction found"; continue; fi
        if awk -v s="$start" -v e="$end" -v sc="$sc" "$hexfn"'
            { fs = hex($1); fe = hex($2) }
            fs == s && fe <= sc { starts = 1 }
            fs < e && fe > sc { covered = 1 }
            END { exit !(starts && !covered) }' "$tmp/fdes"; then
            row PASS "$a" "$f: FDE from its entry ends at or before the syscall (+$((sc - start))), nothing covers the rest"
        else
            row FAIL "$a" "$f: an FDE covers the syscall at +$((sc - start)) or what follows, or none starts at the entry"
        fi
        ! ehabi_arch "$a" || check_cantunwind "$a" "$bin" "$p" "$f (from the syscall on)" "$sc" "$end"
    done
    [ "$found" -ge 3 ] || row FAIL "$a" "only $found of the clone functions and the child found in $(basename "$bin")"
}

# arm: the EHABI region that holds FROM .. END (the entry with the greatest
# start at or below FROM, up to the next entry; the linker merges adjacent
# identical entries) is .cantunwind.
check_cantunwind() { # arch bin prefix what from end
    local hex
    hex=$(printf '0x%x' "$5")
    if "${3}readelf" -u "$2" 2>/dev/null | awk -v from="$5" -v end="$6" "$hexfn"'
        /^0x[0-9a-f]+ </ { n++; at[n] = hex($1); cant[n] = ($0 ~ /\[cantunwind\]/) }
        END {
            for (i = 1; i <= n; i++) if (at[i] <= from) k = i
            exit !(k && cant[k] && (k == n || at[k + 1] >= end))
        }'; then
        row PASS "$1" "$4: inside one EHABI .cantunwind region"
    else
        row FAIL "$1" "$4: $hex .. $(printf '0x%x' "$6") is not inside one EHABI .cantunwind region"
    fi
}

[ $# -gt 0 ] || { echo "usage: cfi-checks.sh host | ARCH..." >&2; exit 2; }
for a in "$@"; do
    if [ "$a" = host ]; then
        so=$out/lib/libsched_clone.so
        if [ -f "$so" ]; then check "$(uname -m)" "$so" ""; else row FAIL host "no $so: run make"; fi
        continue
    fi
    t=${rust_target[$a]:-}
    [ -n "$t" ] || { echo "cfi-checks.sh: unknown architecture $a" >&2; exit 2; }
    lib=$tbase/cross/$t/release/libsched_clone.a
    if [ ! -f "$lib" ]; then row FAIL "$a" "no $lib: run c-tests/cross.sh $a"; continue; fi
    printf '#define _GNU_SOURCE\n#include <sched.h>\nint (*volatile use)(int (*)(void *), void *, int, void *, ...) = clone;\nint main(void) { return use == 0; }\n' >"$tmp/p.c"
    prepare_arch "$a" || { row FAIL "$a" "no cross toolchain"; continue; }
    if ! $(cc_of "$a") -o "$tmp/p-$a" "$tmp/p.c" "$lib" >"$tmp/link.log" 2>&1; then
        row FAIL "$a" "cannot link a program with $lib: $(head -n 2 "$tmp/link.log")"; continue
    fi
    check "$a" "$tmp/p-$a" "${triple[$a]}-"
done
echo "cfi-checks: $n_ok passed, $n_bad failed, $n_skip skipped"
[ "$n_bad" -eq 0 ]
