#!/usr/bin/env bash
# glibc's own clone tests, built unmodified against sched_clone.
#
# The tests come from Debian's glibc source package (the version of the
# host's libc6 when the archive still has it, else the newest 2.36 of
# bookworm), fetched with `apt-get source --download-only` through a private
# apt configuration with deb-src lines ($tbase/peers/apt: the host's sources
# stay as they are) and unpacked with dpkg-source. Only the test files are
# kept, under $tbase/peers/glibc-VERSION/ (nothing of glibc is committed).
#
# Each test is compiled as glibc's tree has it, against our own test-support
# library (support/: the subset of glibc's support/ API these tests use),
# and linked in four modes, as c-tests/run.sh does:
#   dynamic       -lsched_clone (pkg-config, from a make install)
#   static        libsched_clone.a into a dynamic program
#   fully-static  cc -static with pkg-config --static
#   preload       linked against glibc only, run with LD_PRELOAD
#   fully-static-noclone3  the fully static program run under a seccomp
#                 filter that answers clone3 with ENOSYS: glibc's own
#                 pthread_create and posix_spawn then fall back to __clone,
#                 which in a static link is ours (the only way those reach us)
#
# Proof that a test reached our clone, per run (all must hold):
#   - the driver's assert_clone_is_ours (c-tests/common.h) before the test;
#   - the counting jumps (support/clone_counter.c, -Wl,--wrap=clone,__clone)
#     count the test's calls of clone/__clone in all its processes;
#   - dynamic, preload: LD_DEBUG=bindings shows every binding of `clone`
#     going to libsched_clone.so (LD_BIND_NOW: bound at load; the counts show the calls);
#   - static, fully static: the linker's --trace-symbol shows `clone` and
#     `__clone` defined by libsched_clone.a, not by libc.a.
# A test that calls no clone wrapper in a mode says so in its row ("does not
# reach our clone") and is not counted as a proof.
#
# Environment: CARGO_TARGET_DIR, SCHED_CLONE_OUT (as run.sh),
# SCHED_CLONE_TEST_TIMEOUT (seconds per test, default 60).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/peers-lib.sh"
build=$pdir/glibc-build
timeout_s=${SCHED_CLONE_TEST_TIMEOUT:-60}
CC=${CC:-cc}
me=glibc-tests

[ "$(uname -m)" = x86_64 ] || { echo "SKIP: $me runs on x86_64 hosts"; echo "$me: 0 passed, 0 failed, 1 skipped"; exit 0; }
[ -f "$out/lib/libsched_clone.a" ] || { echo "$me: no $out/lib/libsched_clone.a; run 'make' first" >&2; exit 2; }
ensure_packages "$me" dpkg-dev xz-utils gcc libc6-dev pkg-config

# test name: its path in glibc's tree, and whether it calls a clone wrapper
# itself (yes) or only through glibc's internals (no: pthread_create, fork).
tests="tst-clone tst-clone2 tst-clone3 tst-getpid1 tst-getpid3 tst-align-clone tst-misalign-clone tst-close_range"
declare -A path calls_clone
path[tst-clone]=sysdeps/unix/sysv/linux/tst-clone.c;                   calls_clone[tst-clone]=yes
path[tst-clone2]=sysdeps/unix/sysv/linux/tst-clone2.c;                 calls_clone[tst-clone2]=yes
path[tst-clone3]=sysdeps/unix/sysv/linux/tst-clone3.c;                 calls_clone[tst-clone3]=yes
path[tst-getpid1]=sysdeps/unix/sysv/linux/tst-getpid1.c;               calls_clone[tst-getpid1]=yes
path[tst-getpid3]=sysdeps/pthread/tst-getpid3.c;                       calls_clone[tst-getpid3]=no
path[tst-align-clone]=sysdeps/unix/sysv/linux/tst-align-clone.c;       calls_clone[tst-align-clone]=yes
path[tst-misalign-clone]=sysdeps/unix/sysv/linux/tst-misalign-clone.c; calls_clone[tst-misalign-clone]=yes
path[tst-close_range]=io/tst-close_range.c;                            calls_clone[tst-close_range]=yes # through xclone

# --- glibc's source: apt-get source through a private configuration --------
fetch_glibc_tests() { # prints the directory holding the test files
    local want have ver dest src
    want=$(dpkg-query -W -f '${Version}' libc6 2>/dev/null)
    peers_apt_setup "$pdir/apt" "deb-src" || return 1
    have=$(apt-cache "${peers_apt_opts[@]}" showsrc glibc 2>/dev/null | sed -n 's/^Version: //p')
    if printf '%s\n' "$have" | grep -qxF "$want"; then ver=$want
    else ver=$(printf '%s\n' "$have" | grep '^2\.36-' | sort -V | tail -n 1); fi
    [ -n "$ver" ] || { echo "$me: no glibc 2.36 source in bookworm" >&2; return 1; }
    dest=$pdir/glibc-$ver
    if [ ! -e "$dest/.done" ]; then
        rm -rf "$dest" "$pdir/glibc-src"; mkdir -p "$pdir/glibc-src" "$dest"
        echo "$me: apt-get source glibc=$ver" >&2
        (cd "$pdir/glibc-src" && apt-get "${peers_apt_opts[@]}" source --download-only -q "glibc=$ver" &&
            dpkg-source -x --no-check ./*.dsc tree) >"$pdir/glibc-src.log" 2>&1 ||
            { echo "$me: fetching glibc's source failed: see $pdir/glibc-src.log" >&2; return 1; }
        for t in $tests; do
            src=$pdir/glibc-src/tree/${path[$t]}
            [ -f "$src" ] || { echo "$me: $ver has no ${path[$t]}" >&2; return 1; }
            mkdir -p "$dest/$(dirname "${path[$t]}")" && cp "$src" "$dest/${path[$t]}"
        done
        (cd "$dest" && sha256sum $(for t in $tests; do echo "${path[$t]}"; done)) >"$dest/SHA256SUMS"
        rm -rf "$pdir/glibc-src"
        echo "$ver" >"$dest/.done"
    fi
    echo "$dest"
}
gsrc=$(fetch_glibc_tests) || { echo "  FAIL  glibc source not available"; echo "$me: 0 passed, 1 failed, 0 skipped"; exit 1; }
echo "$me: glibc $(cat "$gsrc/.done") tests from Debian's source package ($gsrc)"

# --- our library, installed as a user installs it ---------------------------
peers_install_prefix "$build/prefix" || exit 2
mkdir -p "$build"

modes="dynamic static fully-static preload fully-static-noclone3"
mode_macro() {
    case $1 in
    dynamic) echo SCHED_CLONE_MODE_DYNAMIC ;; static) echo SCHED_CLONE_MODE_STATIC ;;
    fully-static*) echo SCHED_CLONE_MODE_FULLY_STATIC ;; preload) echo SCHED_CLONE_MODE_PRELOAD ;;
    esac
}
link_mode() { # the link mode a run mode uses
    case $1 in fully-static-noclone3) echo fully-static ;; *) echo "$1" ;; esac
}
own_cflags="-O2 -g -Wall -Wextra -Werror"
# glibc compiles its tests as GNU C with _GNU_SOURCE; its code is compiled
# as it is, without our -Werror.
glibc_cflags="-std=gnu11 -O2 -g -D_GNU_SOURCE -Wall -Wno-unused-parameter"
inc=(-I"$here/support/include")
wrap=(-Wl,--wrap=clone -Wl,--wrap=__clone -Wl,--trace-symbol=clone -Wl,--trace-symbol=__clone)

# The support library, once per link mode.
build_support() { # link-mode
    local m=$1 d=$build/$1/support f objs=()
    mkdir -p "$d"
    for f in driver support descriptors clone_counter; do
        $CC $own_cflags -D"$(mode_macro "$m")" "${inc[@]}" $pc_cflags $([ "$m" = fully-static ] || echo -fPIE) \
            -c -o "$d/$f.o" "$here/support/$f.c" || return 1
        objs+=("$d/$f.o")
    done
}

link_test() { # link-mode src exe
    # The support objects, not an archive: the counting jump for __clone
    # must be there for libc.a's references even when the test has none.
    local m=$1 src=$2 exe=$3 sup=$build/$1/support
    local cc=($CC $glibc_cflags -D"$(mode_macro "$m")" "${inc[@]}" -o "$exe" "$src"
        "$sup"/{driver,support,descriptors,clone_counter}.o "${wrap[@]}")
    case $m in
    dynamic)      "${cc[@]}" $pc_libs -Wl,-rpath,"$libdir" -ldl -pthread ;;
    static)       "${cc[@]}" "$libdir/libsched_clone.a" -ldl -pthread ;;
    fully-static) "${cc[@]}" -static $pc_static -pthread ;;
    preload)      "${cc[@]}" -ldl -pthread ;;
    esac
}

# The binding proof of a run: prints a description, fails when `clone`
# bound (or was defined) anywhere but in our library.
binding_proof() { # mode exe log calls
    local m=$1 exe=$2 log=$3 calls=$4 lines bad
    case $m in
    dynamic | preload)
        lines=$(cat "$log".ld.* 2>/dev/null | grep -E "normal symbol \`(__)?clone'")
        bad=$(printf '%s\n' "$lines" | grep -v 'libsched_clone\.so' | grep -v '^$')
        [ -z "$bad" ] || { echo "clone bound elsewhere: $(printf '%s' "$bad" | head -n 1)"; return 1; }
        if [ -z "$lines" ]; then
            [ "$calls" -eq 0 ] || { echo "no binding of clone in LD_DEBUG, yet $calls calls"; return 1; }
            echo "no binding of clone"
        else
            echo "LD_DEBUG: clone bound to $(printf '%s\n' "$lines" | head -n 1 | sed 's/.* to \([^ ]*\) .*/\1/' | xargs basename)"
        fi ;;
    static | fully-static*)
        lines=$(grep -E ': definition of (__)?clone$' "$build/$(link_mode "$m")/$t.link.log")
        bad=$(printf '%s\n' "$lines" | grep -v 'libsched_clone\.a' | grep -v '^$')
        [ -z "$bad" ] || { echo "clone defined elsewhere: $(printf '%s' "$bad" | head -n 1)"; return 1; }
        [ -n "$lines" ] || { echo "the link map has no definition of clone"; return 1; }
        echo "link map: clone, __clone from libsched_clone.a" ;;
    esac
}

declare -A result reached
npass=0; nfail=0; nskip=0; failures=()
for m in $(for x in $modes; do link_mode "$x"; done | awk '!s[$0]++'); do
    build_support "$m" >"$build/support-$m.log" 2>&1 ||
        { echo "  FAIL  support library ($m) does not build"; sed 's/^/        | /' "$build/support-$m.log" | head -n 20; exit 1; }
done
$CC $own_cflags -DSCHED_CLONE_MODE_PRELOAD -I"$root/include" -o "$build/noclone3" "$here/support/noclone3.c" -ldl >"$build/noclone3.log" 2>&1 ||
    { echo "  FAIL  noclone3 launcher does not build"; sed 's/^/        | /' "$build/noclone3.log"; exit 1; }

for t in $tests; do
    src=$gsrc/${path[$t]}
    for m in $modes; do
        lm=$(link_mode "$m"); exe=$build/$lm/$t; log=$build/$m/$t.log
        mkdir -p "$build/$m"
        if [ "$m" != "$lm" ] && [ "${result[$t,$lm]}" = FAIL ] && [ ! -x "$exe" ]; then
            nfail=$((nfail + 1)); failures+=("$m/$t (build)"); result[$t,$m]=FAIL
            printf '  FAIL  %-22s %s (its %s build failed)\n' "$m" "$t" "$lm"
            continue
        fi
        rm -f "$exe"
        [ "$m" = "$lm" ] || link_test "$lm" "$src" "$exe" >/dev/null 2>&1
        if [ "$m" = "$lm" ] && ! link_test "$m" "$src" "$exe" >"$build/$m/$t.link.log" 2>&1; then
            nfail=$((nfail + 1)); failures+=("$m/$t (build)"); result[$t,$m]=FAIL
            printf '  FAIL  %-22s %s (does not build)\n' "$m" "$t"; grep -v 'definition of\|reference to' "$build/$m/$t.link.log" | sed 's/^/        | /' | head -n 20
            continue
        fi
        rm -f "$log".ld.*
        envs=()
        case $m in
        # Bindings made at load time (LD_BIND_NOW): lazy binding under
        # LD_DEBUG runs the resolver and its printing on the child's stack,
        # which overflows the 4 KiB stacks of tst-close_range's children.
        dynamic) envs=(LD_BIND_NOW=1 LD_DEBUG=bindings LD_DEBUG_OUTPUT="$log.ld") ;;
        preload) envs=(LD_PRELOAD="$libdir/libsched_clone.so" LD_BIND_NOW=1 LD_DEBUG=bindings LD_DEBUG_OUTPUT="$log.ld") ;;
        esac
        launch=(); [ "$m" = fully-static-noclone3 ] && launch=("$build/noclone3")
        # Only descriptors 0-2 open, as in glibc's test runs: tst-close_range
        # closes everything above its own descriptors and checks the rest.
        (cd "$build/$m" && close_stray_fds && env "${envs[@]}" timeout -k 5 "$timeout_s" "${launch[@]}" "$exe") >"$log" 2>&1
        rc=$?
        counts=$(sed -n 's/^sched-clone-peer: //p' "$log" | tail -n 1)
        calls=$(printf '%s' "$counts" | sed -n 's/.*clone_calls=\([0-9]*\) __clone_calls=\([0-9]*\).*/\1 \2/p')
        c1=${calls% *}; c2=${calls#* }; [ -n "$calls" ] || { c1=0; c2=0; }
        proof=$(binding_proof "$m" "$exe" "$log" "$((c1 + c2))"); prc=$?
        what="clone x$c1, __clone x$c2; $proof"
        if [ $((c1 + c2)) -gt 0 ]; then reached[$t,$m]=yes; else reached[$t,$m]=no; fi
        if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then st=FAIL; why="exit $rc; $what"
        elif [ -z "$counts" ]; then st=FAIL; why="the driver printed no counts"
        elif [ $prc -ne 0 ]; then st=FAIL; why=$proof
        elif [ "${calls_clone[$t]}" = yes ] && [ "$c1" -eq 0 ]; then st=FAIL; why="expected to call clone, counted none; $what"
        elif [ "$m" = fully-static-noclone3 ] && [ "${calls_clone[$t]}" = no ] && [ "$c2" -eq 0 ]; then
            st=FAIL; why="expected glibc's fallback to call our __clone, counted none; $what"
        elif [ $rc -eq 77 ]; then st=SKIP; why="unsupported: $(grep -m1 'unsupported' "$log")"
        else
            st=PASS; why=$what
            [ "${reached[$t,$m]}" = yes ] || why="$what: does not reach our clone (glibc's internal clone path), not a proof"
        fi
        result[$t,$m]=$st
        case $st in PASS) npass=$((npass + 1)) ;; SKIP) nskip=$((nskip + 1)) ;;
        FAIL) nfail=$((nfail + 1)); failures+=("$m/$t") ;; esac
        printf '  %s  %-22s %-19s %s\n' "$st" "$m" "$t" "$why"
        [ "$st" != FAIL ] || sed 's/^/        | /' "$log" | tail -n 15
    done
done

# The table: result and whether our clone was reached (+ reached, - not).
echo
printf '%-19s' test; for m in $modes; do printf ' %-22s' "$m"; done; echo
for t in $tests; do
    printf '%-19s' "$t"
    for m in $modes; do
        r=${result[$t,$m]-?}; [ "${reached[$t,$m]-no}" = yes ] && r="$r +ours" || r="$r -ours"
        printf ' %-22s' "$r"
    done; echo
done
echo "(+ours: the run called our clone/__clone, counted and bound as shown above; -ours: it never reached our code)"

# --- mutants: the suite must catch a wrong wrapper ---------------------------
# support/mutant.c, preloaded in front of our library, gets each test's
# calls and forwards them to ours with one deliberate fault. A mutant passes
# this section when at least one test fails under it (5 s per test: a
# crashed child can leave its parent waiting).
echo
for mu in ERRNO EXIT_GROUP MISALIGN; do
    mso=$build/mutant-$mu.so
    if ! $CC $own_cflags -mno-red-zone -fPIC -shared -DMUTANT_$mu -o "$mso" "$here/support/mutant.c" -ldl >"$build/mutant-$mu.log" 2>&1; then
        nfail=$((nfail + 1)); failures+=("mutant $mu (build)"); echo "  FAIL  mutant $mu does not build"; continue
    fi
    caught=()
    for t in $tests; do
        exe=$build/preload/$t; [ -x "$exe" ] || continue
        (cd "$build/preload" && close_stray_fds && SCHED_CLONE_PEER_MUTANT=1 SCHED_CLONE_PEER_TIMEOUT=5 LD_PRELOAD="$mso $libdir/libsched_clone.so" \
            timeout -k 5 "$timeout_s" "$exe") >"$build/mutant-$mu.$t.log" 2>&1
        rc=$?; [ $rc -eq 0 ] || [ $rc -eq 77 ] || caught+=("$t")
    done
    if [ ${#caught[@]} -gt 0 ]; then npass=$((npass + 1)); printf '  PASS  mutant %-10s caught by %s\n' "$mu" "${caught[*]}"
    else nfail=$((nfail + 1)); failures+=("mutant $mu"); printf '  FAIL  mutant %-10s caught by no test\n' "$mu"; fi
done
for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
echo "$me: $npass passed, $nfail failed, $nskip skipped"
[ $nfail -eq 0 ]
