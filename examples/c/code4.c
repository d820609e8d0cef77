#define __GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>

#define STACK_SIZE (1024 * 1024)

// Function to be executed by the new process
int child_function(void *arg) {

printf("Child process created successfully! PID: %d\n", getpid());
system("ps -o pid,ppid,cmd");
// Open a file in the child process
int fd = open("example.txt", O_RDONLY);
if (fd == -1) {
    perror("open");
    exit(EXIT_FAILURE);
}

// Read from the file
char buffer[256];
ssize_t bytes_read = read(fd, buffer, sizeof(buffer));
if (bytes_read == -1) {
    perror("read");
    exit(EXIT_FAILURE);
}

// Print the contents read from the file
printf("Contents read from file in child process:\n");
write(STDOUT_FILENO, buffer, bytes_read);
printf("\n");

// Close the file descriptor
close(fd);

return 0;
}

int main() {
    // Allocate stack for the new process
    void *stack = malloc(STACK_SIZE);
    if (stack == NULL) {
        perror("malloc");
        exit(EXIT_FAILURE);
    }

    // Create a file and write some content to it
    int fd = open("example.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd == -1) {
        perror("open");
        exit(EXIT_FAILURE);
    }
    const char *data = "Hello, this is example text.";
    if (write(fd, data, strlen(data)) == -1) {
        perror("write");
        exit(EXIT_FAILURE);
    }
    close(fd);

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

