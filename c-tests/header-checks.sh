#!/usr/bin/env bash
# The header matrix: include/sched_clone.h compiles, with -Wall -Wextra
# -Werror -pedantic, in every combination of
#   compiler   gcc, clang, g++, clang++, musl-gcc
#   standard   C89 C99 C11 C17 (C compilers), C++98 C++11 C++17 C++20 (C++)
#   context    alone; after and before <sched.h>; after and before
#              <linux/sched.h>; between <sched.h> and <linux/sched.h>
# and each compile asserts, at compile time, what the header promises: the
# four CLONE_* flags with <linux/sched.h>'s values, the version macros, the
# struct's size and alignment, every prototype (const args included); and no
# macro of ours is redefined differently by a system header included after it.
# musl ships no <linux/sched.h>: those contexts are SKIP under musl-gcc.
# Usage: header-checks.sh [INCLUDE_DIR]   (default: the repository's include/)
set -u
here=$(cd "$(dirname "$0")" && pwd)
incdir=${1:-$here/../include}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$here/report.sh" header

# The checks, valid C89 and C++98: a negative array size fails the compile.
cat > "$tmp/checks.h" <<'C'
#define CHECK(name, cond) typedef char name[(cond) ? 1 : -1]
CHECK(newtime_flag, CLONE_NEWTIME == 0x80);
CHECK(pidfd_flag, CLONE_PIDFD == 0x1000);
/* The 64-bit flags need `long long`: C99, C++11, C89 with __extension__,
 * C++98 with -Wno-long-long (g++ ignores __extension__ there). */
#if !defined(__cplusplus) || __cplusplus >= 201103L || defined(TEST_LONG_LONG)
CHECK(clear_sighand_flag, __extension__ CLONE_CLEAR_SIGHAND == (__extension__ 1ULL << 32));
CHECK(into_cgroup_flag, __extension__ CLONE_INTO_CGROUP == (__extension__ 1ULL << 33));
#endif
CHECK(version_macros, SCHED_CLONE_VERSION_MAJOR >= 0 && SCHED_CLONE_VERSION_MINOR >= 0
                      && SCHED_CLONE_VERSION_PATCH >= 0);
CHECK(args_size, sizeof(struct sched_clone_args) == SCHED_CLONE_ARGS_SIZE_VER2);
CHECK(sizes, SCHED_CLONE_ARGS_SIZE_VER0 == 64 && SCHED_CLONE_ARGS_SIZE_VER1 == 80);
struct aligned_probe { char c; struct sched_clone_args a; };
CHECK(args_align, offsetof(struct aligned_probe, a) == 8);
#ifdef CLONE_ARGS_SIZE_VER2
CHECK(kernel_struct, sizeof(struct clone_args) == sizeof(struct sched_clone_args));
#endif
int (*use_clone2)(int (*)(void *), void *, size_t, int, void *, ...) = __clone2;
int (*use_clone3)(const struct sched_clone_args *, size_t, int (*)(void *), void *) = sched_clone3;
int (*use_eperm)(int) = sched_clone3_set_eperm_fallback;
const char *(*use_version)(void) = sched_clone_version;
#ifdef SCHED_CLONE_WITH_SCHED_H
int (*use_clone)(int (*)(void *), void *, int, void *, ...) = clone;
#endif
int main(void) { return use_version == 0 || use_clone2 == 0 || use_clone3 == 0 || use_eperm == 0; }
C

# context name -> the lines before and after our include
contexts="alone sched-first sched-after linux-first linux-after sched-ours-linux"
prologue() { # context
    printf '#ifndef _GNU_SOURCE\n#define _GNU_SOURCE\n#endif\n#include <stddef.h>\n'
    case $1 in
    sched-first) printf '#include <sched.h>\n' ;;
    linux-first) printf '#include <linux/sched.h>\n' ;;
    sched-ours-linux) printf '#include <sched.h>\n' ;;
    esac
    printf '#include <sched_clone.h>\n'
    case $1 in
    sched-after) printf '#include <sched.h>\n' ;;
    linux-after|sched-ours-linux) printf '#include <linux/sched.h>\n' ;;
    esac
    case $1 in sched-*) printf '#define SCHED_CLONE_WITH_SCHED_H 1\n' ;; esac
}

warn="-Wall -Wextra -Werror -pedantic"
for cc in gcc clang g++ clang++ musl-gcc; do
    case $cc in
    g++|clang++) stds="c++98 c++11 c++17 c++20"; ext=cc ;;
    *) stds="c89 c99 c11 c17"; ext=c ;;
    esac
    if ! command -v $cc >/dev/null 2>&1; then
        skip "$cc (all)" "$cc is not installed"; continue
    fi
    for ctx in $contexts; do
        src=$tmp/$ctx.$ext
        { prologue "$ctx"; cat "$tmp/checks.h"; } > "$src"
        for std in $stds; do
            row="$cc -std=$std $ctx"
            case $cc/$ctx in musl-gcc/linux-*|musl-gcc/*-linux)
                skip "$row" "musl has no <linux/sched.h>"; continue ;;
            esac
            extras=("")
            [ "$std" = c++98 ] && extras+=("-DTEST_LONG_LONG -Wno-long-long")
            for extra in "${extras[@]}"; do
                # shellcheck disable=SC2086
                # A system header's redefinition of one of our flags is silent
                # unless -Wsystem-headers: ask for it, fail on any "redefined".
                if $cc -std=$std $warn $extra -I"$incdir" -fsyntax-only "$src" >"$tmp/log" 2>&1 &&
                   $cc -std=$std $extra -Wsystem-headers -I"$incdir" -fsyntax-only "$src" >"$tmp/sys.log" 2>&1 &&
                   ! grep -A3 'redefined' "$tmp/sys.log" >"$tmp/log"; then
                    ok "$row${extra:+ ($extra)}"
                else
                    bad "$row${extra:+ ($extra)}"; sed 's/^/        | /' "$tmp/log" | head -n 8
                fi
            done
        done
    done
done

report_end header-checks
