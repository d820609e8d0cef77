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
