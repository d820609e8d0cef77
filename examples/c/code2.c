#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sched.h>
#include <sys/wait.h>
#include <sys/mount.h>

#define STACK_SIZE (1024 * 1024)

// Function to be executed by the new process
int child_function(void *arg) {
    // Check if the filesystem information is shared
    if (mount(NULL, "/", NULL, MS_SHARED | MS_REC, NULL) == -1) {
        perror("mount");
        exit(EXIT_FAILURE);
    }

    printf("Child process created successfully! PID: %d\n", getpid());
    printf("File system information shared with the parent.\n");
    return 0;
}

int main() {
    // Allocate stack for the new process
    void *stack = malloc(STACK_SIZE);
    if (stack == NULL) {
        perror("malloc");
        exit(EXIT_FAILURE);
    }

    // Call clone() to create a new process with CLONE_FS flag
    int flags = CLONE_VM | CLONE_FS | SIGCHLD;
    pid_t pid = clone(child_function, (char *)stack + STACK_SIZE, flags, NULL);
    if (pid == -1) {
        perror("clone");
        exit(EXIT_FAILURE);
    }

    // Wait for the child process to terminate
    if (waitpid(pid, NULL, 0) == -1) {
        perror("waitpid");
        exit(EXIT_FAILURE);
    }

    // Free the allocated stack
    free(stack);

    return 0;
}

