#!/usr/bin/env bash
# The two install paths, and what a C user builds with them:
#  - `make install` only builds and copies: its recipe runs no cargo test
#    and regenerates no header, and the source tree is unchanged after it;
#  - `make install` and `cargo cinstall` (cargo-c) into the same prefix,
#    each under its own DESTDIR, give the same tree: the same names, file
#    types and symlink targets, the same soname and exports, and the same
#    .pc, header and man pages byte for byte;
#  - `make uninstall` removes exactly what `make install` put there (a
#    foreign file in the same directories survives);
#  - a program that calls clone() is built against each real-prefix
#    install with pkg-config alone, with CMake's pkg_check_modules and with
#    Meson's dependency('sched_clone'), and runs, its clone ours (dladdr).
# cargo-c rows are SKIP when cargo-cinstall is missing, CMake and Meson rows
# when those are. Usage: install-checks.sh   (from the repository, after make)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
CC=${CC:-cc}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$here/report.sh" install
check() { local what=$1; shift; if "$@" >"$tmp/check.log" 2>&1; then ok "$what"; else bad "$what: $(head -n 5 "$tmp/check.log")"; fi; }

# The C exports: `--cfg cargo_c` (cargo-c's) once the crate gates them on
# it; until then the `capi` feature, if the crate still has it.
capi_features=()
grep -q '^capi = ' "$root/Cargo.toml" && capi_features=(--features capi)
have_cargo_c=0
command -v cargo-cinstall >/dev/null 2>&1 && have_cargo_c=1
cinstall() { # extra cargo-cinstall arguments...
    (cd "$root" && cargo cinstall --release --no-default-features "${capi_features[@]}" \
        --target-dir "$target/cargo-c" --libdir lib "$@")
}

# 1. make install builds and copies, nothing else.
recipe=$(make -s -n -C "$root" install PREFIX=/nonexistent 2>&1)
if printf '%s\n' "$recipe" | grep -Eq 'cargo[^|;]* test|SCHED_CLONE_BLESS'; then
    bad "make install's recipe runs cargo test or rewrites the header"
else ok "make install's recipe runs no cargo test and regenerates no header"; fi
before=$(cd "$root" && git status --porcelain --untracked-files=no; sha256sum include/sched_clone.h)
prefix=/opt/sched_clone
make -s -C "$root" install DESTDIR="$tmp/make" PREFIX=$prefix >"$tmp/make.log" 2>&1 ||
    { bad "make install failed: $(tail -n 5 "$tmp/make.log")"; }
after=$(cd "$root" && git status --porcelain --untracked-files=no; sha256sum include/sched_clone.h)
[ "$before" = "$after" ] && ok "make install leaves the source tree as it was" || bad "make install changed the source tree"

# 2. The two trees.
tree() { (cd "$1" && find . -printf '%y %m %p %l\n' | sort); }
soname_of() { readelf -d "$1" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p'; }
exports_of() { nm -D --defined-only "$1" | awk '{print $3}' | sort | tr '\n' ' '; }
if [ $have_cargo_c = 1 ]; then
    start=$(date +%s)
    if cinstall --destdir "$tmp/cargo" --prefix $prefix >"$tmp/cargo.log" 2>&1; then
        ok "cargo cinstall ($(( $(date +%s) - start )) s)"
        tree "$tmp/make" > "$tmp/make.tree"; tree "$tmp/cargo" > "$tmp/cargo.tree"
        if cmp -s "$tmp/make.tree" "$tmp/cargo.tree"; then
            ok "the same tree: $(grep -vc '^d' "$tmp/make.tree") files and symlinks, names and link targets"
        else
            bad "the trees differ (< make install, > cargo cinstall): $(diff "$tmp/make.tree" "$tmp/cargo.tree" | grep '^[<>]' | tr '\n' ';')"
        fi
        lib=opt/sched_clone/lib
        # Every file but the two libraries (cargo-c's archive is rustc's own,
        # see README) is the same byte for byte.
        for f in $(cd "$tmp/make" && find . -type f ! -name 'libsched_clone.*' | sed 's|^\./||' | sort); do
            if cmp -s "$tmp/make/$f" "$tmp/cargo/$f"; then ok "the same ${f#opt/sched_clone/}"
            else bad "${f#opt/sched_clone/} differs: $(diff "$tmp/make/$f" "$tmp/cargo/$f" 2>&1 | grep '^[<>]' | head -n 4 | tr '\n' ';')"; fi
        done
        s1=$(soname_of "$tmp/make/$lib/libsched_clone.so"); s2=$(soname_of "$tmp/cargo/$lib/libsched_clone.so")
        [ -n "$s1" ] && [ "$s1" = "$s2" ] && ok "the same soname: $s1" || bad "sonames: make '$s1', cargo-c '$s2'"
        e1=$(exports_of "$tmp/make/$lib/libsched_clone.so"); e2=$(exports_of "$tmp/cargo/$lib/libsched_clone.so")
        [ "$e1" = "$e2" ] && ok "the same exports: $e1" || bad "exports: make '$e1', cargo-c '$e2'"
    else
        bad "cargo cinstall failed: $(tail -n 8 "$tmp/cargo.log")"
    fi
else
    skip "make install vs cargo cinstall" "cargo-cinstall is not installed (cargo install cargo-c)"
fi

# 3. make uninstall removes exactly what was installed.
echo foreign > "$tmp/make$prefix/lib/foreign.txt"
make -s -C "$root" uninstall DESTDIR="$tmp/make" PREFIX=$prefix >/dev/null 2>&1
left=$(cd "$tmp/make" && find . -not -type d | sort | tr '\n' ' ')
[ "$left" = "./opt/sched_clone/lib/foreign.txt " ] && ok "make uninstall removes every installed file and only those" ||
    bad "after make uninstall: '$left' (expected only the foreign file)"

# 4. A C user's builds, against each install into a real prefix.
cat > "$tmp/prog.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <sched_clone.h>

static char stack[64 * 1024];
static int child(void *arg) { (void)arg; return 5; }

int main(void)
{
    Dl_info info;
    int status;
    pid_t tid;
    int (*fn)(int (*)(void *), void *, int, void *, ...) = clone;

    if (!dladdr(*(void **)&fn, &info) || !strstr(info.dli_fname, "libsched_clone")) {
        fprintf(stderr, "clone is not ours\n");
        return 1;
    }
    tid = clone(child, stack + sizeof stack, SIGCHLD, NULL);
    if (tid == -1 || waitpid(tid, &status, 0) != tid || !WIFEXITED(status) || WEXITSTATUS(status) != 5)
        return 1;
    printf("clone from %s, library %s\n", info.dli_fname, sched_clone_version());
    return 0;
}
C
cat > "$tmp/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(sched_clone_user C)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SCHED_CLONE REQUIRED IMPORTED_TARGET sched_clone)
add_executable(prog prog.c)
target_link_libraries(prog PkgConfig::SCHED_CLONE ${CMAKE_DL_LIBS})
set_target_properties(prog PROPERTIES BUILD_RPATH "${SCHED_CLONE_LIBDIR}")
CMAKE
cat > "$tmp/meson.build" <<'MESON'
project('sched_clone_user', 'c')
dep = dependency('sched_clone')
dl = meson.get_compiler('c').find_library('dl', required: false)
executable('prog', 'prog.c', dependencies: [dep, dl],
           build_rpath: dep.get_variable(pkgconfig: 'libdir'))
MESON

build_with_pkg_config() { # out_dir
    mkdir -p "$1"
    # shellcheck disable=SC2046
    $CC -Wall -Wextra -Werror -o "$1/prog" "$tmp/prog.c" $(pkg-config --cflags --libs sched_clone) \
        -Wl,-rpath,"$(pkg-config --variable=libdir sched_clone)" -ldl && "$1/prog"
}
build_with_cmake() { # out_dir
    cmake -S "$tmp" -B "$1" -G Ninja -DCMAKE_C_FLAGS="-Wall -Wextra -Werror" >/dev/null &&
        cmake --build "$1" >/dev/null && "$1/prog"
}
build_with_meson() { # out_dir
    meson setup "$1" "$tmp" -Dwerror=true -Dwarning_level=2 >/dev/null && ninja -C "$1" >/dev/null && "$1/prog"
}

installs=(make)
[ $have_cargo_c = 1 ] && installs+=(cargo-c)
for how in "${installs[@]}"; do
    real=$tmp/real-$how
    if [ "$how" = make ]; then
        make -s -C "$root" install PREFIX="$real" >/dev/null 2>&1 || { bad "make install PREFIX=$real failed"; continue; }
    else
        cinstall --prefix "$real" >/dev/null 2>&1 || { bad "cargo cinstall --prefix $real failed"; continue; }
    fi
    export PKG_CONFIG_PATH=$real/lib/pkgconfig
    check "$how install: pkg-config --modversion is $(pkg-config --modversion sched_clone 2>&1)" \
        test "$(pkg-config --modversion sched_clone)" = "$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)"
    check "$how install: a program built with pkg-config runs, clone ours" build_with_pkg_config "$tmp/build-$how-pc"
    if command -v cmake >/dev/null && command -v ninja >/dev/null; then
        check "$how install: a program built with CMake pkg_check_modules runs, clone ours" build_with_cmake "$tmp/build-$how-cmake"
    else skip "$how install: CMake" "cmake or ninja is not installed"; fi
    if command -v meson >/dev/null && command -v ninja >/dev/null; then
        check "$how install: a program built with Meson dependency() runs, clone ours" build_with_meson "$tmp/build-$how-meson"
    else skip "$how install: Meson" "meson or ninja is not installed"; fi
done

report_end install-checks
