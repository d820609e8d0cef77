#!/usr/bin/env bash
# Crate-structure checks of issue 8, each a PASS/FAIL/SKIP row:
#  - a #![no_std] #![no_main] program with its own panic handler, depending
#    on sched_clone with default-features = false, links and runs, natively
#    and under qemu-user on aarch64 and riscv64 (Debian's cargo, -Zbuild-std,
#    the cross gcc as linker), and defines no `clone` of ours;
#  - a std program using `Command` builds for, and runs on, each of the six
#    foreign architectures (qemu-user; i686 natively);
#  - a C program links libsched_clone.a beside another Rust staticlib (std)
#    and runs (no duplicate rust_eh_personality);
#  - a crate depending on ours builds no .so/.a of ours;
#  - `cargo package` (with verification) passes.
# Needs `make lib` first (target/capi/lib/libsched_clone.a).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
crates=$root/tests/crates
out=${CARGO_TARGET_DIR:-$root/target}/crate-checks
lib=${SCHED_CLONE_OUT:-$root/target/capi}/lib
mkdir -p "$out"
pass=0 fail=0 skip=0
row() { # status name [detail]
    printf '  %s  %s%s\n' "$1" "$2" "${3:+ ($3)}"
    case $1 in PASS) pass=$((pass + 1)) ;; FAIL) fail=$((fail + 1)) ;; SKIP) skip=$((skip + 1)) ;; esac
}

# 1. The no_std program, natively.
if (cd "$crates/nostd" && CARGO_TARGET_DIR=$out/nostd cargo build -q --release) >"$out/nostd.log" 2>&1 &&
    "$out/nostd/release/nostd-user" >>"$out/nostd.log" 2>&1; then
    if nm --defined-only "$out/nostd/release/nostd-user" | grep -qE ' (clone|__clone|__clone2|sched_clone3)$'; then
        row FAIL nostd-x86_64 "the program defines a C clone symbol"
    else
        row PASS nostd-x86_64
    fi
else
    row FAIL nostd-x86_64 "see $out/nostd.log"
fi

# 2. Every foreign architecture, built with Debian's Rust (-Zbuild-std=std,
#    the cross gcc as linker) into one target directory: the std program of
#    tests/crates/spawn-cross (`Command`'s raw-syscall child: /bin/true, the
#    errno of a failed exec, vfork-style and fork-like), and on aarch64 and
#    riscv64 the no_std program too, which reuses the std build's sysroot
#    (same dev profile, panic = "abort", no LTO: a few seconds more). std
#    without its default features (no backtrace) and no debug info: a
#    fifth less CPU time per target. Run
#    under qemu-user (-L /usr/<triple>), i686 natively (qemu-i386 hangs in
#    fork children here). The program prints its own ROW lines.
cross=$out/cross
for spec in i686:i686-unknown-linux-gnu:i686-linux-gnu: \
    aarch64:aarch64-unknown-linux-gnu:aarch64-linux-gnu:qemu-aarch64 \
    arm:armv7-unknown-linux-gnueabihf:arm-linux-gnueabihf:qemu-arm \
    armv5te:armv5te-unknown-linux-gnueabi:arm-linux-gnueabi:qemu-arm \
    riscv64:riscv64gc-unknown-linux-gnu:riscv64-linux-gnu:qemu-riscv64 \
    powerpc64le:powerpc64le-unknown-linux-gnu:powerpc64le-linux-gnu:qemu-ppc64le \
    s390x:s390x-unknown-linux-gnu:s390x-linux-gnu:qemu-s390x \
    powerpc:powerpc-unknown-linux-gnu:powerpc-linux-gnu:qemu-ppc \
    powerpc64:powerpc64-unknown-linux-gnu:powerpc64-linux-gnu:qemu-ppc64 \
    mips64el:mips64el-unknown-linux-gnuabi64:mips64el-linux-gnuabi64:qemu-mips64el \
    mipsel:mipsel-unknown-linux-gnu:mipsel-linux-gnu:qemu-mipsel \
    sparc64:sparc64-unknown-linux-gnu:sparc64-linux-gnu:qemu-sparc64; do
    IFS=: read -r arch target triple qemu <<<"$spec"
    case $arch in aarch64 | riscv64) nostd=1 ;; *) nostd= ;; esac
    if ! command -v "$triple-gcc" >/dev/null || { [ -n "$qemu" ] && ! command -v "$qemu" >/dev/null; } ||
        [ ! -x /usr/bin/cargo ]; then
        row SKIP "spawn-$arch" "needs $triple-gcc, ${qemu:-an i386 loader} and Debian's cargo"
        [ -n "$nostd" ] && row SKIP "nostd-$arch" "needs $triple-gcc, $qemu and Debian's cargo"
        continue
    fi
    # armv5te on an ARM926, as c-tests/cross.sh runs it (no ARMv6 instructions).
    cpu=(); [ "$arch" != armv5te ] || cpu=(-cpu arm926)
    if [ -n "$qemu" ]; then run=(env SCHED_CLONE_QEMU_USER=1 timeout 120 "$qemu" "${cpu[@]}" -L "/usr/$triple")
    else run=(timeout 120); fi
    build() { # crate
        (cd "$crates/$1" && env "CARGO_TARGET_$(echo "$target" | tr 'a-z-' 'A-Z_')_LINKER=$triple-gcc" \
            CARGO_TARGET_DIR=$cross CARGO_PROFILE_DEV_DEBUG=0 RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
            timeout 1200 /usr/bin/cargo build -q -Zbuild-std=std,panic_abort -Zbuild-std-features= \
            --target "$target")
    }
    log=$out/spawn-$arch.log
    if build spawn-cross >"$log" 2>&1; then
        "${run[@]}" "$cross/$target/debug/spawn-cross" >>"$log" 2>&1
        rc=$?
        rows=$(grep -c '^ROW ' "$log")
        while read -r _ st name detail; do
            row "$st" "spawn-$arch-$name" "$detail"
        done < <(grep '^ROW ' "$log")
        if [ "$rc" -ne 0 ] && ! grep -q '^ROW FAIL' "$log"; then
            row FAIL "spawn-$arch" "exit status $rc after $rows rows, see $log"
        fi
    else
        row FAIL "spawn-$arch" "build failed, see $log"
    fi
    [ -n "$nostd" ] || continue
    log=$out/nostd-$arch.log
    if build nostd >"$log" 2>&1 && "${run[@]}" "$cross/$target/debug/nostd-user" >>"$log" 2>&1; then
        row PASS "nostd-$arch"
    else
        row FAIL "nostd-$arch" "see $log"
    fi
done

# 3. Two Rust staticlibs in one C program.
log=$out/two_staticlibs.log
if [ ! -f "$lib/libsched_clone.a" ]; then
    row FAIL two-staticlibs "no $lib/libsched_clone.a: run make lib"
elif (cd "$crates/other-staticlib" && CARGO_TARGET_DIR=$out/other cargo build -q --release) >"$log" 2>&1 &&
    ${CC:-cc} -Wall -Wextra -Werror -DSCHED_CLONE_MODE_STATIC -I"$root/c-tests" -I"$root/include" \
        -o "$out/two_staticlibs" "$crates/two_staticlibs.c" "$lib/libsched_clone.a" \
        "$out/other/release/libother_staticlib.a" -ldl -lpthread >>"$log" 2>&1 &&
    "$out/two_staticlibs" >>"$log" 2>&1; then
    row PASS two-staticlibs
else
    row FAIL two-staticlibs "see $log"
fi

# 4. A dependent crate: no .so/.a of ours in its target directory.
log=$out/dependent.log
rm -rf "$out/dependent"
if (cd "$crates/dependent" && CARGO_TARGET_DIR=$out/dependent cargo build -q) >"$log" 2>&1 &&
    "$out/dependent/debug/dependent" >>"$log" 2>&1; then
    found=$(find "$out/dependent" \( -name 'libsched_clone*.so' -o -name 'libsched_clone*.a' \) | head -n 3)
    if [ -n "$found" ]; then
        row FAIL dependent-builds-no-c-library "$found"
    elif nm --defined-only "$out/dependent/debug/dependent" | grep -qE ' (clone|__clone)$'; then
        row FAIL dependent-builds-no-c-library "the program defines clone"
    else
        row PASS dependent-builds-no-c-library
    fi
else
    row FAIL dependent-builds-no-c-library "see $log"
fi

# 5. cargo package, verified (builds the packaged crate from scratch).
log=$out/package.log
if (cd "$root" && CARGO_TARGET_DIR=$out/package cargo package -q --allow-dirty) >"$log" 2>&1; then
    row PASS cargo-package
else
    row FAIL cargo-package "see $log"
fi

echo "crate-checks: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
