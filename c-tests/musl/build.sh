#!/usr/bin/env bash
# Builds musl from Debian's source package twice per architecture:
#
#   stock        musl as it is
#   sched_clone  musl with its own clone objects left out of libc.a and
#                libc.so (src/thread/ARCH/clone.s, the generic
#                src/thread/clone.c and the public src/linux/clone.c, which
#                would define `clone` a second time) and sched_clone's
#                object from the musl-ABI libsched_clone.a (built with
#                --cfg sched_clone_musl: musl's internal __clone contract,
#                see src/capi/musl.rs) linked in instead
#
# The sched_clone variant changes nothing in musl's sources: it appends to
# the config.mak that musl's configure writes (musl's Makefile reads it
# after its own variable definitions, for exactly this purpose):
#
#   MUSL_CLONE_OBJS = obj/src/thread/clone.o obj/src/thread/$(ARCH)/clone.o obj/src/linux/clone.o
#   LIBC_OBJS := $(filter-out $(MUSL_CLONE_OBJS),$(LIBC_OBJS)) /path/to/sched_clone.o
#
# with sched_clone's member of libsched_clone.a (ar x) copied to both
# /path/to/sched_clone.o and /path/to/sched_clone.lo: musl links its .lo
# (PIC) objects into libc.so, and into libc.a too when the compiler
# defaults to PIC (configure then writes AOBJS = $(LOBJS)); ours is PIC.
#
# It starts from a copy of the stock build tree, so only libc.a, libc.so
# and the wrapper are made again (the other objects are the same files).
#
#   c-tests/musl/build.sh all | ARCH...   (x86_64 i686 aarch64 armv7 riscv64
#                                          powerpc64le s390x)
#
# Output: $CARGO_TARGET_DIR/musl/ARCH/{stock,sched_clone}/prefix (bin/musl-gcc,
# include, lib with libc.a, libc.so, its link map libc.so.map and
# ld-musl-*.so.1), each with a .key
# file: a hash of its inputs (the source package, the build steps below,
# the compiler and its flags, and for sched_clone our object), so a build
# is reused until one of them changes.
# The source comes from `apt-get source musl` (bookworm: 1.2.3) through a
# private apt configuration under $CARGO_TARGET_DIR/musl/apt; musl's code is
# never part of this repository. Build times go to ARCH/VARIANT/seconds.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/musl.sh"

select_arches musl/build.sh "$@"
need_pkgs=(dpkg-dev rustc-web cargo-web rust-web-src)
for a in "${arches[@]}"; do [ "$a" = x86_64 ] || need_pkgs+=("gcc-${triple[$a]}"); done
ensure_packages musl/build.sh "${need_pkgs[@]}"

# --- the source package ------------------------------------------------------
fetch_source() {
    [ -e "$mdir/src/.done" ] && return 0
    local adir=$mdir/apt
    local opts=(-o "Dir::Etc::SourceList=$adir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
        -o "Dir::State::Lists=$adir/lists" -o "Dir::Cache=$adir/cache" -o "Dir::State::status=$adir/status"
        -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
    mkdir -p "$adir/lists/partial" "$adir/cache/archives/partial"
    : >"$adir/status"
    echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" \
        >"$adir/sources.list"
    rm -rf "$mdir/src"; mkdir -p "$mdir/src"
    { apt-get "${opts[@]}" update -q && (cd "$mdir/src" && apt-get "${opts[@]}" source -q "musl=$musl_version"); } \
        >"$mdir/source.log" 2>&1 || { echo "musl/build.sh: apt-get source musl failed (see $mdir/source.log)" >&2; return 1; }
    touch "$mdir/src/.done"
}

# --- one variant ---------------------------------------------------------------
key_of() { # arch variant [object]
    { cat "$mdir/src"/musl_*.dsc; declare -f build_variant; "${triple[$1]}-gcc" --version; echo "$2 ${cc_flags[$1]-}"
      [ -z "${3-}" ] || sha256sum <"$3"; } | sha256sum | cut -d' ' -f1
}

build_variant() { # arch variant
    local a=$1 v=$2 d=$mdir/$1/$2 tr=${triple[$1]} obj= key t0
    if [ "$v" = sched_clone ]; then
        obj=$mdir/$a/sched_clone.o
        extract_member "$a" "$obj" musl || return 1
        cmp -s "$obj" "${obj%.o}.lo" || cp "$obj" "${obj%.o}.lo"
    fi
    key=$(key_of "$a" "$v" $obj)
    if [ -e "$d/prefix/.key" ] && [ "$(cat "$d/prefix/.key")" = "$key" ]; then
        echo "   $a/$v: cached ($(cat "$d/seconds" 2>/dev/null)s when built)"; return 0
    fi
    t0=$(date +%s)
    rm -rf "$d"; mkdir -p "$d"
    if [ "$v" = stock ]; then
        mkdir -p "$d/build"
    else
        cp -a "$mdir/$a/stock/build" "$d/build" && rm -rf "$d/build/lib" "$d/build/obj/musl-gcc"
    fi
    (
        cd "$d/build" &&
        CC=$tr-gcc CFLAGS=${cc_flags[$a]-} "$musl_src/configure" --target="$tr" --prefix="$d/prefix" --syslibdir="$d/prefix/lib" &&
        echo "LDFLAGS += -Wl,-Map=lib/libc.so.map # which object each symbol of libc.so comes from" >>config.mak &&
        if [ "$v" = sched_clone ]; then
            cat >>config.mak <<EOF
# sched_clone: musl's clone objects out, sched_clone's in.
MUSL_CLONE_OBJS = obj/src/thread/clone.o obj/src/thread/\$(ARCH)/clone.o obj/src/linux/clone.o
LIBC_OBJS := \$(filter-out \$(MUSL_CLONE_OBJS),\$(LIBC_OBJS)) $obj
EOF
        fi &&
        make -j"${SCHED_CLONE_MUSL_JOBS:-2}" && make install && cp lib/libc.so.map "$d/prefix/lib/"
    ) >"$d/build.log" 2>&1 || { echo "musl/build.sh: $a/$v failed (see $d/build.log)" >&2; tail -n 20 "$d/build.log" >&2; return 1; }
    echo $(($(date +%s) - t0)) >"$d/seconds"
    echo "$key" >"$d/prefix/.key"
    echo "   $a/$v: built in $(cat "$d/seconds")s"
}

fetch_source || exit 1
musl_src=$(ls -d "$mdir/src"/musl-*/ | head -n 1)
rc=0
for a in "${arches[@]}"; do
    for v in stock sched_clone; do build_variant "$a" "$v" || { rc=1; break; }; done
done
exit $rc
