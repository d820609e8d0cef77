#!/usr/bin/env bash
# Builds every C test in c-tests/*.c in each link mode and runs it.
#
#   dynamic       cc $(pkg-config --cflags --libs sched_clone), from an install
#                 into a temporary prefix
#   static        libsched_clone.a linked into a dynamically linked program
#   fully-static  cc -static $(pkg-config --static --cflags --libs sched_clone)
#   preload       a program linked only against glibc, run with
#                 LD_PRELOAD=libsched_clone.so
#   musl          musl-gcc -static with libsched_clone.a, for the tests
#                 tagged `musl`
#
# A test file may carry one tag line:  /* sched-clone-test: TAG ... */
#   musl              also run under musl
#   no-fully-static   skip the fully-static mode (says why in the test)
#   manual            not run by this script (e.g. benchmarks)
#
# Exit status of a test: 0 pass, 77 skip, anything else fail.
# Usage: c-tests/run.sh [TEST_NAME ...]   (default: all)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${SCHED_CLONE_OUT:-$root/target/capi}
build=$here/build
timeout_s=${SCHED_CLONE_TEST_TIMEOUT:-120}
CC=${CC:-cc}
CFLAGS="-O1 -g -Wall -Wextra -Werror"

[ -f "$out/lib/libsched_clone.a" ] || { echo "run.sh: no $out/lib/libsched_clone.a; run 'make' first" >&2; exit 2; }

# Install into a temporary prefix: the dynamic and fully-static modes use
# only what `make install` and pkg-config give a user.
prefix=$build/prefix
rm -rf "$prefix"
make -s -C "$root" install PREFIX="$prefix" >/dev/null || { echo "run.sh: make install failed" >&2; exit 2; }
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
pc_cflags=$(pkg-config --cflags sched_clone) || exit 2
pc_libs=$(pkg-config --libs sched_clone) || exit 2
pc_static=$(pkg-config --static --cflags --libs sched_clone) || exit 2
libdir=$(pkg-config --variable=libdir sched_clone)

have_musl=0
command -v musl-gcc >/dev/null 2>&1 && have_musl=1

declare -A pass fail skip
modes="dynamic static fully-static preload musl"
for m in $modes; do pass[$m]=0; fail[$m]=0; skip[$m]=0; done
failures=()

tags_of() { sed -n 's@.*/\* sched-clone-test:\(.*\)\*/.*@\1@p' "$1" | head -n 1; }

compile() { # mode src exe
    local mode=$1 src=$2 exe=$3
    case $mode in
    dynamic)      $CC $CFLAGS -DSCHED_CLONE_MODE_DYNAMIC -o "$exe" "$src" $pc_cflags $pc_libs -Wl,-rpath,"$libdir" -ldl ;;
    static)       $CC $CFLAGS -DSCHED_CLONE_MODE_STATIC -o "$exe" "$src" $pc_cflags "$libdir/libsched_clone.a" -ldl ;;
    fully-static) $CC $CFLAGS -static -DSCHED_CLONE_MODE_FULLY_STATIC -o "$exe" "$src" $pc_static ;;
    preload)      $CC $CFLAGS -DSCHED_CLONE_MODE_PRELOAD -o "$exe" "$src" $pc_cflags -ldl ;;
    musl)         musl-gcc $CFLAGS -static -DSCHED_CLONE_MODE_FULLY_STATIC -o "$exe" "$src" -I"$root/include" "$libdir/libsched_clone.a" ;;
    esac
}

run_one() { # mode name exe
    local mode=$1 name=$2 exe=$3 log=$build/$1/$2.log rc
    if [ "$mode" = preload ]; then
        (cd "$build/$mode" && LD_PRELOAD="$libdir/libsched_clone.so" timeout -k 5 "$timeout_s" "$exe") >"$log" 2>&1
    else
        (cd "$build/$mode" && timeout -k 5 "$timeout_s" "$exe") >"$log" 2>&1
    fi
    rc=$?
    if [ $rc -eq 0 ]; then
        pass[$mode]=$((pass[$mode] + 1)); printf '  PASS  %-13s %s\n' "$mode" "$name"
    elif [ $rc -eq 77 ]; then
        skip[$mode]=$((skip[$mode] + 1)); printf '  SKIP  %-13s %s (%s)\n' "$mode" "$name" "$(grep -m1 '^SKIP:' "$log" | cut -c7-)"
    else
        fail[$mode]=$((fail[$mode] + 1)); failures+=("$mode/$name")
        printf '  FAIL  %-13s %s (exit %d)\n' "$mode" "$name" "$rc"; sed 's/^/        | /' "$log" | tail -n 15
    fi
}

if [ $# -gt 0 ]; then
    srcs=(); for n in "$@"; do srcs+=("$here/${n%.c}.c"); done
else
    srcs=("$here"/*.c)
fi

for m in $modes; do mkdir -p "$build/$m"; done
for src in "${srcs[@]}"; do
    name=$(basename "$src" .c)
    tags=" $(tags_of "$src") "
    case $tags in *" manual "*) continue ;; esac
    for m in $modes; do
        case $m in
        fully-static) case $tags in *" no-fully-static "*) continue ;; esac ;;
        musl) [ $have_musl = 1 ] || continue; case $tags in *" musl "*) ;; *) continue ;; esac ;;
        esac
        exe=$build/$m/$name
        if ! compile "$m" "$src" "$exe" >"$build/$m/$name.build.log" 2>&1; then
            fail[$m]=$((fail[$m] + 1)); failures+=("$m/$name (build)")
            printf '  FAIL  %-13s %s (does not build)\n' "$m" "$name"; sed 's/^/        | /' "$build/$m/$name.build.log" | head -n 20
            continue
        fi
        run_one "$m" "$name" "$exe"
    done
done

# The library binary itself: exports, soname, stack, CET.
bash "$here/binary-checks.sh" "$libdir"
bc=$?

echo
printf '%-13s %6s %6s %6s\n' mode passed failed skipped
tp=0; tf=0; ts=0
for m in $modes; do
    printf '%-13s %6d %6d %6d\n' "$m" "${pass[$m]}" "${fail[$m]}" "${skip[$m]}"
    tp=$((tp + pass[$m])); tf=$((tf + fail[$m])); ts=$((ts + skip[$m]))
done
[ $bc -eq 0 ] || { tf=$((tf + 1)); failures+=("binary-checks"); }
[ $have_musl = 1 ] || echo "note: musl-gcc not found; the musl mode did not run"
for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
echo "c-tests: $tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ]
