#!/usr/bin/env bash
# Checks on the built library itself (x86_64 host):
#  - the .so exports exactly the documented symbols, unversioned, and has
#    cargo-c's soname; the .so and the .a import exactly the design's list;
#  - the .a holds one object whose only global symbols are the API;
#  - no executable stack, in the .so and in programs linked with the .a;
#  - CET: the .so and our archive member carry the IBT+SHSTK property, every
#    exported entry starts with endbr64, and the only indirect branches in our
#    code are the calls of the user's fn in the child (PLT stubs aside).
# Usage: binary-checks.sh LIBDIR
set -u
libdir=$1
so=$libdir/libsched_clone.so
a=$libdir/libsched_clone.a
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n_ok=0; n_bad=0
ok()  { n_ok=$((n_ok + 1)); echo "  PASS  binary        $1"; }
bad() { n_bad=$((n_bad + 1)); echo "  FAIL  binary        $1"; }

expected="__clone __clone2 clone sched_clone3 sched_clone3_set_eperm_fallback sched_clone_version"
exported=$(nm -D --defined-only "$so" | awk '{print $3}' | sort | tr '\n' ' ' | sed 's/ $//')
[ "$exported" = "$expected" ] && ok "exports exactly: $expected" || bad "exports '$exported', expected '$expected'"

if nm -D --defined-only --with-symbol-versions "$so" | grep -q '@'; then bad "exported symbols carry versions"; else ok "exports are unversioned"; fi

# The soname: cargo-c's rule, 0.0.z for 0.0.z, 0.y for 0.y.z, x for x.y.z.
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
IFS=. read -r v_major v_minor v_patch <<<"$version"
if [ "$v_major" != 0 ]; then sover=$v_major
elif [ "$v_minor" != 0 ]; then sover=0.$v_minor
else sover=0.0.$v_patch; fi
soname=$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
[ "$soname" = "libsched_clone.so.$sover" ] && ok "soname $soname (version $version)" ||
    bad "soname '$soname', expected libsched_clone.so.$sover for version $version"

# What the C library imports: __errno_location (errno), memcpy and memset
# (which LLVM, like GCC, may call in any freestanding code; src/clone3.rs
# copies the caller's block). No abort: no reachable path panics. Nothing
# else, in the archive and in the .so.
imports_expected="__errno_location memcpy memset"
imports_a=$(nm -u "$a" 2>/dev/null | awk 'NF == 2 && $1 == "U" {print $2}' | sort -u | tr '\n' ' ' | sed 's/ $//')
[ "$imports_a" = "$imports_expected" ] && ok "the archive imports exactly: $imports_expected" ||
    bad "the archive imports '$imports_a', expected '$imports_expected'"
imports_so=$(nm -D --undefined-only "$so" | awk '$1 == "U" {sub(/@.*/, "", $2); print $2}' | sort -u | tr '\n' ' ' | sed 's/ $//')
[ "$imports_so" = "$imports_expected" ] && ok "the .so imports exactly: $imports_expected" ||
    bad "the .so imports '$imports_so', expected '$imports_expected'"

# The archive: one member, the API its only global symbols (a libc
# experiment linking it sees nothing else), nothing of Rust's left global.
members=$(ar t "$a" | tr '\n' ' ' | sed 's/ $//')
[ "$members" = "sched_clone.o" ] && ok "the archive has one member, sched_clone.o" || bad "archive members: $members"
globals_a=$(nm -g --defined-only "$a" 2>/dev/null | awk 'NF == 3 {print $3}' | sort | tr '\n' ' ' | sed 's/ $//')
[ "$globals_a" = "$expected" ] && ok "the archive's global symbols are exactly the API" ||
    bad "the archive's global symbols: '$globals_a', expected '$expected'"
if nm "$a" 2>/dev/null | grep -q '_ZN11sched_clone'; then
    n_local=$(nm "$a" | grep -c ' [a-z] _ZN11sched_clone')
    n_rust=$(nm "$a" | grep -c '_ZN11sched_clone')
    [ "$n_local" = "$n_rust" ] && ok "all $n_rust _ZN11sched_clone symbols are local" || bad "$((n_rust - n_local)) _ZN11sched_clone symbols are not local"
else
    ok "no _ZN11sched_clone symbols at all"
fi

stack_flags() { readelf -lW "$1" | awk '$1 == "GNU_STACK" {print $7}'; }
[ "$(stack_flags "$so")" = "RW" ] && ok "GNU_STACK RW in the .so" || bad "GNU_STACK '$(stack_flags "$so")' in the .so"

# The call goes through a volatile pointer so that the compiler can neither
# fold it away nor drop the reference: the program really links, and runs,
# a clone (ours, as nm shows below). A NULL fn is EINVAL in ours and glibc's.
cat > "$tmp/p.c" <<'C'
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
int (*volatile use_clone)(int (*)(void *), void *, int, void *, ...) = clone;
int main(void) { return !(use_clone(0, 0, 0, 0) == -1 && errno == EINVAL); }
C
text_size() { size "$1" | awk 'NR == 2 {print $1}'; }
if cc -o "$tmp/p" "$tmp/p.c" "$a" -Wl,-z,cet-report=warning 2>"$tmp/cet.log" &&
   cc -o "$tmp/p0" "$tmp/p.c"; then
    if nm "$tmp/p" | grep -q ' T sched_clone_version$'; then ok "a program referencing clone links our member"
    else bad "a program referencing clone did not link our member"; fi
    if nm "$tmp/p" | grep -q ' T clone$' && "$tmp/p"; then ok "the program's clone is ours (defined in it) and runs: EINVAL for a NULL fn"
    else bad "the program linked with the .a defines no clone, or its call failed"; fi
    grown=$(( $(text_size "$tmp/p") - $(text_size "$tmp/p0") ))
    [ "$grown" -lt 16384 ] && ok "the .a adds $grown bytes of text to a program" || bad "the .a adds $grown bytes of text"
    [ "$(stack_flags "$tmp/p")" = "RW" ] && ok "GNU_STACK RW in a program linked with the .a" || bad "GNU_STACK '$(stack_flags "$tmp/p")' with the .a"
    if grep -q 'libsched_clone' "$tmp/cet.log"; then bad "a member of the .a lacks the CET property: $(grep libsched_clone "$tmp/cet.log" | head -n 2)"
    else ok "every linked member of the .a carries IBT+SHSTK (cet-report)"; fi
else
    bad "cannot link a program with the .a: $(head -n 3 "$tmp/cet.log")"
fi


if [ "$(uname -m)" = x86_64 ]; then
    notes=$(readelf -n "$so")
    case $notes in *"x86 feature: IBT, SHSTK"*) ok "the .so is marked IBT, SHSTK" ;; *) bad "the .so lacks the IBT/SHSTK note" ;; esac
    objdump -d --no-show-raw-insn "$so" > "$tmp/dis"
    for sym in $expected; do
        first=$(awk -v s="<$sym>:" '$2 == s {getline; print $2; exit}' "$tmp/dis")
        [ "$first" = endbr64 ] && ok "$sym starts with endbr64" || bad "$sym starts with '$first'"
    done
    # Indirect branches in our own functions (crt code and PLT stubs aside):
    # only `call *%r9`, the child's call of fn, and calls through the GOT to
    # libc (`call *disp(%rip)`). A jump table would show up as `jmp *`.
    indirect=$(awk '/^[0-9a-f]+ <.*>:$/ {fn = $2}
        /(jmp|call) +\*/ && fn !~ /@plt|^<\.plt|^<_init>|^<_fini>|tm_clones>|^<__do_global_dtors_aux>|^<frame_dummy>/ {print fn, $2, $3}' "$tmp/dis")
    others=$(printf '%s\n' "$indirect" | grep -v -E 'call \*%r9$|call \*0x[0-9a-f]+\(%rip\)' | grep -v '^$')
    [ -z "$others" ] && ok "no indirect branch into our code besides the child's call of fn" || bad "unexpected indirect branches: $others"
fi

echo "binary-checks: $n_ok passed, $n_bad failed"
[ $n_bad -eq 0 ]
