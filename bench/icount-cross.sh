#!/usr/bin/env bash
# The instructions each wrapper executes in the caller on other
# architectures, glibc's clone against ours, counted as bench/run.sh counts
# them on x86_64 (bench/icount.py single-stepping bench/icount_driver.c):
# i686 natively under gdb, the others under qemu-user's gdb stub
# (`qemu-ARCH -g PORT`) with gdb-multiarch. Not a test: it prints a table.
#
#   bench/icount-cross.sh all | ARCH...   (ARCH as in c-tests/cross.sh)
#
# Uses the staticlib that c-tests/cross.sh builds (target/cross/...); the
# driver is linked dynamically against the cross sysroot's glibc, so that
# glibc's clone is the one of the Debian cross libc6 package (its version
# is printed).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tbase=${CARGO_TARGET_DIR:-$root/target}
case $tbase in /*) ;; *) tbase=$root/$tbase ;; esac
tdir=$tbase/cross
all_arches="i686 aarch64 armv7 armv5te armv6 riscv64 powerpc64le s390x x32 powerpc powerpc64 mips64el mipsel mips mips64 sparc64"
. "$root/c-tests/lib.sh"
declare -A qemu=([i686]=none [aarch64]=qemu-aarch64 [armv7]=qemu-arm [riscv64]=qemu-riscv64
    [powerpc64le]=qemu-ppc64le [s390x]=qemu-s390x [armv5te]=qemu-arm [armv6]=qemu-arm [x32]=no-x32
    [powerpc]=qemu-ppc [powerpc64]=qemu-ppc64
    [mips64el]=qemu-mips64el [mipsel]=qemu-mipsel [mips]=qemu-mips [mips64]=qemu-mips64 [sparc64]=qemu-sparc64)
# As c-tests/cross.sh: armv5te on an ARM926 (no ARMv6 instructions).
declare -A qemu_cpu=([armv5te]=arm926)
select_arches icount-cross.sh "$@"
command -v gdb-multiarch >/dev/null || { echo "icount-cross: gdb-multiarch is not installed" >&2; exit 2; }
port=$((20000 + $$ % 20000))

count() { # arch exe impl mode -> prints the count, leaves the log
    local a=$1 exe=$2 impl=$3 mode=$4 log=$2.$3.$4.log tr=${triple[$1]}
    if [ "${qemu[$a]}" = none ]; then
        timeout 120 gdb -q -batch -x "$here/icount.py" --args "$exe" "$impl" "$mode" >"$log" 2>&1
    else
        port=$((port + 1))
        "${qemu[$a]}" ${qemu_cpu[$a]:+-cpu "${qemu_cpu[$a]}"} -L "/usr/$tr" -g "$port" "$exe" "$impl" "$mode" >/dev/null 2>&1 &
        local qpid=$!
        sleep 0.5
        ICOUNT_REMOTE=localhost:$port timeout 300 gdb-multiarch -q -batch -nx \
            -iex "set sysroot /usr/$tr" -iex "set auto-load off" -x "$here/icount.py" "$exe" >"$log" 2>&1
        kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null
    fi
    sed -n 's/^icount: //p' "$log"
}

printf '%-12s %-8s %6s %6s   %s\n' arch mode glibc ours "glibc version"
for a in "${arches[@]}"; do
    lib=$tdir/${rust_target[$a]}/release/libsched_clone.a
    dir=$tdir/icount/$a; mkdir -p "$dir"
    if [ ! -f "$lib" ]; then echo "$a: no $lib (run c-tests/cross.sh $a)"; continue; fi
    if [ "${qemu[$a]}" = no-x32 ]; then echo "$a: SKIP: qemu-user has no x32 mode (and no gdb stub for it)"; continue; fi
    exe=$dir/icount_driver
    if ! "${triple[$a]}-gcc" ${arch_cflags[$a]-} -O2 -g -Wall -Wextra -Werror -o "$exe" "$here/icount_driver.c" "$lib" -ldl \
        >"$dir/build.log" 2>&1; then
        echo "$a: the driver does not build (see $dir/build.log)"; continue
    fi
    ver=$(dpkg-query -W -f '${Version}' "libc6-dev-${deb_arch[$a]}-cross" 2>/dev/null)
    for mode in fork null-fn; do
        g=$(count "$a" "$exe" glibc "$mode"); o=$(count "$a" "$exe" ours "$mode")
        printf '%-12s %-8s %6s %6s   %s\n' "$a" "$mode" "${g:-?}" "${o:-?}" "$ver"
    done
done
