/* The article's CODE-4: clone(CLONE_VM | CLONE_FS | SIGCHLD) with file
 * handling. The parent writes "example.txt" in its working directory (a
 * fresh temporary directory); the child opens it by that relative name,
 * reads it, and the parent checks that the child read exactly what it
 * wrote. */
/* sched-clone-test: musl */
#include "common.h"
#include <fcntl.h>

#define STACK_SIZE (1024 * 1024)

static const char data[] = "Hello, this is example text.";
static char child_buffer[256];
static volatile ssize_t child_bytes_read = -2;

static int child_function(void *arg)
{
    (void)arg;
    int fd = open("example.txt", O_RDONLY);
    if (fd == -1)
        return 1;
    child_bytes_read = read(fd, child_buffer, sizeof child_buffer);
    close(fd);
    if (child_bytes_read < 0)
        return 2;
    static const char hdr[] = "Contents read from file in child process:\n";
    if (write(STDOUT_FILENO, hdr, sizeof hdr - 1) < 0 ||
        write(STDOUT_FILENO, child_buffer, (size_t)child_bytes_read) < 0 ||
        write(STDOUT_FILENO, "\n", 1) < 0)
        return 3;
    return 0;
}

int main(void)
{
    assert_clone_is_ours();

    char dir[] = "/tmp/sched-clone-code4-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
    CHECK(chdir(dir) == 0, "chdir: %s", strerror(errno));

    int fd = open("example.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    CHECK(fd != -1, "open: %s", strerror(errno));
    CHECK(write(fd, data, strlen(data)) == (ssize_t)strlen(data), "write: %s", strerror(errno));
    close(fd);

    void *stack = malloc(STACK_SIZE);
    CHECK(stack != NULL, "malloc failed");
    pid_t pid = clone(child_function, (char *)stack + STACK_SIZE,
                      CLONE_VM | CLONE_FS | SIGCHLD, NULL);
    CHECK(pid > 0, "clone: %s", strerror(errno));

    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    unlink("example.txt");
    CHECK(chdir("/") == 0, "chdir: %s", strerror(errno));
    rmdir(dir);

    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    CHECK(child_bytes_read == (ssize_t)strlen(data), "the child read %zd bytes",
          (ssize_t)child_bytes_read);
    CHECK(memcmp(child_buffer, data, strlen(data)) == 0, "the child read \"%.*s\"",
          (int)child_bytes_read, child_buffer);

    free(stack);
    return 0;
}
