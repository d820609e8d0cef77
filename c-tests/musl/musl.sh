# Shared by c-tests/musl/*.sh (sourced): the architectures, the directories
# and sched_clone's object for each architecture. Needs $here and $root.

tbase=${CARGO_TARGET_DIR:-$root/target}
case $tbase in /*) ;; *) tbase=$root/$tbase ;; esac
tdir=$tbase/cross    # c-tests/cross.sh's staticlib builds, shared
mdir=$tbase/musl
musl_version=1.2.3-1 # Debian 12's

. "$root/c-tests/lib.sh"
# x86_64 is the host: its archive is the one `make` builds.
base_arch x86_64 x86_64-unknown-linux-gnu x86_64-linux-gnu amd64
all_arches="x86_64 i686 aarch64 armv7 riscv64 powerpc64le s390x"
# musl's powerpc64 port has a 64-bit long double; Debian's gcc defaults to
# IBM's 128-bit one (musl's configure: "unsupported long double type").
# musl is built with it and every program against it must be too (ABI).
declare -A cc_flags=([powerpc64le]=-mlong-double-64)
# qemu-user binary (none: the host runs it).
declare -A qemu
qemu=([x86_64]=none [i686]=none [aarch64]=qemu-aarch64 [armv7]=qemu-arm [riscv64]=qemu-riscv64
    [powerpc64le]=qemu-ppc64le [s390x]=qemu-s390x)

# The archive of an architecture (building it if need be): with "musl",
# the musl-ABI one (--cfg sched_clone_musl: musl's `__clone` contract, see
# src/capi/musl.rs), which the sched_clone build of musl links; without,
# the default one (glibc's ABI; on x86_64 the one `make` builds).
staticlib_of() { # arch [musl]
    local cfgs=()
    [ "${2-}" = musl ] && cfgs=(sched_clone_musl)
    if [ "$1" = x86_64 ] && [ ${#cfgs[@]} -eq 0 ]; then
        local lib=${SCHED_CLONE_OUT:-$tbase/capi}/lib/libsched_clone.a
        [ -f "$lib" ] || { echo "musl: no $lib; run 'make' first" >&2; return 1; }
        echo "$lib"
    else
        mkdir -p "$mdir/$1"
        build_staticlib "$1" "$mdir/$1/cargo${2:+-$2}.log" "${cfgs[@]}" ||
            { echo "musl: the ${2:+$2-ABI }staticlib for $1 did not build (see $mdir/$1/cargo${2:+-$2}.log)" >&2; return 1; }
        echo "$(staticlib_dir "${cfgs[@]}")/${rust_target[$1]}/release/libsched_clone.a"
    fi
}

# sched_clone's own member of the archive (not core's or compiler_builtins'),
# copied to `dest`; rewritten only when it changed.
extract_member() { # arch dest [musl]
    local lib tmp m
    lib=$(staticlib_of "$1" "${3-}") || return 1
    tmp=$(mktemp -d)
    m=$(cd "$tmp" && "${triple[$1]}-ar" t "$lib" | grep -E '^sched_clone([.-].*)?\.o$' | head -n 1)
    [ -n "$m" ] && (cd "$tmp" && "${triple[$1]}-ar" x "$lib" "$m") ||
        { echo "musl: no sched_clone member in $lib" >&2; rm -rf "$tmp"; return 1; }
    cmp -s "$tmp/$m" "$2" || cp "$tmp/$m" "$2"
    rm -rf "$tmp"
}
