/* support_descriptors_*: snapshots of /proc/self/fd (number, target, device
 * and inode of each open descriptor) and their comparison. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <support/check.h>
#include <support/descriptors.h>

struct descriptor {
    int fd;
    dev_t dev;
    ino_t ino;
    char target[PATH_MAX];
};

struct support_descriptors {
    size_t count;
    struct descriptor *fds;
};

static struct support_descriptors *snapshot(void)
{
    struct support_descriptors *list = calloc(1, sizeof *list);
    DIR *dir = opendir("/proc/self/fd");
    if (list == NULL || dir == NULL)
        FAIL_EXIT1("cannot list /proc/self/fd: %m");
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        int fd = atoi(e->d_name);
        if (fd == dirfd(dir))
            continue;
        if (list->count == cap) {
            cap = cap ? 2 * cap : 64;
            list->fds = realloc(list->fds, cap * sizeof *list->fds);
            if (list->fds == NULL)
                FAIL_EXIT1("out of memory");
        }
        struct descriptor *d = &list->fds[list->count++];
        struct stat st;
        memset(d, 0, sizeof *d);
        d->fd = fd;
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(path, d->target, sizeof d->target - 1);
        if (n < 0)
            FAIL_EXIT1("readlink %s: %m", path);
        if (fstat(fd, &st) == 0) {
            d->dev = st.st_dev;
            d->ino = st.st_ino;
        }
    }
    closedir(dir);
    return list;
}

struct support_descriptors *support_descriptors_list(void)
{
    return snapshot();
}

static const struct descriptor *find(const struct support_descriptors *l, int fd)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->fds[i].fd == fd)
            return &l->fds[i];
    return NULL;
}

void support_descriptors_check(struct support_descriptors *list)
{
    struct support_descriptors *now = snapshot();
    for (size_t i = 0; i < list->count; i++) {
        const struct descriptor *was = &list->fds[i], *is = find(now, was->fd);
        if (is == NULL)
            FAIL("descriptor %d (%s) was closed", was->fd, was->target);
        else if (strcmp(is->target, was->target) != 0 || is->dev != was->dev ||
                 is->ino != was->ino)
            FAIL("descriptor %d changed from %s to %s", was->fd, was->target, is->target);
    }
    for (size_t i = 0; i < now->count; i++)
        if (find(list, now->fds[i].fd) == NULL)
            FAIL("descriptor %d (%s) leaked", now->fds[i].fd, now->fds[i].target);
    support_descriptors_free(now);
}

void support_descriptors_free(struct support_descriptors *list)
{
    free(list->fds);
    free(list);
}
