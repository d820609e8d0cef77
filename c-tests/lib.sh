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
base_arch riscv64     riscv64gc-unknown-linux-gnu   riscv64-linux-gnu     riscv64
base_arch powerpc64le powerpc64le-unknown-linux-gnu powerpc64le-linux-gnu ppc64el
base_arch s390x       s390x-unknown-linux-gnu       s390x-linux-gnu       s390x
base_arch sparc64     sparc64-unknown-linux-gnu     sparc64-linux-gnu     sparc64
base_arch loongarch64 loongarch64-unknown-linux-gnu loongarch64-linux-gnu loong64

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
        arm64) arches+=(aarch64) ;;
        ppc64le | ppc64el) arches+=(powerpc64le) ;;
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
