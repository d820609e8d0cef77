/* Not run by any script: the reproducer of the loongarch64 guest hang that
 * the clone differential's [loong64-nonexec-fn-hangs-guest] class leaves
 * out. No clone wrapper is involved: a forked child calls into a
 * PROT_READ|PROT_WRITE page (filled with the 32-bit word argv[1], default
 * 0xcccccccc, as the differential's non-exec fn is) and should die of SIGSEGV (exit 0 here). Under
 * qemu-system-loongarch64 10 (TCG) with sid's 7.2 loong64 kernel the guest
 * instead hard-locks (watchdog: hard LOCKUP, then RCU stalls), whatever the
 * page holds (0xcccccccc, an invalid encoding, or 0x002a0000, `break 0`,
 * hang alike: it is the non-executable fetch, not the instruction), while
 * qemu-loongarch64 (user mode) delivers the SIGSEGV. Whether qemu-system's
 * TCG or the kernel's fault path loops is not determined. To run it in the VM:
 * build it with lib.sh's loongarch64 compiler (-static), put it in
 * DIR/loongarch64/ and run c-tests/vm.sh with SCHED_CLONE_VM_EXTRA=DIR
 * (its output is lost with the guest: redirect it to /dev/console from a
 * wrapper script). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    unsigned fill = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 0xccccccccu;
    unsigned *page = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return 2;
    for (size_t i = 0; i < 4 * 4096 / sizeof *page; i++)
        page[i] = fill;
    printf("nonexec_jump: fill 0x%08x, calling %p from a forked child\n", fill, (void *)page);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return 2;
    if (pid == 0) {
        ((void (*)(void))(void *)page)();
        _exit(0);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return 2;
    printf("nonexec_jump: child status 0x%x\n", status);
    printf("nonexec_jump: %s\n", WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "no signal");
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? 0 : 1;
}
