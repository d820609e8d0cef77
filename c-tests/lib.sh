# Shared by c-tests/cross.sh and c-tests/vm.sh (sourced, not run): the
# architecture table, argument parsing, package installation, the staticlib
# build and the result bookkeeping.

# A test file's tags: its line  /* sched-clone-test: TAG ... */
tags_of() { sed -n 's@.*/\* sched-clone-test:\(.*\)\*/.*@\1@p' "$1" | head -n 1; }

# arch: Rust target, gcc triple, Debian architecture.
declare -A rust_target triple deb_arch
base_arch() { rust_target[$1]=$2; triple[$1]=$3; deb_arch[$1]=$4; }
base_arch i686        i686-unknown-linux-gnu        i686-linux-gnu        i386
base_arch aarch64     aarch64-unknown-linux-gnu     aarch64-linux-gnu     arm64
base_arch armv7       armv7-unknown-linux-gnueabihf arm-linux-gnueabihf   armhf
base_arch armv5te     armv5te-unknown-linux-gnueabi arm-linux-gnueabi     armel
base_arch armv6       arm-unknown-linux-gnueabihf   arm-linux-gnueabihf   armhf
# The C compiler's flags for an architecture whose Debian cross gcc
# defaults to another: armv6 (ARMv6 + VFPv2, hard-float) with armhf's gcc
# (ARMv7, Thumb-2) and sysroot.
declare -A arch_cflags
arch_cflags[armv6]="-march=armv6+fp -marm"
base_arch riscv64     riscv64gc-unknown-linux-gnu   riscv64-linux-gnu     riscv64
base_arch powerpc64le powerpc64le-unknown-linux-gnu powerpc64le-linux-gnu ppc64el
base_arch s390x       s390x-unknown-linux-gnu       s390x-linux-gnu       s390x
base_arch x32         x86_64-unknown-linux-gnux32   x86_64-linux-gnux32   x32
base_arch powerpc     powerpc-unknown-linux-gnu     powerpc-linux-gnu     powerpc
base_arch powerpc64   powerpc64-unknown-linux-gnu   powerpc64-linux-gnu   ppc64
base_arch mips64el    mips64el-unknown-linux-gnuabi64 mips64el-linux-gnuabi64 mips64el
base_arch mipsel      mipsel-unknown-linux-gnu      mipsel-linux-gnu      mipsel
base_arch mips        mips-unknown-linux-gnu        mips-linux-gnu        mips
base_arch mips64      mips64-unknown-linux-gnuabi64 mips64-linux-gnuabi64 mips64
base_arch sparc64     sparc64-unknown-linux-gnu     sparc64-linux-gnu     sparc64
base_arch loongarch64 loongarch64-unknown-linux-gnu loongarch64-linux-gnu loong64

# Per-architecture tool overrides, for an architecture Debian 12 has no
# cross gcc or binutils for (loongarch64): its C compiler command
# (cc_of, default $triple-gcc), its binutils (tool_of ARCH TOOL, default
# $triple-TOOL), the sysroot qemu-user loads from (sysroot_of, default
# /usr/$triple), its qemu-user (qemu_of ARCH DEFAULT) and the Debian
# packages it needs instead of gcc-$triple and libc6-dev-$deb_arch-cross
# (pkgs_of). prepare_arch fetches what the overrides name.
declare -A cross_cc cross_tools cross_sysroot cross_qemu cross_pkgs
cc_of() { echo "${cross_cc[$1]:-${triple[$1]}-gcc}"; }
tool_of() { # arch tool
    case " ${cross_tools[$1]:-} " in
    *" $2=llvm "*) echo "llvm-$2-19" ;;
    *" $2=host "*) echo "$2" ;; # GNU binutils' readelf reads any ELF machine
    *) echo "${triple[$1]}-$2" ;;
    esac
}
sysroot_of() { echo "${cross_sysroot[$1]:-/usr/${triple[$1]}}"; }
qemu_of() { echo "${cross_qemu[$1]:-$2}"; } # arch default
pkgs_of() { echo "${cross_pkgs[$1]:-gcc-${triple[$1]//_/-} libc6-dev-${deb_arch[$1]}-cross}"; }
prepare_arch() { # arch
    case $1 in loongarch64) loong64_fetch ;; esac
}

# loongarch64: no cross gcc in Debian 12. sid's arch-all cross sysroot
# packages (glibc, kernel headers, libgcc) and sid's qemu-user (static-pie
# binaries, so they run on Debian 12; 7.2 lacks LSX, which sid's glibc
# uses, and bookworm-backports' 10.0 deadlocks in a fork-like child after a
# thread has exited, glibc's own clone included) are fetched with a private apt
# configuration into $xdeps (apt-get download + dpkg-deb -x, as vm.sh does
# for kernels); Debian 12's clang-19 and lld-19 compile and link, LLVM 19's
# binutils read the objects.
xdeps=${CARGO_TARGET_DIR:-$root/target}/cross-deps
case $xdeps in /*) ;; *) xdeps=$root/$xdeps ;; esac
loong64_root=$xdeps/loong64/root
# (-fno-omit-frame-pointer: entry_sp_probe's caller needs a frame pointer,
# which gcc's optimize attribute gives it elsewhere; clang has no such attribute.)
cross_cc[loongarch64]="clang-19 --target=loongarch64-linux-gnu --sysroot=$loong64_root -fuse-ld=lld -fno-omit-frame-pointer"
cross_tools[loongarch64]="ar=llvm nm=llvm objdump=llvm strip=llvm readelf=host"
cross_sysroot[loongarch64]=$loong64_root/usr/loongarch64-linux-gnu
cross_qemu[loongarch64]=$xdeps/loong64/qemu/usr/bin/qemu-loongarch64
cross_pkgs[loongarch64]="clang-19 lld-19 llvm-19 binutils"
loong64_fetch() {
    local d=$xdeps/loong64 p deb o
    [ -e "$d/.done" ] && return 0
    mkdir -p "$d/apt/lists/partial" "$d/apt/cache/archives/partial" "$d/dl"
    : >"$d/apt/status"
    echo "deb [arch=amd64,all signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" \
        >"$d/apt/sources.list"
    o=(-o "Dir::Etc::SourceList=$d/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
        -o "Dir::State::Lists=$d/apt/lists" -o "Dir::Cache=$d/apt/cache" -o "Dir::State::status=$d/apt/status"
        -o APT::Architecture=amd64 -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
    echo "loongarch64: fetching sid's cross sysroot and qemu-user into $d" >&2
    apt-get "${o[@]}" update -q >"$d/apt/update.log" 2>&1 ||
        { echo "loongarch64: apt-get update failed: see $d/apt/update.log" >&2; return 1; }
    rm -f "$d/dl"/*.deb
    (cd "$d/dl" && apt-get "${o[@]}" download -q libc6-loong64-cross/sid libc6-dev-loong64-cross/sid \
        linux-libc-dev-loong64-cross/sid linux-libc-dev/sid libgcc-s1-loong64-cross/sid \
        "libgcc-$(apt-cache "${o[@]}" show --no-all-versions libgcc-s1-loong64-cross | sed -n 's/^Version: \([0-9]*\)\..*/\1/p')-dev-loong64-cross/sid" \
        qemu-user/sid) >"$d/download.log" 2>&1 ||
        { echo "loongarch64: apt-get download failed: see $d/download.log" >&2; return 1; }
    rm -rf "$loong64_root" "$d/qemu"
    for deb in "$d/dl"/*.deb; do
        case $deb in */qemu-user_*) dpkg-deb -x "$deb" "$d/qemu" ;; *) dpkg-deb -x "$deb" "$loong64_root" ;; esac ||
            { echo "loongarch64: cannot unpack $deb" >&2; return 1; }
    done
    rm -f "$d/dl"/*.deb
    [ -x "${cross_qemu[loongarch64]}" ] || { echo "loongarch64: no qemu-loongarch64 in qemu-user" >&2; return 1; }
    touch "$d/.done"
}
# loongarch64 under a real kernel (c-tests/vm.sh): Debian 12's qemu 7.2
# loads only ELF kernels and Debian's loong64 kernel is an EFI image, so
# bookworm-backports' qemu-system-loongarch64 10 and sid's edk2 firmware
# (qemu-efi-loongarch64) boot it.
loong64_vm=$xdeps/loong64-vm
loong64_vm_fetch() {
    local d=$loong64_vm deb o
    [ -e "$d/.done" ] && return 0
    mkdir -p "$d/apt/lists/partial" "$d/apt/cache/archives/partial" "$d/dl"
    : >"$d/apt/status"
    printf '%s\n' \
        "deb [arch=amd64,all signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" \
        "deb [arch=amd64,all signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main" \
        >"$d/apt/sources.list"
    o=(-o "Dir::Etc::SourceList=$d/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
        -o "Dir::State::Lists=$d/apt/lists" -o "Dir::Cache=$d/apt/cache" -o "Dir::State::status=$d/apt/status"
        -o APT::Architecture=amd64 -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
    echo "loongarch64: fetching bookworm-backports' qemu-system-misc and sid's edk2 into $d" >&2
    apt-get "${o[@]}" update -q >"$d/apt/update.log" 2>&1 ||
        { echo "loongarch64: apt-get update failed: see $d/apt/update.log" >&2; return 1; }
    rm -f "$d/dl"/*.deb
    (cd "$d/dl" && apt-get "${o[@]}" download -q qemu-system-misc/bookworm-backports \
        qemu-system-common/bookworm-backports qemu-system-data/bookworm-backports \
        qemu-efi-loongarch64/sid) >"$d/download.log" 2>&1 ||
        { echo "loongarch64: apt-get download failed: see $d/download.log" >&2; return 1; }
    rm -rf "$d/root"
    for deb in "$d/dl"/*.deb; do
        dpkg-deb -x "$deb" "$d/root" || { echo "loongarch64: cannot unpack $deb" >&2; return 1; }
    done
    rm -f "$d/dl"/*.deb
    [ -x "$d/root/usr/bin/qemu-system-loongarch64" ] && [ -f "$d/root/usr/share/qemu-efi-loongarch64/QEMU_EFI.fd" ] ||
        { echo "loongarch64: no qemu-system-loongarch64 or QEMU_EFI.fd in $d/root" >&2; return 1; }
    touch "$d/.done"
}

# Fills `arches` from the command line ("all" means $all_arches), each once,
# in the order given; accepts Debian's and the kernel's spellings too.
select_arches() {
    local me=$1 a; shift
    usage() { echo "usage: $me all | ARCH... (ARCH: $all_arches)" >&2; exit 2; }
    [ $# -gt 0 ] || usage
    arches=()
    for a in "$@"; do
        case $a in
        all) arches+=($all_arches) ;;
        x86 | i386) arches+=(i686) ;;
        arm | armhf) arches+=(armv7) ;;
        armel) arches+=(armv5te) ;;
        arm64) arches+=(aarch64) ;;
        ppc64le | ppc64el) arches+=(powerpc64le) ;;
        ppc64) arches+=(powerpc64) ;;
        loong64) arches+=(loongarch64) ;;
        *) case " $all_arches " in *" $a "*) arches+=("$a") ;; *) usage ;; esac ;;
        esac
    done
    mapfile -t arches < <(printf '%s\n' "${arches[@]}" | awk '!seen[$0]++')
}

# Installs the Debian packages that are missing (as root; otherwise says so).
ensure_packages() { # script-name package...
    local me=$1 p missing=(); shift
    for p in $(printf '%s\n' "$@" | sort -u); do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "$me: missing packages: ${missing[*]} (run as root to install them)" >&2; exit 2
    fi
    echo "$me: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
        apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
            { echo "$me: could not install ${missing[*]}" >&2; exit 2; }
    fi
}

# Builds the no_std staticlib for an architecture with Debian's Rust (which
# ships the std sources -Zbuild-std needs) into $tdir/<target>/release;
# with more cfg names (sched_clone_musl: musl's ABI), built with those too,
# into $(staticlib_dir cfg...)/<target>/release.
build_staticlib() { # arch log [cfg...]
    local a=$1 log=$2 c cfgs=(--cfg sched_clone_capi); shift 2
    for c; do cfgs+=(--cfg "$c"); done
    (cd "$root" && CARGO_TARGET_DIR=$(staticlib_dir "$@") RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
        /usr/bin/cargo rustc --release --lib --no-default-features \
        --crate-type staticlib -Zbuild-std=core,panic_abort --target "${rust_target[$a]}" \
        -- "${cfgs[@]}") >"$log" 2>&1
}
staticlib_dir() { # [cfg...]
    local d=$tdir c
    for c; do d=$d-$c; done
    echo "$d"
}

# Results per architecture.
declare -A pass fail skip
failures=()
record() { # arch status name [detail]
    local a=$1 st=$2 name=$3 detail=${4-}
    case $st in
    PASS) pass[$a]=$((pass[$a] + 1)) ;;
    SKIP) skip[$a]=$((skip[$a] + 1)) ;;
    FAIL) fail[$a]=$((fail[$a] + 1)); failures+=("$a/$name${detail:+ ($detail)}") ;;
    esac
    printf '  %s  %-12s %s%s\n' "$st" "$a" "$name" "${detail:+ ($detail)}"
}
