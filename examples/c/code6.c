#define _GNU_SOURCE  
#include <stdio.h>  
#include <stdlib.h>  
#include <unistd.h>  
#include <sched.h>  
#include <sys/wait.h>  
#include <sys/mount.h>  
#include <errno.h>  
#include <string.h>  
  
#define STACK_SIZE (1024 * 1024)  
  
// Function to be executed by the new process  
int child_function(void *arg) {

printf("Child process created successfully! PID: %d\n", getpid());

// Mount a temporary filesystem in the child process
if (mount("none", "/mnt", "tmpfs", 0, NULL) == -1) {
    perror("mount");
    exit(EXIT_FAILURE);
}
printf("Temporary filesystem mounted successfully in child process!\n");

// Unmount the filesystem
if (umount("/mnt") == -1) {
    perror("umount");
    exit(EXIT_FAILURE);
}
printf("Filesystem unmounted successfully in child process!\n");

// Get the mount namespace of the child process
char child_ns[256];
snprintf(child_ns, sizeof(child_ns), "/proc/%d/ns/mnt", getpid());

// Read the symbolic link target
char child_target[256];
ssize_t child_read = readlink(child_ns, child_target, sizeof(child_target)
- 1);
if (child_read == -1) {
    perror("readlink");
    exit(EXIT_FAILURE);
}
child_target[child_read] = '\0';

printf("Child mount namespace: %s\n", child_target);

return 0;
}

int main() {
    // Allocate stack for the new process
    void *stack = malloc(STACK_SIZE);
    if (stack == NULL) {
        perror("malloc");
        exit(EXIT_FAILURE);
    }

    // Call clone() to create a new process with CLONE_NEWNS flag
    int flags = CLONE_VM | CLONE_NEWNS | SIGCHLD;
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

    // Get the mount namespace of the parent process
    char parent_ns[256];
    snprintf(parent_ns, sizeof(parent_ns), "/proc/%d/ns/mnt", getpid());

 
    // Read the symbolic link target
    char parent_target[256];
    ssize_t parent_read = readlink(parent_ns, parent_target,
    sizeof(parent_target) - 1);
    if (parent_read == -1) {
        perror("readlink");
        exit(EXIT_FAILURE);
    }
    parent_target[parent_read] = '\0';

    printf("Parent mount namespace: %s\n", parent_target);

    return 0;
}

