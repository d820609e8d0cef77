#!/usr/bin/env bash
# Runs the C tests on other architectures under a real Linux kernel, in
# qemu-system (TCG), as root inside the VM.
#
#   c-tests/vm.sh all          aarch64 armv7 armv5te armv6 riscv64 powerpc64le
#                              s390x x32 mips64el mipsel loongarch64 (powerpc
#                              powerpc64 mips mips64 sparc64: a SKIP row each,
#                              no kernel)
#   c-tests/vm.sh ARCH...      some of them
#
# Why: c-tests/cross.sh runs them under qemu-user, which has no clone3 (so
# sched_clone3 falls back to clone there and no raw_clone3 child ever runs)
# and accepts only thread-like and fork-like flag sets (no CLONE_VM|SIGCHLD,
# no real CLONE_VFORK, no namespaces). A real kernel runs them all.
#
# For each architecture:
#   - the staticlib, built as c-tests/cross.sh builds it (same directory);
#   - every c-tests/*.c not tagged `manual`, compiled with the Debian cross
#     gcc in two modes: fully static (-static, SCHED_CLONE_MODE_FULLY_STATIC,
#     rows "NAME") and the archive into a dynamic program
#     (SCHED_CLONE_MODE_STATIC, rows "static/NAME", the glibc loader and
#     libraries from the cross sysroot copied into the initramfs). Tests
#     tagged cross-ARCH run only on ARCH, and only in the static mode, which
#     they are written for (cross-aarch64-bti maps the whole text PROT_BTI:
#     in a fully static program that text includes glibc's, which has no
#     landing pads). A test that does not compile is a FAIL;
#   - an initramfs: c-tests/vm/init.c as /init (fully static), the tests,
#     Debian's busybox-static for the architecture (as /bin/cat, /bin/sh,
#     /bin/true: real files, hard links, so /proc/PID/exe names them);
#   - a Debian kernel (bookworm 6.1; trixie 6.12 for riscv64, which bookworm
#     does not have; the malta flavours under qemu-system-mips64el/-mipsel
#     -M malta, one CPU, for mips64el and mipsel; sid's for loongarch64,
#     booted by bookworm-backports' qemu-system-loongarch64 10 and sid's
#     edk2, which c-tests/lib.sh fetches, as it fetches the sysroot clang-19
#     builds against), booted with qemu-system; /init runs each test with a
#     timeout, prints PASS/FAIL/SKIP lines on the serial console and powers
#     off. The serial log is kept in $CARGO_TARGET_DIR/vm/ARCH/serial.log.
#
# Kernels and busybox come from deb.debian.org through apt-get download with
# a private apt configuration ($CARGO_TARGET_DIR/vm/apt): the host's dpkg
# architectures and sources stay as they are. Missing host packages
# (qemu-system-*, opensbi, cpio, cross compilers) are installed when
# running as root.
# Extra prebuilt programs: with SCHED_CLONE_VM_EXTRA=DIR, every executable
# in DIR/<arch>/ (arch as named here: aarch64 armv7 ...) is copied into the
# initramfs's /tests and run by /init like the other tests (exit 0 pass, 77
# skip, anything else fail; rows "extra/NAME"); a dynamic one gets the
# shared libraries it needs from the cross sysroot. A file DIR/<arch>/NAME.timeout
# holding a number of seconds overrides the per-test timeout for NAME.
#
# The clone3 differential (c-tests/proof/clone3_differential.c: raw clone3
# vs sched_clone3 vs its fallback under seccomp) runs in every VM too, as
# "proof/clone3_differential", fully static, SCHED_CLONE_VM_DIFF_CASES
# cases (default 2000), with its own timeout (SCHED_CLONE_VM_DIFF_TIMEOUT,
# default 1800 s).
# The clone3 differential runs from the fixed seed SCHED_CLONE_VM_DIFF_SEED
# (default 20261202; 0: from the clock, as make proof-long does).
# The clone differential (c-tests/proof/differential.c: ours vs the
# architecture's glibc clone) runs there too, as "proof/differential",
# our archive in a dynamic program, SCHED_CLONE_VM_CLONE_DIFF_CASES cases
# (default 2000), with the same timeout.
# Big-endian mips and mips64 have no Debian kernel (Debian's last big-endian
# mips release was buster; mips64 big-endian never was one): their rows
# print SKIP with that reason.
# On loongarch64 the clone differential leaves out its fn=non-exec cases,
# named and counted as [loong64-nonexec-fn-hangs-guest]: a user jump into a
# readable non-executable page hard-locks the guest under
# qemu-system-loongarch64 10, with glibc's clone or no clone at all.
# Environment: CARGO_TARGET_DIR (default target), SCHED_CLONE_TEST_TIMEOUT
# (seconds per test inside the VM, default 120), SCHED_CLONE_VM_TIMEOUT
# (seconds per VM, default 900), SCHED_CLONE_VM_SMP (vCPUs, default 2),
# SCHED_CLONE_VM_EXTRA (a directory: the executables in DIR/ARCH/ are added
# to /tests and run like the others; exit 0 pass, 77 skip, else fail).
# Exit status: 0 when nothing failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tbase=${CARGO_TARGET_DIR:-$root/target}
case $tbase in /*) ;; *) tbase=$root/$tbase ;; esac
tdir=$tbase/cross    # c-tests/cross.sh's builds of the staticlib
vdir=$tbase/vm
test_timeout=${SCHED_CLONE_TEST_TIMEOUT:-120}
vm_timeout=${SCHED_CLONE_VM_TIMEOUT:-900}
smp=${SCHED_CLONE_VM_SMP:-2}
CFLAGS="-O1 -g -fasynchronous-unwind-tables -Wall -Wextra -Werror" # unwind tables: as cross.sh

. "$here/lib.sh"

# arch: Debian suite of the kernel, kernel flavour (metapackage
# linux-image-FLAVOUR), qemu-system package.
all_arches="aarch64 armv7 armv5te armv6 riscv64 powerpc64le s390x x32 mips64el mipsel loongarch64 powerpc powerpc64 mips mips64 sparc64"
declare -A suite flavour qemu_pkg
add_arch() { suite[$1]=$2; flavour[$1]=$3; qemu_pkg[$1]=$4; }
add_arch aarch64     bookworm arm64       qemu-system-arm
add_arch armv7       bookworm armmp-lpae  qemu-system-arm
add_arch armv5te     bookworm armmp-lpae  qemu-system-arm
add_arch armv6       bookworm armmp-lpae  qemu-system-arm
# The architecture whose kernel boots another's userland: Debian has no
# armel kernel qemu-system boots (marvell, rpi), so the armel programs run
# on armv7's armhf kernel, which runs them (the kernel ABI is the same;
# their ARMv5TE instruction set is what cross.sh proves, under -cpu arm926).
declare -A kernel_arch
kernel_arch[armv5te]=armv7
kernel_arch[armv6]=armv7
# Extra libraries of the clone differential: ARMv5TE and plain ARMv6 have
# no 64-bit atomics (ldrexd is ARMv6K; libatomic's come from the kernel's
# cmpxchg64 helper).
declare -A diff_libs
diff_libs[armv5te]=-latomic
diff_libs[armv6]=-latomic
diff_libs[mipsel]=-latomic
add_arch riscv64     trixie   riscv64     qemu-system-misc
add_arch powerpc64le bookworm powerpc64le qemu-system-ppc
add_arch s390x       bookworm s390x       qemu-system-misc
add_arch x32         bookworm amd64       qemu-system-x86
# The Debian architecture of the kernel and busybox packages, where it is
# not the programs' own: x32 programs run on the amd64 kernel (booted with
# syscall.x32=y, as Debian's is built with CONFIG_X86_X32_ABI but off by
# default), next to amd64's busybox.
declare -A pkg_arch
pkg_arch[x32]=amd64
add_arch mips64el    bookworm 5kc-malta   qemu-system-mips
add_arch mipsel      bookworm 4kc-malta   qemu-system-mips
# arch: why no Debian kernel boots it here, printed as its one SKIP row
# (README's architecture table says the same).
declare -A no_kernel
no_kernel_arch() { no_kernel[$1]=$2; }
no_kernel_arch powerpc   "no Debian kernel: powerpc is a debian-ports architecture, in no Debian suite (bookworm, trixie, sid), and a ppc64el kernel loads no big-endian program"
no_kernel_arch powerpc64 "no Debian kernel: ppc64 (big-endian) is a debian-ports architecture, in no Debian suite (bookworm, trixie, sid), and a ppc64el kernel loads no big-endian program"
no_kernel_arch mips   "no big-endian mips kernel in Debian since buster (10); qemu-user only (c-tests/cross.sh mips)"
no_kernel_arch mips64 "Debian never had a big-endian mips64 kernel; qemu-user only (c-tests/cross.sh mips64)"
no_kernel_arch sparc64 "no Debian kernel boots here: sparc64 kernels are on debian-ports (another archive and keyring) and need qemu-system-sparc's sun4u machine (not attempted)"
# loongarch64: sid's kernel (Debian 12 has none), qemu-system and firmware
# fetched by c-tests/lib.sh (loong64_vm_fetch), no Debian 12 package.
add_arch loongarch64 sid      loong64     none

# The qemu command line for a kernel and an initramfs (console on stdio),
# into the array qcmd.
qemu_cmd() { # arch kernel initrd
    local a=$1 append="panic=-1 quiet sched_clone_timeout=$test_timeout"
    local common=(-m 1024 -smp "$smp" -nographic -nic none -no-reboot -kernel "$2" -initrd "$3")
    case $a in
    aarch64) qcmd=(qemu-system-aarch64 -M virt -cpu max "${common[@]}" -append "console=ttyAMA0 $append") ;;
    armv7 | armv5te | armv6) qcmd=(qemu-system-arm -M virt -cpu max "${common[@]}" -append "console=ttyAMA0 $append") ;;
    riscv64) qcmd=(qemu-system-riscv64 -M virt -cpu rv64 -bios default "${common[@]}" -append "console=ttyS0 $append") ;;
    powerpc64le)
        # TCG implements none of the speculation mitigations pseries
        # asks for by default; say so instead of getting a warning each.
        qcmd=(qemu-system-ppc64 -M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off
            -cpu power9 -vga none "${common[@]}" -append "console=hvc0 $append") ;;
    x32)
        # TCG, as for the others (here, with KVM, bookworm's kernel hung
        # in early boot, silent); SCHED_CLONE_VM_KVM=1 asks for KVM.
        local accel=(-accel tcg -cpu max)
        [ "${SCHED_CLONE_VM_KVM:-0}" = 1 ] && accel=(-accel kvm -cpu host)
        qcmd=(qemu-system-x86_64 -M q35 "${accel[@]}" -vga none "${common[@]}"
            -append "console=ttyS0 syscall.x32=y $append") ;;
    s390x) qcmd=(qemu-system-s390x -M s390-ccw-virtio -cpu max "${common[@]}" -append "console=ttysclp0 $append") ;;
    # Debian's malta kernels are uniprocessor: one CPU.
    mips64el | mipsel)
        local malta=(-m 1024 -smp 1 -nographic -nic none -no-reboot -kernel "$2" -initrd "$3")
        if [ "$a" = mips64el ]; then qcmd=(qemu-system-mips64el -M malta -cpu 5KEf)
        else qcmd=(qemu-system-mipsel -M malta -cpu 24Kf); fi
        qcmd+=("${malta[@]}" -append "console=ttyS0 $append") ;;
    loongarch64)
        qcmd=("$loong64_vm/root/usr/bin/qemu-system-loongarch64" -L "$loong64_vm/root/usr/share/qemu" -M virt
            -cpu la464 -bios "$loong64_vm/root/usr/share/qemu-efi-loongarch64/QEMU_EFI.fd" "${common[@]}"
            -append "console=ttyS0 $append") ;;
    esac
}

select_arches vm.sh "$@"

# --- host packages ---------------------------------------------------------
need_pkgs=(rustc-web cargo-web rust-web-src cpio gzip)
for a in "${arches[@]}"; do
    [ -z "${no_kernel[$a]-}" ] || continue
    need_pkgs+=($(pkgs_of "$a"))
    [ "${qemu_pkg[$a]}" = none ] || need_pkgs+=("${qemu_pkg[$a]}")
    [ "$a" != riscv64 ] || need_pkgs+=(opensbi)
done
ensure_packages vm.sh "${need_pkgs[@]}"

# --- kernels and busybox: a private apt configuration ----------------------
adir=$vdir/apt
apt_opts=(-o "Dir::Etc::SourceList=$adir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
    -o "Dir::State::Lists=$adir/lists" -o "Dir::Cache=$adir/cache" -o "Dir::State::status=$adir/status"
    -o "APT::Architecture=$(dpkg --print-architecture)" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
apt_ready=
apt_setup() {
    [ -z "$apt_ready" ] || return 0
    mkdir -p "$adir/lists/partial" "$adir/cache/archives/partial"
    : >"$adir/status"
    local a list=""
    for a in $all_arches; do
        [ -z "${no_kernel[$a]-}" ] || continue
        list+="deb [arch=${pkg_arch[$a]:-${deb_arch[$a]}} signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian ${suite[$a]} main"$'\n'
    done
    printf '%s' "$list" >"$adir/sources.list.new"
    # Refresh the indexes when the list changed or is a day old.
    if ! cmp -s "$adir/sources.list.new" "$adir/sources.list" ||
        [ -n "$(find "$adir/sources.list" -mtime +0 2>/dev/null)" ]; then
        mv "$adir/sources.list.new" "$adir/sources.list"
        echo "vm.sh: apt-get update (private configuration in $adir)" >&2
        apt-get "${apt_opts[@]}" update -q >"$adir/update.log" 2>&1 ||
            { echo "vm.sh: apt-get update failed: see $adir/update.log" >&2; return 1; }
    else
        rm -f "$adir/sources.list.new"
    fi
    apt_ready=1
}
# Downloads and unpacks a package for an architecture into a directory,
# once (the directory is the cache).
fetch_deb() { # arch package dest
    local a=$1 p=$2 dest=$3 deb da=${pkg_arch[$1]:-${deb_arch[$1]}}
    [ -e "$dest/.done" ] && return 0
    apt_setup || return 1
    rm -rf "$dest" "$dest.dl"; mkdir -p "$dest.dl"
    (cd "$dest.dl" && apt-get "${apt_opts[@]}" download -q "$p:$da") >"$dest.log" 2>&1 ||
        { echo "vm.sh: apt-get download $p:$da failed (see $dest.log)" >&2; return 1; }
    deb=$(ls "$dest.dl"/*.deb | head -n 1)
    mkdir -p "$dest" && dpkg-deb -x "$deb" "$dest" && rm -rf "$dest.dl" && touch "$dest/.done"
}
# The kernel image of an architecture (prints its path).
kernel_of() { # arch
    local a=$1 meta dep dest img da=${pkg_arch[$1]:-${deb_arch[$1]}}
    dest=$vdir/kernel-$a
    if [ ! -e "$dest/.done" ]; then
        apt_setup || return 1
        meta=linux-image-${flavour[$a]}
        dep=$(apt-cache "${apt_opts[@]}" show --no-all-versions "$meta:$da" 2>/dev/null |
            sed -n 's/^Depends: \(.*, \)\{0,1\}\(linux-image-[^ ,]*\).*/\2/p' | head -n 1)
        [ -n "$dep" ] || { echo "vm.sh: no $meta:$da in ${suite[$a]}" >&2; return 1; }
        # sid's linux-image-VERSION is itself a metapackage; the image is in
        # linux-binary-VERSION (usr/lib/modules/VERSION/vmlinuz).
        [ "${suite[$a]}" != sid ] || dep=${dep/#linux-image-/linux-binary-}
        fetch_deb "$a" "$dep" "$dest" || return 1
    fi
    # aarch64 and riscv64: Image (EFI stub, bootable directly); armv7: zImage;
    # powerpc64le: vmlinux (ELF); s390x: bzImage-like image.
    img=$(ls "$dest"/boot/vmlinu[xz]-* "$dest"/usr/lib/modules/*/vmlinuz 2>/dev/null | head -n 1)
    [ -n "$img" ] || { echo "vm.sh: no kernel image in $dest/boot" >&2; return 1; }
    echo "$img"
}

# --- results ---------------------------------------------------------------
declare -A vmtime

# Copies the shared libraries a dynamic program needs from the sysroot.
copy_libs() { # arch exe rootfs
    local readelf sysroot interp lib
    readelf=$(tool_of "$1" readelf); sysroot=$(sysroot_of "$1")
    interp=$("$readelf" -lW "$2" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
    # (the sysroot holds it at the same path, or in lib/: mips64el's is lib64/ld.so.1)
    [ -n "$interp" ] && [ ! -e "$3$interp" ] && mkdir -p "$3$(dirname "$interp")" &&
        { cp -L "$sysroot$interp" "$3$interp" 2>/dev/null || cp -L "$sysroot/lib/$(basename "$interp")" "$3$interp"; }
    for lib in $("$readelf" -dW "$2" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        [ -e "$3/lib/$lib" ] || cp -L "$sysroot/lib/$lib" "$3/lib/$lib"
    done
}

# SCHED_CLONE_VM_ONLY="NAME..." (rows as printed: NAME, proof/differential,
# proof/clone3_differential): build and run only those (a quicker check).
vm_only() { # row
    [ -z "${SCHED_CLONE_VM_ONLY:-}" ] && return 0
    case " $SCHED_CLONE_VM_ONLY " in *" $1 "*) return 0 ;; esac
    return 1
}

run_arch() {
    local a=$1 t=${rust_target[$1]} tr=${triple[$1]}
    local build=$vdir/$a lib=$tdir/${rust_target[$1]}/release/libsched_clone.a
    local rootfs=$vdir/$a/rootfs kernel bb src name tags exe mode shown
    pass[$a]=0; fail[$a]=0; skip[$a]=0; vmtime[$a]=-
    echo "== $a ($t)"
    if [ -n "${no_kernel[$a]-}" ]; then record "$a" SKIP vm "${no_kernel[$a]}"; return; fi
    local cc strip
    prepare_arch "$a" || { record "$a" FAIL vm "no cross toolchain (see above)"; return; }
    [ "$a" != loongarch64 ] || loong64_vm_fetch || { record "$a" FAIL vm "no qemu-system (see above)"; return; }
    cc=$(cc_of "$a"); strip=$(tool_of "$a" strip)
    mkdir -p "$build"
    if ! build_staticlib "$a" "$build/cargo.log"; then
        record "$a" FAIL library "not built: cargo failed"
        sed 's/^/        | /' "$build/cargo.log" | grep -v '^        |  *Compiling' | tail -n 25
        return
    fi
    if ! kernel=$(kernel_of "${kernel_arch[$a]:-$a}"); then record "$a" FAIL vm "no kernel"; return; fi
    if ! fetch_deb "$a" busybox-static "$vdir/busybox-$a"; then record "$a" FAIL vm "no busybox"; return; fi
    bb=$(find "$vdir/busybox-$a" -type f -name busybox -perm -u+x | head -n 1)

    rm -rf "$rootfs"; mkdir -p "$rootfs/tests" "$rootfs/timeouts" "$rootfs/bin" "$rootfs/lib"
    # n64's loader (/lib64/ld.so.1) searches /lib64: the same directory.
    [ "$a" != mips64el ] || ln -s lib "$rootfs/lib64"
    # x32's loader and library directory is /libx32.
    [ "$a" != x32 ] || ln -s lib "$rootfs/libx32"
    if ! $cc -static -O1 -Wall -Wextra -Werror -o "$rootfs/init" "$here/vm/init.c" >"$build/init.build.log" 2>&1; then
        record "$a" FAIL vm "init does not build"; sed 's/^/        | /' "$build/init.build.log" | head -n 20; return
    fi
    cp "$bb" "$rootfs/bin/busybox"
    for name in cat sh true; do ln "$rootfs/bin/busybox" "$rootfs/bin/$name"; done

    for src in "$here"/*.c; do
        name=$(basename "$src" .c)
        tags=" $(tags_of "$src") "
        case $tags in
        *" cross-$a "*) modes="static" ;;
        *" cross-"*) continue ;;
        *" manual "*) continue ;;
        *) modes="fully-static static" ;;
        esac
        vm_only "$name" || continue
        for mode in $modes; do
            if [ "$mode" = fully-static ]; then
                exe=$rootfs/tests/$name
                $cc $CFLAGS ${arch_cflags[$a]-} -static -DSCHED_CLONE_MODE_FULLY_STATIC -I"$root/include" -o "$exe" "$src" "$lib" \
                    >"$build/$name.$mode.build.log" 2>&1
            else
                exe=$rootfs/tests/static~$name
                $cc $CFLAGS ${arch_cflags[$a]-} -DSCHED_CLONE_MODE_STATIC -I"$root/include" -o "$exe" "$src" "$lib" -ldl \
                    >"$build/$name.$mode.build.log" 2>&1 && copy_libs "$a" "$exe" "$rootfs"
            fi
            if [ $? -ne 0 ]; then
                shown=${exe##*/}; record "$a" FAIL "${shown/\~//}" "does not build"
                sed 's/^/        | /' "$build/$name.$mode.build.log" | head -n 10
                rm -f "$exe"
                continue
            fi
            "$strip" --strip-debug "$exe"
        done
    done
    # The clone3 differential, with the number of cases built in (/init
    # passes no arguments) and a timeout of its own.
    exe=$rootfs/tests/proof~clone3_differential
    if ! vm_only proof/clone3_differential; then :
    elif $cc $CFLAGS ${arch_cflags[$a]-} -O2 -static -DSCHED_CLONE_MODE_FULLY_STATIC \
        -DCLONE3_DIFF_DEFAULT_CASES="${SCHED_CLONE_VM_DIFF_CASES:-2000}" \
        -DCLONE3_DIFF_DEFAULT_SEED="${SCHED_CLONE_VM_DIFF_SEED:-20261202}ULL" -I"$root/include" \
        -o "$exe" "$here/proof/clone3_differential.c" "$lib" >"$build/clone3_differential.build.log" 2>&1; then
        "$strip" --strip-debug "$exe"
        echo "${SCHED_CLONE_VM_DIFF_TIMEOUT:-1800}" >"$rootfs/timeouts/proof~clone3_differential"
    else
        record "$a" FAIL proof/clone3_differential "does not build"
        sed 's/^/        | /' "$build/clone3_differential.build.log" | head -n 10
        rm -f "$exe"
    fi
    # The clone differential (ours against this architecture's glibc clone):
    # our archive in a dynamic program, glibc's clone from the sysroot's
    # libc.so.6; SCHED_CLONE_VM_CLONE_DIFF_CASES cases built in, from the
    # fixed seed SCHED_CLONE_VM_CLONE_DIFF_SEED (make test is reproducible;
    # 0 takes the seed from the clock, as make proof-long does).
    exe=$rootfs/tests/proof~differential
    if ! vm_only proof/differential; then :
    elif $cc $CFLAGS ${arch_cflags[$a]-} -O2 -DSCHED_CLONE_MODE_STATIC \
        -DDIFF_DEFAULT_CASES="${SCHED_CLONE_VM_CLONE_DIFF_CASES:-2000}" \
        -DDIFF_DEFAULT_SEED="${SCHED_CLONE_VM_CLONE_DIFF_SEED:-20261202}" -I"$root/include" \
        -o "$exe" "$here/proof/differential.c" "$lib" -ldl ${diff_libs[$a]-} >"$build/differential.build.log" 2>&1; then
        "$strip" --strip-debug "$exe"
        copy_libs "$a" "$exe" "$rootfs"
        echo "${SCHED_CLONE_VM_DIFF_TIMEOUT:-1800}" >"$rootfs/timeouts/proof~differential"
    else
        record "$a" FAIL proof/differential "does not build"
        sed 's/^/        | /' "$build/differential.build.log" | head -n 10
        rm -f "$exe"
    fi
    # Extra prebuilt programs (SCHED_CLONE_VM_EXTRA=DIR: DIR/<arch>/*).
    local extra=${SCHED_CLONE_VM_EXTRA:-}
    if [ -n "$extra" ] && [ -d "$extra/$a" ]; then
        for src in "$extra/$a"/*; do
            name=$(basename "$src")
            case $name in *.timeout) continue ;; esac
            [ -f "$src" ] && [ -x "$src" ] || continue
            cp "$src" "$rootfs/tests/extra~$name"
            copy_libs "$a" "$rootfs/tests/extra~$name" "$rootfs"
            [ -f "$src.timeout" ] && cp "$src.timeout" "$rootfs/timeouts/extra~$name"
        done
    fi
    (cd "$rootfs" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$build/initramfs.cpio.gz"

    local t0 t1 rc serial=$build/serial.log
    qemu_cmd "$a" "$kernel" "$build/initramfs.cpio.gz"
    echo "   ${qcmd[*]}" | sed "s@$tbase@\$CARGO_TARGET_DIR@g"
    t0=$(date +%s)
    timeout -k 5 "$vm_timeout" "${qcmd[@]}" </dev/null >"$serial" 2>&1 &
    local qpid=$! grace=0
    # The guest powers itself off after "vm: done". Should the power-off
    # hang (seen once on s390x under TCG), stop qemu after 10 seconds: the
    # results are all on the console by then.
    while kill -0 "$qpid" 2>/dev/null; do
        if grep -q '^vm: done' "$serial" 2>/dev/null; then
            grace=$((grace + 1))
            [ $grace -le 20 ] || { echo "   (the guest did not power off; qemu stopped)"; kill "$qpid"; break; }
        fi
        sleep 0.5
    done
    wait "$qpid"
    rc=$?
    t1=$(date +%s)
    vmtime[$a]=$((t1 - t0))
    tr -d '\r' <"$serial" >"$serial.txt"
    local line st rest detail
    while IFS= read -r line; do
        case $line in
        "PASS "* | "FAIL "* | "SKIP "*)
            st=${line%% *}; rest=${line#* }; name=${rest%% *}
            detail=""; [ "$rest" = "$name" ] || { detail=${rest#* (}; detail=${detail%)}; }
            record "$a" "$st" "${name/\~//}" "$detail" ;;
        "    | "*) echo "      $line" ;;
        "vm: start"*) echo "   ${line#vm: }" ;;
        esac
    done <"$serial.txt"
    if ! grep -q '^vm: done$' "$serial.txt"; then
        record "$a" FAIL vm "did not finish (qemu exit $rc after ${vmtime[$a]}s): see $serial"
        grep -v '^vm: time ' "$serial.txt" | tail -n 30 | sed 's/^/        | /'
    elif [ "${fail[$a]}" -gt 0 ] && grep -qE 'Kernel panic|Oops|BUG:|Unable to handle|unhandled|segfault' "$serial.txt"; then
        # What the kernel said about crashes (a test that died may have said
        # nothing; tests that make a child fault on purpose add lines too).
        grep -E 'Kernel panic|Oops|BUG:|Unable to handle|unhandled|segfault' "$serial.txt" |
            head -n 20 | sed 's/^/      kernel: /'
    fi
    echo "   $(grep -m1 '^vm: [0-9]* passed' "$serial.txt"); VM ${vmtime[$a]}s"
}

for a in "${arches[@]}"; do run_arch "$a"; done

echo
printf '%-12s %6s %6s %6s %8s\n' arch passed failed skipped vm-time
tp=0; tf=0; ts=0
for a in "${arches[@]}"; do
    printf '%-12s %6d %6d %6d %7ss\n' "$a" "${pass[$a]}" "${fail[$a]}" "${skip[$a]}" "${vmtime[$a]}"
    tp=$((tp + pass[$a])); tf=$((tf + fail[$a])); ts=$((ts + skip[$a]))
done
for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
echo "vm: $tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ]
