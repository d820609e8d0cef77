#!/usr/bin/env bash
# The man pages (man/*.3, man/*.7):
#  - each lints clean: `mandoc -T lint -W warning` and `groff -ww -z -mandoc`
#    (no message from either);
#  - every symbol the .so exports is named (.Nm) in the NAME section of a
#    page, and every page this project's pages refer to (.Xr) exists;
#  - each page's EXAMPLES program, extracted from its .Bd -literal block,
#    compiles with -Wall -Wextra -Werror against the built library (the
#    build tree's .pc), runs, exits 0, and the dynamic linker bound every
#    API function it calls to libsched_clone (LD_DEBUG=bindings), the
#    page's own function among them.
# Usage: man-checks.sh   (after `make`; SCHED_CLONE_OUT as for run.sh)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${SCHED_CLONE_OUT:-$root/target/capi}
CC=${CC:-cc}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$here/report.sh" man

so=$out/lib/libsched_clone.so
[ -f "$so" ] || { echo "man-checks.sh: no $so; run 'make' first" >&2; exit 2; }
pages=("$root"/man/*.[37])

# Lint.
for page in "${pages[@]}"; do
    name=$(basename "$page")
    if command -v mandoc >/dev/null; then
        if mandoc -T lint -W warning "$page" >"$tmp/lint" 2>&1 && [ ! -s "$tmp/lint" ]; then ok "$name: mandoc -T lint"
        else bad "$name: mandoc -T lint: $(head -n 3 "$tmp/lint")"; fi
    else skip "$name: mandoc -T lint" "mandoc is not installed"; fi
    if groff -ww -z -mandoc "$page" >"$tmp/lint" 2>&1 && [ ! -s "$tmp/lint" ]; then ok "$name: groff -ww -z"
    else bad "$name: groff -ww -z: $(head -n 3 "$tmp/lint")"; fi
done

# The names each page documents: the .Nm lines of its NAME section.
names_of() { awk '/^\.Sh /{in_name = ($2 == "NAME")} in_name && /^\.Nm /{print $2}' "$1"; }
for page in "${pages[@]}"; do names_of "$page"; done | sort -u > "$tmp/documented"
for sym in $(nm -D --defined-only "$so" | awk '{print $3}' | sort); do
    page=$(grep -l "^\.Nm $sym\( ,\)\?$" "${pages[@]}" | head -n 1)
    if grep -qx "$sym" "$tmp/documented"; then ok "$sym is documented in $(basename "$page")"
    else bad "$sym has no man page"; fi
done
# Cross references to our own pages (a name we document, or sched_clone*).
for page in "${pages[@]}"; do
    awk '/^\.Xr /{print $2 "." $3}' "$page" | sed 's/[ ,]*$//'
done | sort -u | while read -r ref; do
    base=${ref%.*}
    case $base in sched_clone*|__clone2) ;; *) continue ;; esac
    [ -f "$root/man/$ref" ] && echo "ok $ref" || echo "bad $ref"
done > "$tmp/xrefs"
while read -r verdict ref; do
    [ "$verdict" = ok ] && ok "cross reference $ref exists" || bad "cross reference to a missing page: $ref"
done < "$tmp/xrefs"

# The examples.
export PKG_CONFIG_PATH=$out/pkgconfig
cflags=$(pkg-config --cflags sched_clone) || exit 2
libs=$(pkg-config --libs sched_clone) || exit 2
libdir=$(pkg-config --variable=libdir sched_clone) || exit 2
soname=$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
api=$(nm -D --defined-only "$so" | awk '{print $3}')
for page in "${pages[@]}"; do
    name=$(basename "$page")
    src=$tmp/$name.c exe=$tmp/$name.exe
    awk '/^\.Sh /{in_ex = ($2 == "EXAMPLES")} in_ex && /^\.Ed/{exit} in_ex && lit {print}
         in_ex && /^\.Bd -literal/{lit = 1}' "$page" | sed -e 's/\\e/\\/g' -e 's/\\&//g' > "$src"
    if [ ! -s "$src" ]; then bad "$name has no EXAMPLES program"; continue; fi
    # shellcheck disable=SC2086
    if ! $CC -Wall -Wextra -Werror -o "$exe" "$src" $cflags $libs -Wl,-rpath,"$libdir" >"$tmp/build" 2>&1; then
        bad "$name: the example does not build: $(head -n 5 "$tmp/build")"; continue
    fi
    rm -f "$tmp/bind".*
    (cd "$tmp" && LD_DEBUG=bindings LD_DEBUG_OUTPUT="$tmp/bind" timeout 30 "$exe") >"$tmp/run" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then bad "$name: the example exits $rc: $(head -n 3 "$tmp/run")"; continue; fi
    used=$(nm -D --undefined-only "$exe" | awk '{sub(/@.*/, "", $2); print $2}' | grep -Fx "$api")
    own=$(names_of "$page" | head -n 1)
    [ "${name##*.}" = 7 ] && own=
    why=
    [ -n "$used" ] || why="calls no API function"
    if [ -n "$own" ] && ! printf '%s\n' "$used" | grep -qx "$own"; then why="does not call $own"; fi
    for sym in $used; do
        grep -q "to [^ ]*/$soname \[0\]: normal symbol \`$sym'" "$tmp/bind".* ||
            why=${why:-"$sym was not bound to $soname"}
    done
    if [ -z "$why" ]; then ok "$name: example runs, calling ours: $(echo $used) ($(head -n 1 "$tmp/run"))"
    else bad "$name: example $why"; fi
done

report_end man-checks
