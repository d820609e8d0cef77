#!/usr/bin/env bash
# Checks on the built library itself (x86_64 host):
#  - the .so exports exactly the documented symbols, unversioned, and has a soname;
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

soname=$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
[ "$soname" = "libsched_clone.so.0" ] && ok "soname $soname" || bad "soname '$soname'"

stack_flags() { readelf -lW "$1" | awk '$1 == "GNU_STACK" {print $7}'; }
[ "$(stack_flags "$so")" = "RW" ] && ok "GNU_STACK RW in the .so" || bad "GNU_STACK '$(stack_flags "$so")' in the .so"

cat > "$tmp/p.c" <<'C'
#define _GNU_SOURCE
#include <sched.h>
int main(void) { return clone == 0; }
C
if cc -o "$tmp/p" "$tmp/p.c" "$a" -Wl,-z,cet-report=warning 2>"$tmp/cet.log"; then
    [ "$(stack_flags "$tmp/p")" = "RW" ] && ok "GNU_STACK RW in a program linked with the .a" || bad "GNU_STACK '$(stack_flags "$tmp/p")' with the .a"
    if grep -q 'libsched_clone' "$tmp/cet.log"; then bad "a member of the .a lacks the CET property: $(grep libsched_clone "$tmp/cet.log" | head -n 2)"
    else ok "every linked member of the .a carries IBT+SHSTK (cet-report)"; fi
else
    bad "cannot link a program with the .a: $(head -n 3 "$tmp/cet.log")"
fi

# The header beside <sched.h>, in C and C++, in both orders, warnings as errors.
incdir=$(cd "$libdir/../include" 2>/dev/null && pwd)
for order in "sched.h sched_clone.h" "sched_clone.h sched.h"; do
    { printf '#ifndef _GNU_SOURCE\n#define _GNU_SOURCE\n#endif\n'; for h in $order; do echo "#include <$h>"; done
      echo 'int (*const use_clone)(int (*)(void *), void *, int, void *, ...) = clone;'
      echo 'int (*const use_clone2)(int (*)(void *), void *, size_t, int, void *, ...) = __clone2;'
      echo 'int (*const use_clone3)(struct sched_clone_args *, size_t, int (*)(void *), void *) = sched_clone3;'
      echo 'const char *(*const use_version)(void) = sched_clone_version;'
      echo 'int main(void) { return sizeof(struct sched_clone_args) != SCHED_CLONE_ARGS_SIZE_VER2; }'
    } > "$tmp/h.c"
    cp "$tmp/h.c" "$tmp/h.cc"
    if cc -std=gnu11 -Wall -Wextra -Werror -pedantic -Wno-long-long -I"$incdir" -c -o /dev/null "$tmp/h.c" 2>"$tmp/h.log"; then
        ok "header compiles in C with <sched.h> (order: $order)"
    else bad "header in C (order: $order): $(head -n 3 "$tmp/h.log")"; fi
    if c++ -std=gnu++17 -Wall -Wextra -Werror -I"$incdir" -c -o /dev/null "$tmp/h.cc" 2>"$tmp/h.log"; then
        ok "header compiles in C++ with <sched.h> (order: $order)"
    else bad "header in C++ (order: $order): $(head -n 3 "$tmp/h.log")"; fi
done

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
