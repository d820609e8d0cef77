#!/usr/bin/env bash
# Real Debian programs that call the clone() wrapper, run as their users run
# them, three ways each:
#   plain    the program as Debian ships it (clone is glibc's)
#   preload  LD_PRELOAD=libsched_clone.so
#   needed   a copy of the binary with our soname (libsched_clone.so.0.1) added as its first
#            DT_NEEDED entry and our libdir as its RUNPATH (patchelf); the
#            copy keeps the program's name (firejail looks at argv[0])
# Each program imports `clone` (checked with nm -D --undefined-only on the
# binary or the library that makes the call). A run with ours passes when:
#   - LD_DEBUG=bindings shows every binding of `clone` (from the program and
#     its libraries) going to libsched_clone.so, and at least one;
#   - a uprobe on our `clone` entry (tracefs, when available) counted calls
#     in the run's processes: our code ran, not just got bound; and one on
#     glibc's `clone` counted none;
#   - its outcome (exit status and the program's relevant output) is the
#     plain run's.
# A program whose plain run cannot work here (no root, no namespaces) is a
# SKIP with the reason. Runs as root. Time: about a minute in all.
# Environment: CARGO_TARGET_DIR, SCHED_CLONE_OUT.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/peers-lib.sh"
build=$pdir/programs
me=programs


npass=0; nfail=0; nskip=0; failures=()
row() { # status program mode detail
    case $1 in PASS) npass=$((npass + 1)) ;; SKIP) nskip=$((nskip + 1)) ;;
    FAIL) nfail=$((nfail + 1)); failures+=("$2/$3") ;; esac
    printf '  %s  %-12s %-8s %s\n' "$1" "$2" "$3" "$4"
}
finish() {
    for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
    echo "$me: $npass passed, $nfail failed, $nskip skipped"
    [ $nfail -eq 0 ]; exit
}

[ "$(uname -m)" = x86_64 ] || { row SKIP all - "runs on x86_64 hosts"; finish; }
[ "$(id -u)" -eq 0 ] || { row SKIP all - "needs root (namespaces, tracefs)"; finish; }
[ -f "$out/lib/libsched_clone.a" ] || { echo "$me: no $out/lib/libsched_clone.a; run 'make' first" >&2; exit 2; }
ensure_packages "$me" stress-ng firejail lxc qemu-system-arm patchelf binutils

# (a tracefs left mounted by a killed run must not be emptied by rm)
! mountpoint -q "$build/tracefs" 2>/dev/null || umount "$build/tracefs" || exit 2
rm -rf "$build"; mkdir -p "$build"
peers_install_prefix "$build/prefix" || exit 2
so=$(readlink -f "$libdir/libsched_clone.so")

# --- uprobes on our clone and __clone ---------------------------------------
tracefs=
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do [ -w "$d/uprobe_events" ] && { tracefs=$d; break; }; done
mounted_tracefs=
if [ -z "$tracefs" ]; then
    mkdir -p "$build/tracefs"
    mount -t tracefs nodev "$build/tracefs" 2>/dev/null && [ -w "$build/tracefs/uprobe_events" ] &&
        { tracefs=$build/tracefs; mounted_tracefs=1; }
fi
group=sched_clone_peers_$$
libc=$(readlink -f /lib/x86_64-linux-gnu/libc.so.6)
# The file offset of a symbol of a library (uprobes take offsets, not
# addresses); the symbol's default version counts as the symbol.
file_offset() { # library symbol
    local lib=$1 addr
    addr=$(nm -D --defined-only "$lib" | awk -v s="$2" '$3 == s || $3 == s "@@" v || index($3, s "@@") == 1 {print $1; exit}')
    [ -n "$addr" ] || return 1
    local a=$((16#$addr)) type off va fsz mem rest
    while read -r type off va _ fsz mem rest; do
        [ "$type" = LOAD ] || continue
        if [ "$a" -ge $((va)) ] && [ "$a" -lt $((va + fsz)) ]; then printf '0x%x\n' $((a - va + off)); return 0; fi
    done < <(readelf -lW "$lib")
    return 1
}
# The probes are defined globally but enabled only in a trace instance of
# our own, filtered to the run's process tree (set_event_pid, event-fork):
# libc.so.6 is shared by every process on the machine, and other processes
# call glibc's clone meanwhile.
inst=
probes_off() {
    [ -n "$tracefs" ] || return 0
    if [ -n "$inst" ] && [ -d "$inst" ]; then
        [ ! -e "$inst/events/$group/enable" ] || echo 0 >"$inst/events/$group/enable"
        rmdir "$inst"
    fi
    inst=
    local e
    for e in clone dunder_clone glibc_clone; do echo "-:$group/$e" >>"$tracefs/uprobe_events"; done 2>/dev/null
}
cleanup() {
    probes_off
    [ -z "$mounted_tracefs" ] || umount "$build/tracefs" 2>/dev/null
}
trap cleanup EXIT
# Fresh probes and an empty instance before each run.
probes_on() {
    [ -n "$tracefs" ] || return 0
    probes_off
    if echo "p:$group/clone $so:$off_clone" >>"$tracefs/uprobe_events" &&
        echo "p:$group/dunder_clone $so:$off_dunder" >>"$tracefs/uprobe_events" &&
        echo "p:$group/glibc_clone $libc:$off_glibc" >>"$tracefs/uprobe_events" &&
        mkdir "$tracefs/instances/$group" && inst=$tracefs/instances/$group &&
        echo 1024 >"$inst/buffer_size_kb" && echo 1 >"$inst/options/event-fork"; then :
    else
        echo "$me: cannot set uprobes; going on without" >&2; probes_off; tracefs=
    fi
}
# Run in the subshell that becomes the program: trace it and its children.
trace_me() {
    [ -n "$inst" ] || return 0
    echo "$BASHPID" >"$inst/set_event_pid" && echo 1 >"$inst/events/$group/enable"
}
hits() { # event
    grep -c " $1: " "$inst/trace"
}
if [ -n "$tracefs" ]; then
    off_clone=$(file_offset "$so" clone) && off_dunder=$(file_offset "$so" __clone) ||
        { echo "$me: no clone in $so" >&2; exit 1; }
    off_glibc=$(file_offset "$libc" clone) || { echo "$me: no clone in $libc" >&2; exit 1; }
else
    echo "$me: no tracefs with uprobes: our calls are not counted, only bound" >&2
fi

# --- the programs -------------------------------------------------------------
# name: the binary, the object that imports clone, the command line after
# the binary, and how to reduce its output to the outcome compared.
programs="stress-ng firejail lxc-unshare qemu-system-aarch64"
declare -A bin importer
bin[stress-ng]=/usr/bin/stress-ng;     importer[stress-ng]=/usr/bin/stress-ng
bin[firejail]=/usr/bin/firejail;       importer[firejail]=/usr/bin/firejail
bin[qemu-system-aarch64]=/usr/bin/qemu-system-aarch64; importer[qemu-system-aarch64]=/usr/bin/qemu-system-aarch64
bin[lxc-unshare]=/usr/bin/lxc-unshare; importer[lxc-unshare]="/usr/bin/lxc-unshare $(readlink -f /usr/lib/x86_64-linux-gnu/liblxc.so.1)"
# The clone stressor: children made with clone() and random flag sets, 100
# bogo operations in all, bounded by --timeout.
args_stress_ng=(--clone 2 --clone-ops 100 --timeout 30s --metrics-brief)
# A sandbox with new mount, PID, UTS, network... namespaces (firejail's
# sandbox() runs in a child made by clone()); the command's exit status
# comes back through it.
# The network interfaces are read from /proc/net/dev (the caller's network
# namespace; /sys/class/net is the mounter's).
script='hostname; echo "pid=$$"; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
args_firejail=(--noprofile --quiet --net=none --hostname=peers-firejail -- /bin/sh -c "$script; exit 7")
# lxc-unshare: a command in new namespaces, the child made by lxc_clone()
# (lxc-unshare fails when the command does, so it exits 0).
args_lxc_unshare=(-s "UTSNAME|PID|MOUNT|IPC|NETWORK" -H peers-lxc -- /bin/sh -c "$script")

# qemu's -async-teardown: at start-up, init_async_teardown() makes with
# clone() the process that tears the VM down after qemu exits; the monitor
# on stdin quits at once.
args_qemu=(-M none -nodefaults -display none -async-teardown -monitor stdio)

outcome() { # program log rc
    case $1 in
    stress-ng)
        # On stderr: the bogo-ops row, "fail:" lines, the closing line. The
        # count itself is not compared (--timeout may end a slow run early).
        local ops done fails
        ops=$(sed -n 's/.*metrc: \[[0-9]*\] clone  *\([0-9][0-9]*\) .*/\1/p' "$2" "$2.err" | head -n 1)
        grep -q 'successful run completed' "$2" "$2.err" && done=completed || done=incomplete
        fails=$(cat "$2" "$2.err" | grep -c 'fail:')
        [ "${ops:-0}" -gt 0 ] && ops=some || ops=none
        echo "exit=$3 $done clone-bogo-ops=$ops fail-lines=$fails" ;;
    qemu-system-aarch64) # the monitor's line editing: escape sequences, CRs
        echo "exit=$3 output=$(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$2" | tr -d '\r' | tr '\n' ' ')" ;;
    *) echo "exit=$3 output=$(tr '\n' ' ' <"$2")" ;;
    esac
}

run_program() { # program mode exe
    local p=$1 m=$2 exe=$3 log=$build/$1.$2.log a
    case $p in stress-ng) a=("${args_stress_ng[@]}") ;; firejail) a=("${args_firejail[@]}") ;;
    lxc-unshare) a=("${args_lxc_unshare[@]}") ;; qemu-system-aarch64) a=("${args_qemu[@]}") ;; esac
    local input=/dev/null
    [ "$p" != qemu-system-aarch64 ] || { input=$build/quit.txt; echo quit >"$input"; }
    local envs=(LD_DEBUG=bindings LD_DEBUG_OUTPUT="$log.ld")
    [ "$m" != preload ] || envs+=(LD_PRELOAD="$so")
    rm -f "$log".ld.*
    probes_on
    (cd "$build" && close_stray_fds && trace_me && env "${envs[@]}" timeout -k 5 90 "$exe" "${a[@]}") >"$log" 2>"$log.err" <"$input"
    local rc=$?
    run_hits=-; run_dhits=-; run_ghits=-
    [ -z "$inst" ] || { run_hits=$(hits clone); run_dhits=$(hits dunder_clone); run_ghits=$(hits glibc_clone); }
    probes_off
    run_outcome=$(outcome "$p" "$log" "$rc")
    run_ops=$(sed -n 's/.*metrc: \[[0-9]*\] clone  *\([0-9][0-9]*\) .*/\1/p' "$log" "$log.err" | head -n 1)
    run_bindings=$(cat "$log".ld.* 2>/dev/null | grep -E "normal symbol \`clone'" |
        sed 's/.*binding file \([^ ]*\) .* to \([^ ]*\) .*/\1 -> \2/' | sort -u)
}

declare -A table
for p in $programs; do
    imports=yes
    for o in ${importer[$p]}; do nm -D --undefined-only "$o" | grep -qE ' clone(@|$)' || imports=no; done
    [ "$imports" = yes ] || { row FAIL "$p" - "${importer[$p]} does not import clone: not a candidate any more"; continue; }

    run_program "$p" plain "${bin[$p]}"
    plain=$run_outcome
    case $p,$plain in stress-ng,"exit=0 completed clone-bogo-ops=some fail-lines=0" | firejail,"exit=7 "* | \
        lxc-unshare,"exit=0 "* | qemu-system-aarch64,"exit=0 output=QEMU"*) ;; *)
        row SKIP "$p" plain "cannot run here: $plain ($(head -c 200 "$build/$p.plain.log.err"))"; continue ;;
    esac
    [ "$run_hits" = - ] || [ "$run_hits" -eq 0 ] ||
        { row FAIL "$p" plain "our clone counted $run_hits calls in the plain run"; continue; }
    plain_calls="uprobe: glibc's clone x$run_ghits${run_ops:+; bogo-ops $run_ops}"
    row PASS "$p" plain "$plain; clone bound to $(printf '%s' "$run_bindings" | sed 's/.* -> //' | xargs -n1 basename | sort -u | tr '\n' ' ')$plain_calls"
    table[$p,cmd]="$(basename "${bin[$p]}") $(case $p in stress-ng) echo "${args_stress_ng[*]}" ;;
        firejail) echo "${args_firejail[*]:0:4} -- sh -c '...; exit 7'" ;; lxc-unshare) echo "${args_lxc_unshare[*]:0:4} -- sh -c '...'" ;;
        qemu-system-aarch64) echo "${args_qemu[*]} <<< quit" ;; esac)"
    table[$p,plain]="$plain | $plain_calls"

    # The copy with our library as DT_NEEDED (first) and our libdir as RUNPATH.
    mkdir -p "$build/needed"
    cp "${bin[$p]}" "$build/needed/" && chmod u-s "$build/needed/$(basename "${bin[$p]}")"
    nexe=$build/needed/$(basename "${bin[$p]}")
    rpath=$(patchelf --print-rpath "$nexe")
    soname=$(readelf -dW "$libdir/libsched_clone.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    [ -n "$soname" ] || { row FAIL "$p" needed "no soname in $libdir/libsched_clone.so"; continue; }
    patchelf --add-needed "$soname" "$nexe" && patchelf --set-rpath "$libdir${rpath:+:$rpath}" "$nexe" ||
        { row FAIL "$p" needed "patchelf failed"; continue; }
    for m in preload needed; do
        exe=${bin[$p]}; [ $m = preload ] || exe=$nexe
        run_program "$p" "$m" "$exe"
        bad=$(printf '%s\n' "$run_bindings" | grep -v 'libsched_clone\.so' | grep -v '^$')
        proof="$(printf '%s\n' "$run_bindings" | grep -c .) bindings of clone to ours; uprobe: our clone x$run_hits, __clone x$run_dhits, glibc's clone x$run_ghits${run_ops:+; bogo-ops $run_ops}"
        if [ -z "$run_bindings" ]; then row FAIL "$p" "$m" "no binding of clone in LD_DEBUG"
        elif [ -n "$bad" ]; then row FAIL "$p" "$m" "clone bound elsewhere: $(printf '%s' "$bad" | head -n 1)"
        elif [ "$run_hits" != - ] && [ "$run_hits" -eq 0 ]; then row FAIL "$p" "$m" "bound to ours but our clone never ran ($proof)"
        elif [ "$run_ghits" != - ] && [ "$run_ghits" -ne 0 ]; then row FAIL "$p" "$m" "glibc's clone still ran ($proof)"
        elif [ "$run_outcome" != "$plain" ]; then row FAIL "$p" "$m" "outcome '$run_outcome', plain '$plain'"; sed 's/^/        | /' "$build/$p.$m.log.err" | tail -n 10
        else row PASS "$p" "$m" "$run_outcome; $proof"; fi
        table[$p,$m]="$run_outcome | $proof"
        table[$p,$m,bind]=$(printf '%s\n' "$run_bindings" | sed "s|$build/needed/||; s|$libdir/||g; s|/usr/lib/x86_64-linux-gnu/||; s|/lib/x86_64-linux-gnu/||" | tr '\n' ';')
    done
done

echo
echo "program      mode     bindings of clone (LD_DEBUG) | outcome | our calls (uprobe)"
for p in $programs; do
    [ -n "${table[$p,plain]-}" ] || continue
    echo "$p: ${table[$p,cmd]}"
    printf '  %-8s %s\n' plain "${table[$p,plain]}"
    for m in preload needed; do
        [ -n "${table[$p,$m]-}" ] && printf '  %-8s %s | %s\n' "$m" "${table[$p,$m,bind]}" "${table[$p,$m]}"
    done
done
finish
