#!/usr/bin/env bash
# The libc-level suite (c-tests/musl/tests/*.c) against musl as it is
# ("stock") and against musl whose __clone is sched_clone's ("sched_clone"),
# both built by c-tests/musl/build.sh, on every architecture, and a table of
# the results: architecture x test x (stock / sched_clone).
#
#   c-tests/musl/run.sh [--vm ARCH,ARCH...|--vm all] all | ARCH...
#
# Each test is linked statically (rows "static") and, against libc.so,
# dynamically (rows "dynamic"), and runs natively (x86_64, i686) or under
# qemu-user (MTEST_QEMU_USER=1 in its environment). With --vm, the static
# programs of the architectures named there also run under the real kernels
# of c-tests/vm.sh (its SCHED_CLONE_VM_EXTRA hook; vm.sh runs its own tests
# too), as root (rows "vm").
#
# Proof that a program ran on our code, checked before it runs (a failed
# proof is a FAIL): for a static program, its link map contains no member
# of musl's clone (libc.a(clone.lo)) and contains libc.a(sched_clone.lo),
# and `nm` puts __clone inside one of that member's sections; for a dynamic
# one, the same holds for libc.so's link map (lib/libc.so.map, written by
# the build). For stock musl the same check must find musl's member instead.
# Each program also checks at run time that sched_clone_version exists (ours)
# or does not (stock), next to `clone`.
#
# A result listed in known_differences below is printed as XFAIL with its
# reason and does not fail the run; if it passes, it is an XPASS and fails,
# so that the list cannot go stale.
#
# Environment: CARGO_TARGET_DIR (default target), SCHED_CLONE_TEST_TIMEOUT
# (seconds per test, default 300). Exit status: 0 when nothing failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/musl.sh"
timeout_s=${SCHED_CLONE_TEST_TIMEOUT:-300}
CFLAGS="-O1 -g -Wall -Wextra -Werror"

vm_arches=()
if [ "${1-}" = --vm ] && [ $# -ge 2 ]; then
    for a in ${2//,/ }; do
        case $a in
        all) vm_arches+=(aarch64 armv7 riscv64 powerpc64le s390x) ;;
        aarch64 | armv7 | riscv64 | powerpc64le | s390x) vm_arches+=("$a") ;;
        *) echo "musl/run.sh: --vm takes a comma-separated list of aarch64 armv7 riscv64 powerpc64le s390x, or all" >&2; exit 2 ;;
        esac
    done
    shift 2
fi
select_arches musl/run.sh "$@"
need_pkgs=()
for a in "${arches[@]}"; do [ "${qemu[$a]}" = none ] || need_pkgs+=(qemu-user); done
[ ${#need_pkgs[@]} -eq 0 ] || ensure_packages musl/run.sh "${need_pkgs[@]}"

# Known differences between the two builds: "arch/variant/test" (arch or
# test may be *) -> reason. None today: the sched_clone build links the
# musl-ABI archive (--cfg sched_clone_musl), whose __clone has musl's
# internal contract (raw -errno results; on i386 tls as the thread pointer).
declare -A known_differences=()
known_reason() { # arch variant test
    local k
    for k in "$1/$2/$3" "*/$2/$3" "$1/$2/*"; do
        [ -n "${known_differences[$k]+x}" ] && { echo "${known_differences[$k]}"; return 0; }
    done
    return 1
}

tests=()
for src in "$here"/tests/*.c; do tests+=("$(basename "$src" .c)"); done
variants="stock sched_clone"
declare -A cell    # arch/mode/test/variant -> PASS FAIL SKIP XFAIL XPASS
declare -A rows    # mode -> its tests
modes_seen=()
n_pass=0 n_fail=0 n_skip=0 n_xfail=0
failures=()

result() { # arch mode test variant status detail
    local a=$1 m=$2 t=$3 v=$4 st=$5 detail=${6-} why
    if why=$(known_reason "$a" "$v" "$t"); then
        case $st in
        FAIL) st=XFAIL; detail="known: $why${detail:+; $detail}" ;;
        PASS) st=XPASS; detail="listed as a known difference, but passed" ;;
        esac
    fi
    cell[$a/$m/$t/$v]=$st
    case " ${rows[$m]-} " in *" $t "*) ;; *) rows[$m]="${rows[$m]-} $t" ;; esac
    case $st in
    PASS) n_pass=$((n_pass + 1)) ;;
    SKIP) n_skip=$((n_skip + 1)) ;;
    XFAIL) n_xfail=$((n_xfail + 1)) ;;
    *) n_fail=$((n_fail + 1)); failures+=("$a/$m/$v/$t${detail:+ ($detail)}") ;;
    esac
    printf '  %-5s %-12s %-7s %-11s %s%s\n' "$st" "$a" "$m" "$v" "$t" "${detail:+ ($detail)}"
}

# The address ranges of an object's sections in a link map: "start size".
member_ranges() { # map name-suffix
    awk -v m="$2" '
        /^Linker script and memory map/ {on = 1; next}
        on && NF >= 3 && index($NF, m) == length($NF) - length(m) + 1 && $(NF - 2) ~ /^0x/ && $(NF - 1) ~ /^0x/ {
            print $(NF - 2), $(NF - 1)
        }' "$1"
}

# Prints nothing when the proof holds, else what is wrong. In libc.a's
# link map an object is "libc.a(NAME.lo)"; in libc.so's, a path.
check_proof() { # arch variant map binary-with-__clone static|dynamic
    local want=sched_clone.lo avoid=clone.lo
    [ "$2" = sched_clone ] || { want=clone.lo; avoid=sched_clone.lo; }
    if [ "$5" = static ]; then check_map "$1" "$3" "$4" "($want)" "($avoid)"
    else check_map "$1" "$3" "$4" "/$want" "/$avoid"; fi
}
# The link map has no `avoid` and __clone lies in a section of `want`.
check_map() { # arch map binary want avoid
    local tr=${triple[$1]} map=$2 bin=$3 want=$4 avoid=$5 addr
    [ -f "$map" ] || { echo "no link map $map"; return; }
    ! grep -qF "$avoid" "$map" || { echo "$(basename "$map") has $avoid"; return; }
    addr=$("$tr-nm" "$bin" | awk '$3 == "__clone" {print $1; exit}')
    [ -n "$addr" ] || { echo "no __clone in $(basename "$bin")"; return; }
    member_ranges "$map" "$want" | awk -v a="0x$addr" '
        function num(h,   i, c, v) { v = 0; h = tolower(substr(h, 3))
            for (i = 1; i <= length(h); i++) { c = index("0123456789abcdef", substr(h, i, 1)) - 1; v = v * 16 + c }
            return v }
        BEGIN {x = num(a)} { s = num($1); if (x >= s && x < s + num($2)) found = 1 }
        END {exit !found}' ||
        echo "__clone (0x$addr) is not inside $want"
}

compile() { # arch variant link src exe
    local p=$mdir/$1/$2/prefix e=0 CFLAGS="$CFLAGS ${cc_flags[$1]-}"
    [ "$2" = sched_clone ] && e=1
    if [ "$3" = static ]; then
        "$p/bin/musl-gcc" $CFLAGS -static -DEXPECT_SCHED_CLONE=$e -DMTEST_STATIC=1 -o "$5" "$4" -Wl,-Map="$5.map"
    else
        "$p/bin/musl-gcc" $CFLAGS -DEXPECT_SCHED_CLONE=$e -DMTEST_STATIC=0 -o "$5" "$4"
    fi
}

run_user() { # arch mode variant test exe
    local a=$1 m=$2 v=$3 t=$4 exe=$5 log=$5.log rc why
    if [ "${qemu[$a]}" = none ]; then
        (cd "$(dirname "$exe")" && timeout -k 5 "$timeout_s" "$exe") >"$log" 2>&1
    else
        (cd "$(dirname "$exe")" && MTEST_QEMU_USER=1 timeout -k 5 "$timeout_s" "${qemu[$a]}" "$exe") >"$log" 2>&1
    fi
    rc=$?
    if [ $rc -eq 0 ]; then result "$a" "$m" "$t" "$v" PASS
    elif [ $rc -eq 77 ]; then result "$a" "$m" "$t" "$v" SKIP "$(grep -m1 '^SKIP:' "$log" | cut -c7-)"
    else
        why=$(grep -m1 -v '^SKIP' "$log" | cut -c1-160)
        result "$a" "$m" "$t" "$v" FAIL "exit $rc${why:+: $why}"
    fi
}

extra=$mdir/vm-extra
rm -rf "$extra"
declare -A want_vm
for a in "${vm_arches[@]}"; do want_vm[$a]=1; done
for a in $(printf '%s\n' "${arches[@]}" "${vm_arches[@]}" | awk '!seen[$0]++'); do
    echo "== $a (c-tests/musl/build.sh $a)"
    if ! bash "$here/build.sh" "$a"; then
        for t in "${tests[@]}"; do result "$a" static "$t" sched_clone FAIL "musl did not build"; done
        continue
    fi
    for v in $variants; do
        p=$mdir/$a/$v/prefix
        links=static
        [ -f "$p/lib/libc.so" ] && links="static dynamic"
        for link in $links; do
            out=$mdir/$a/tests/$v-$link
            rm -rf "$out"; mkdir -p "$out"
            for t in "${tests[@]}"; do
                exe=$out/$t
                if ! compile "$a" "$v" "$link" "$here/tests/$t.c" "$exe" >"$exe.build.log" 2>&1; then
                    result "$a" "$link" "$t" "$v" FAIL "does not build: $(head -n 1 "$exe.build.log")"; continue
                fi
                if [ "$link" = static ]; then proof=$(check_proof "$a" "$v" "$exe.map" "$exe" static)
                else proof=$(check_proof "$a" "$v" "$p/lib/libc.so.map" "$p/lib/libc.so" dynamic); fi
                if [ -n "$proof" ]; then result "$a" "$link" "$t" "$v" FAIL "proof: $proof"; continue; fi
                if [ "$link" = static ] && [ -n "${want_vm[$a]+x}" ]; then
                    mkdir -p "$extra/$a"
                    "${triple[$a]}-strip" --strip-debug -o "$extra/$a/musl-$v~$t" "$exe"
                fi
                case " ${arches[*]} " in *" $a "*) run_user "$a" "$link" "$v" "$t" "$exe" ;; esac
            done
            case " ${modes_seen[*]-} " in *" $link "*) ;; *) modes_seen+=("$link") ;; esac
        done
    done
done

# --- glibc, fully static, with libsched_clone.a ------------------------------------
# See glibc/glibc_static_clone.c. The rows: mode glibc-static, variant
# sched_clone (there is no "stock" side: glibc's own clone is the baseline).
glibc_test() { # arch
    local a=$1 tr=${triple[$1]} lib m libc has3=0 out=$mdir/$1/tests/glibc-static exe proof
    lib=$(staticlib_of "$a") || { result "$a" glibc-static glibc_static_clone sched_clone FAIL "no staticlib"; return; }
    m=$("$tr-ar" t "$lib" | grep -E '^sched_clone([.-].*)?\.o$' | head -n 1)
    libc=/usr/$tr/lib/libc.a
    [ "$a" != x86_64 ] || libc=/usr/lib/x86_64-linux-gnu/libc.a
    "$tr-nm" "$libc" 2>/dev/null | grep -q ' T __clone3$' && has3=1
    rm -rf "$out"; mkdir -p "$out"
    exe=$out/glibc_static_clone
    if ! "$tr-gcc" $CFLAGS -static -DGLIBC_HAS_CLONE3=$has3 -DEXPECT_SCHED_CLONE=1 -DMTEST_STATIC=1 -o "$exe" "$here/glibc/glibc_static_clone.c" \
        "$lib" -Wl,--wrap=__clone -Wl,-Map="$exe.map" >"$exe.build.log" 2>&1; then
        result "$a" glibc-static glibc_static_clone sched_clone FAIL "does not build: $(head -n 1 "$exe.build.log")"; return
    fi
    proof=$(check_map "$a" "$exe.map" "$exe" "($m)" "libc.a(clone.o)")
    if [ -n "$proof" ]; then result "$a" glibc-static glibc_static_clone sched_clone FAIL "proof: $proof"; return; fi
    if [ -n "${want_vm[$a]+x}" ]; then
        mkdir -p "$extra/$a"; "$tr-strip" --strip-debug -o "$extra/$a/glibc-static~glibc_static_clone" "$exe"
    fi
    case " ${arches[*]} " in *" $a "*) run_user "$a" glibc-static sched_clone glibc_static_clone "$exe" ;; esac
}
for a in $(printf '%s\n' "${arches[@]}" "${vm_arches[@]}" | awk '!seen[$0]++'); do glibc_test "$a"; done
modes_seen+=(glibc-static)

# --- the real kernels ------------------------------------------------------------
if [ ${#vm_arches[@]} -gt 0 ]; then
    echo "== under real kernels: c-tests/vm.sh ${vm_arches[*]} (SCHED_CLONE_VM_EXTRA=$extra)"
    SCHED_CLONE_VM_EXTRA=$extra bash "$root/c-tests/vm.sh" "${vm_arches[@]}" >"$mdir/vm.log" 2>&1
    # vm.sh's rows: "  STATUS  ARCH  NAME (detail)"; ours are extra/musl-VARIANT~TEST.
    for a in "${vm_arches[@]}"; do
        for v in $variants; do
            for t in "${tests[@]}"; do
                line=$(grep -E "^  (PASS|FAIL|SKIP)  $a +extra/musl-$v~$t( |$)" "$mdir/vm.log" | head -n 1)
                if [ -z "$line" ]; then
                    [ -e "$extra/$a/musl-$v~$t" ] && result "$a" vm "$t" "$v" FAIL "no result from the VM"
                    continue
                fi
                st=$(echo "$line" | awk '{print $1}')
                detail=$(echo "$line" | sed -n 's/^[^(]*(\(.*\))$/\1/p')
                result "$a" vm "$t" "$v" "$st" "$detail"
            done
        done
    done
    for a in "${vm_arches[@]}"; do
        line=$(grep -E "^  (PASS|FAIL|SKIP)  $a +extra/glibc-static~glibc_static_clone( |$)" "$mdir/vm.log" | head -n 1)
        if [ -z "$line" ]; then result "$a" vm-glibc glibc_static_clone sched_clone FAIL "no result from the VM"; continue; fi
        result "$a" vm-glibc glibc_static_clone sched_clone "$(echo "$line" | awk '{print $1}')" \
            "$(echo "$line" | sed -n 's/^[^(]*(\(.*\))$/\1/p')"
    done
    modes_seen+=(vm vm-glibc)
    grep -E '^(arch|[a-z0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ )' "$mdir/vm.log" | sed 's/^/   vm.sh: /'
fi

# --- the table -------------------------------------------------------------------
echo
echo "musl 1.2.3: stock / on sched_clone (PASS, SKIP, FAIL; XFAIL: a known difference, listed in run.sh)"
for m in "${modes_seen[@]}"; do
    printf '\n%s\n%-20s' "$m" test
    cols=()
    for a in $all_arches; do
        for t in ${rows[$m]}; do [ -n "${cell[$a/$m/$t/sched_clone]+x}" ] && { cols+=("$a"); break; }; done
    done
    for a in "${cols[@]}"; do printf ' %-13s' "$a"; done
    echo
    for t in ${rows[$m]}; do
        printf '%-20s' "$t"
        for a in "${cols[@]}"; do printf ' %-13s' "${cell[$a/$m/$t/stock]:--}/${cell[$a/$m/$t/sched_clone]:--}"; done
        echo
    done
done
echo
for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
echo "musl: $n_pass passed, $n_fail failed, $n_skip skipped, $n_xfail known differences"
[ "$n_fail" -eq 0 ]
