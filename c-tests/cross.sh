#!/usr/bin/env bash
# Builds libsched_clone.a for other architectures and runs the C tests there.
#
#   c-tests/cross.sh all            every architecture below
#   c-tests/cross.sh ARCH...        some of them (i686 aarch64 armv7 armv5te
#                                   armv6 riscv64 powerpc64le s390x x32
#                                   powerpc powerpc64 mips64el mipsel mips
#                                   mips64 sparc64 loongarch64)
#
# For each architecture: the staticlib is built with Debian's Rust
# (rustc-web, cargo-web, rust-web-src: /usr/bin/cargo with -Zbuild-std), each
# test is compiled with the Debian cross gcc into a dynamically linked
# program with -DSCHED_CLONE_MODE_STATIC (the archive linked into the
# executable, checked by dladdr), and run under qemu-user with the cross
# sysroot (-L /usr/TRIPLE).
#
# Which tests run:
#   - under qemu: the tests tagged `cross` (/* sched-clone-test: cross */).
#     qemu-user emulates only thread-like (full CLONE_VM set) and fork-like
#     (SIGCHLD, no CLONE_VM) clones, so only the portable tests are tagged.
#   - i686: the x86_64 kernel runs i686 programs natively, so there is no
#     qemu and every test not tagged `manual` runs, namespaces included.
#   - tagged `cross-ARCH` (e.g. cross-aarch64): only on that architecture,
#     even when also tagged `manual` (which keeps c-tests/run.sh, a host
#     build, away from it).
#
# Before the tests, the archive's own object is checked (rows named
# "object: ..."): it exports exactly the C entry points of src/capi.rs's
# table; c-tests/cfi-checks.sh's frame checks (each syscall function's FDE
# ends before the syscall, the child's marks the outermost frame from its
# first instruction, arm's EHABI .cantunwind regions); on aarch64 the object
# carries the BTI property note, every entry point starts with `bti c` and
# the only indirect branch is the child's call of the user's fn; and the
# linked programs get a non-executable stack.
#
# Missing Debian packages are installed when running as root.
# Environment: CARGO_TARGET_DIR (builds go to $CARGO_TARGET_DIR/cross,
# default target/cross),
# SCHED_CLONE_TEST_TIMEOUT (seconds per test, default 300).
# Exit status: 0 when nothing failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# Under the caller's target dir, but apart from the host build: Debian's
# cargo and rustc are another toolchain, and sharing build-script artifacts
# would make each rebuild the other's.
tdir=${CARGO_TARGET_DIR:-$root/target}/cross
case $tdir in /*) ;; *) tdir=$root/$tdir ;; esac
timeout_s=${SCHED_CLONE_TEST_TIMEOUT:-300}
# Unwind tables, as gcc emits them by default on x86_64, aarch64, ppc64le
# and s390x but not on arm and riscv64: c-tests/unwind_child walks the
# test's own frames.
CFLAGS="-O1 -g -fasynchronous-unwind-tables -Wall -Wextra -Werror"

. "$here/lib.sh"

# arch: qemu-user binary (none: native), source file under src/arch/.
all_arches="i686 aarch64 armv7 armv5te armv6 riscv64 powerpc64le s390x x32 powerpc powerpc64 mips64el mipsel mips mips64 sparc64 loongarch64"
declare -A qemu arch_src
add_arch() { qemu[$1]=$2; arch_src[$1]=$3; }
add_arch i686        none         x86.rs
add_arch aarch64     qemu-aarch64 aarch64.rs
add_arch armv7       qemu-arm     arm.rs
add_arch armv5te     qemu-arm     arm.rs
add_arch armv6       qemu-arm     arm.rs
# The CPU qemu-user emulates, where the default (max) would accept
# instructions the architecture lacks: an ARM926EJ-S (ARMv5TEJ) makes
# ARMv6 and later instructions (movw/movt, ldrex/strex, Thumb-2) SIGILL.
# (armv6 runs on the default CPU: Debian's armhf glibc, which its programs
# link, is ARMv7 Thumb-2 code, which an ARM1176 rejects; the object's own
# instruction set is checked from its build attributes instead.)
declare -A qemu_cpu
qemu_cpu[armv5te]=arm926
# The ARM build attribute Tag_CPU_arch our object must carry.
declare -A arm_cpu_arch
arm_cpu_arch[armv5te]=v5TE
arm_cpu_arch[armv6]=v6
add_arch riscv64     qemu-riscv64 riscv64.rs
add_arch powerpc64le qemu-ppc64le powerpc64le.rs
add_arch s390x       qemu-s390x   s390x.rs
# x32: no qemu-user mode runs it and this kernel may lack it (syscall.x32=y):
# the object is checked and the tests built; they run in c-tests/vm.sh x32.
add_arch x32         no-x32       x86_64.rs
add_arch powerpc     qemu-ppc     powerpc.rs
add_arch powerpc64   qemu-ppc64   powerpc64.rs
add_arch mips64el    qemu-mips64el mips.rs
add_arch mipsel      qemu-mipsel  mips.rs
add_arch mips        qemu-mips    mips.rs
add_arch mips64      qemu-mips64  mips.rs
add_arch sparc64     qemu-sparc64 sparc64.rs
add_arch loongarch64 qemu-loongarch64 loongarch64.rs

select_arches cross.sh "$@"

# --- packages ------------------------------------------------------------
need_pkgs=(rustc-web cargo-web rust-web-src)
for a in "${arches[@]}"; do
    need_pkgs+=($(pkgs_of "$a"))
    case ${qemu[$a]} in
    none) need_pkgs+=(libc6-i386 lib32gcc-s1) ;;
    no-x32) ;;
    *) need_pkgs+=(qemu-user) ;;
    esac
done
ensure_packages cross.sh "${need_pkgs[@]}"

# --- per-architecture run ------------------------------------------------
# Checks on our object in the archive (see the top of this file).
check_object() { # arch lib build
    local a=$1 lib=$2 build=$3 tr=${triple[$1]} dir=$3/obj obj sym bad
    rm -rf "$dir"; mkdir -p "$dir"
    (cd "$dir" && "$(tool_of "$a" ar)" x "$lib")
    obj=$(ls "$dir"/sched_clone-*.o 2>/dev/null | head -n 1)
    if [ -z "$obj" ]; then record "$a" FAIL "object: sched_clone object in the archive" "not found"; return; fi
    "$(tool_of "$a" nm)" "$obj" >"$dir/nm.txt"
    "$(tool_of "$a" objdump)" -d --no-show-raw-insn "$obj" >"$dir/dis.txt"

    # Exported: global, default visibility, defined functions. They must be
    # exactly the rows of the c_entry_points! table in src/capi.rs.
    local exported expected
    exported=$("$(tool_of "$a" readelf)" -sW "$obj" |
        awk '$4 == "FUNC" && $5 == "GLOBAL" && $6 == "DEFAULT" && $7 != "UND" {print $8}' | sort | tr '\n' ' ')
    # (one name per export: a name with cfg'd rows, such as clone for the musl ABI, counts once)
    expected=$(awk '/^c_entry_points! \{/ {t = 1; next} t && /^\}/ {t = 0} t && /^    fn / {sub(/^    fn /, ""); sub(/\(.*/, ""); print}' \
        "$root/src/capi.rs" | sort -u | tr '\n' ' ')
    if [ -n "$expected" ] && [ "$exported" = "$expected" ]; then record "$a" PASS "object: exports exactly: ${exported% }"
    else record "$a" FAIL "object: exports" "'${exported% }', expected '${expected% }'"; fi

    # The frame descriptions (c-tests/cfi-checks.sh: the FDEs end before
    # each syscall, the child's marks it the outermost frame, arm's EHABI
    # regions), as rows of this architecture.
    local line st rest n_rows=0
    while IFS= read -r line; do
        case $line in
        "  PASS  "* | "  FAIL  "* | "  SKIP  "*)
            st=$(echo "$line" | awk '{print $1}'); rest=${line#*cfi: }
            record "$a" "$st" "object: cfi: $rest"; n_rows=$((n_rows + 1)) ;;
        esac
    done < <(bash "$here/cfi-checks.sh" "$a")
    [ "$n_rows" -gt 0 ] || record "$a" FAIL "object: cfi" "c-tests/cfi-checks.sh $a printed no result"

    if [ -n "${arm_cpu_arch[$a]-}" ]; then
        local cpu_arch
        cpu_arch=$("$tr-readelf" -A "$obj" | sed -n 's/^ *Tag_CPU_arch: //p' | head -n 1)
        if [ "$cpu_arch" = "${arm_cpu_arch[$a]}" ]; then record "$a" PASS "object: Tag_CPU_arch $cpu_arch"
        else record "$a" FAIL "object: Tag_CPU_arch" "'$cpu_arch', expected ${arm_cpu_arch[$a]}"; fi
    fi
    case $a in
    x32)
        if "$tr-readelf" -n "$obj" | grep -q 'x86 feature: IBT, SHSTK'; then record "$a" PASS "object: GNU property IBT, SHSTK"
        else record "$a" FAIL "object: GNU property IBT, SHSTK" "missing"; fi
        bad=""
        for sym in $exported; do
            awk -v s="<$sym>:" 'f && NF > 1 {print $2; exit} $2 == s {f = 1}' "$dir/dis.txt" | grep -q '^endbr64' || bad="$bad $sym"
        done
        if [ -z "$bad" ]; then record "$a" PASS "object: every exported entry starts with endbr64"
        else record "$a" FAIL "object: endbr64" "missing at:$bad"; fi
        bad=$(awk '/^[0-9a-f]+ <.*>:$/ {fn = $2} ($2 ~ /^(call|jmp)/ && $3 ~ /^\*/) && fn !~ /4arch5child/ {print fn}' "$dir/dis.txt" | sort -u | tr '\n' ' ')
        if [ -z "$bad" ]; then record "$a" PASS "object: no indirect branch but the child's call of fn"
        else record "$a" FAIL "object: indirect branches" "in $bad"; fi
        ;;
    aarch64)
        if "$tr-readelf" -n "$obj" | grep -q 'AArch64 feature: BTI'; then record "$a" PASS "object: GNU property BTI"
        else record "$a" FAIL "object: GNU property BTI" "missing"; fi
        bad=""
        for sym in $exported; do
            awk -v s="<$sym>:" 'f && NF > 1 {print $2, $3; exit} $2 == s {f = 1}' "$dir/dis.txt" | grep -q '^bti c' || bad="$bad $sym"
        done
        if [ -z "$bad" ]; then record "$a" PASS "object: every exported entry starts with bti c"
        else record "$a" FAIL "object: bti c" "missing at:$bad"; fi
        # Indirect branches outside the child's call of fn would need
        # landing pads.
        bad=$(awk '/^[0-9a-f]+ <.*>:$/ {fn = $2} $2 ~ /^(br|blr|braa|brab|blraa|blrab)$/ && fn !~ /4arch5child/ {print fn}' "$dir/dis.txt" | sort -u | tr '\n' ' ')
        if [ -z "$bad" ]; then record "$a" PASS "object: no indirect branch but the child's call of fn"
        else record "$a" FAIL "object: indirect branches" "in $bad"; fi
        ;;
    esac
}

# Whether a linked program has a non-executable stack. On mips no program
# has one: glibc's own crt1.o, crti.o and crtn.o request an executable stack
# (.note.GNU-stack with SHF_EXECINSTR); there, every object of our archive
# must carry a non-executable note instead, so that we add no such request.
check_stack() { # arch exe
    local flags o bad=
    case $1 in
    mips*)
        for o in "$tdir/c-tests/$1/obj"/*.o; do
            flags=$("$(tool_of "$1" readelf)" -SW "$o" | awk '$2 == ".note.GNU-stack" {print ($0 ~ / X /) ? "X" : "ok"}')
            [ "$flags" = ok ] || bad="$bad $(basename "$o")"
        done
        if [ -z "$bad" ]; then record "$1" PASS "object: non-executable .note.GNU-stack in every archive member (glibc's mips crt files make every program's stack RWE)"
        else record "$1" FAIL "object: .note.GNU-stack" "missing or executable in:$bad"; fi
        return ;;
    esac
    flags=$("$(tool_of "$1" readelf)" -lW "$2" | awk '$1 == "GNU_STACK" {print $7}')
    if [ "$flags" = RW ]; then record "$1" PASS "object: GNU_STACK RW in a linked program"
    else record "$1" FAIL "object: GNU_STACK" "'$flags' in $(basename "$2")"; fi
}

# One test program's run: natively or under qemu-user; its exit status.
run_test() { # arch qemu exe log
    if [ "$2" = none ]; then
        (cd "$build" && timeout -k 5 "$timeout_s" "$3") >"$4" 2>&1
    else
        (cd "$build" && timeout -k 5 "$timeout_s" "$2" ${qemu_cpu[$1]:+-cpu "${qemu_cpu[$1]}"} -L "$sysroot" "$3") >"$4" 2>&1
    fi
}

# qemu-user's sparc64 crashes itself (host SIGSEGV) now and then when a
# program mixes threads and fork-like children, with glibc's own clone and
# without sched_clone (7.2 and 11.1 alike; entry_sp_probe, which alternates
# them 64 times, in about one run in ten here): up to two more runs.
declare -A qemu_host_crash_retries=([sparc64]=2)

run_arch() {
    local a=$1 t=${rust_target[$1]} tr=${triple[$1]} q=${qemu[$1]} cc sysroot
    local build=$tdir/c-tests/$a lib=$tdir/$t/release/libsched_clone.a
    pass[$a]=0; fail[$a]=0; skip[$a]=0
    echo "== $a ($t)"
    if [ ! -f "$root/src/arch/${arch_src[$a]}" ]; then
        record "$a" FAIL library "not built: src/arch/${arch_src[$a]} does not exist"; return
    fi
    mkdir -p "$build"
    if ! prepare_arch "$a"; then record "$a" FAIL library "no cross toolchain (see above)"; return; fi
    cc=$(cc_of "$a"); sysroot=$(sysroot_of "$a"); q=$(qemu_of "$a" "$q")
    if ! build_staticlib "$a" "$build/cargo.log"; then
        record "$a" FAIL library "not built: cargo failed"
        sed 's/^/        | /' "$build/cargo.log" | grep -v '^        |  *Compiling' | tail -n 25
        return
    fi

    check_object "$a" "$lib" "$build"

    local src name tags exe log rc tries stack_checked=
    for src in "$here"/*.c; do
        [ -e "$src" ] || continue
        name=$(basename "$src" .c)
        tags=" $(tags_of "$src") "
        case $tags in
        *" cross-$a "*) ;;          # written for this architecture alone
        *" cross-"*) continue ;;    # for another one
        *" manual "*) continue ;;
        *" cross "*) ;;
        *) [ "$q" = none ] || continue ;;
        esac
        exe=$build/$name log=$build/$name.log
        if ! $cc $CFLAGS ${arch_cflags[$a]-} -DSCHED_CLONE_MODE_STATIC -I"$root/include" -o "$exe" "$src" "$lib" -ldl \
            >"$build/$name.build.log" 2>&1; then
            record "$a" FAIL "$name" "does not build"
            sed 's/^/        | /' "$build/$name.build.log" | head -n 20
            continue
        fi
        [ -n "$stack_checked" ] || { check_stack "$a" "$exe"; stack_checked=1; }
        if [ "$q" = no-x32 ]; then
            record "$a" SKIP "$name" "built; qemu-user has no x32 mode: c-tests/vm.sh x32 runs it on a kernel booted with syscall.x32=y"
            continue
        fi
        tries=1
        run_test "$a" "$q" "$exe" "$log"; rc=$?
        # qemu itself dying of SIGSEGV (status 139 with no "uncaught target
        # signal" line: the emulated program did not get the signal) is
        # qemu's bug where qemu_host_crash_retries says so: run again.
        while [ $rc -eq 139 ] && [ "$tries" -le "${qemu_host_crash_retries[$a]:-0}" ] &&
            ! grep -q '^qemu: uncaught target signal' "$log"; do
            tries=$((tries + 1))
            run_test "$a" "$q" "$exe" "$log"; rc=$?
        done
        if [ $rc -eq 0 ] && [ "$tries" -gt 1 ]; then
            record "$a" PASS "$name" "on run $tries: $q itself died of SIGSEGV on the runs before (a qemu-user bug, see the README)"
        elif [ $rc -eq 0 ]; then
            record "$a" PASS "$name"
        elif [ $rc -eq 77 ]; then
            record "$a" SKIP "$name" "$(grep -m1 '^SKIP:' "$log" | cut -c7-)"
        else
            record "$a" FAIL "$name" "exit $rc"
            sed 's/^/        | /' "$log" | tail -n 15
        fi
    done
}

for a in "${arches[@]}"; do run_arch "$a"; done

echo
printf '%-12s %6s %6s %6s\n' arch passed failed skipped
tp=0; tf=0; ts=0
for a in "${arches[@]}"; do
    printf '%-12s %6d %6d %6d\n' "$a" "${pass[$a]}" "${fail[$a]}" "${skip[$a]}"
    tp=$((tp + pass[$a])); tf=$((tf + fail[$a])); ts=$((ts + skip[$a]))
done
for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
echo "cross: $tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ]
