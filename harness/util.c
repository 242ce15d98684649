/* util.c: small helpers shared by the driver and the detectors. */
#define _GNU_SOURCE
#include "leakharness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *read_file(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t cap = 8192, used = 0;
    char *buf = malloc(cap + 1);
    while (buf != NULL && used < max) {
        if (used == cap) {
            char *bigger = realloc(buf, cap * 2 + 1);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger, cap *= 2;
        }
        size_t want = cap - used < max - used ? cap - used : max - used;
        ssize_t n = read(fd, buf + used, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    close(fd);
    if (buf != NULL)
        buf[used] = '\0';
    if (len != NULL)
        *len = used;
    return buf;
}

char *path_join(const char *dir, const char *name)
{
    char *path = NULL;
    return asprintf(&path, "%s/%s", dir, name) < 0 ? NULL : path;
}

/* Returns 1 if path is a regular file we may execute. */
static int is_executable(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

char *find_in_path(const char *name)
{
    if (strchr(name, '/') != NULL)
        return is_executable(name) ? strdup(name) : NULL;
    const char *path = getenv("PATH");
    if (path == NULL || *name == '\0')
        return NULL;
    for (const char *p = path; *p != '\0';) {
        size_t len = strcspn(p, ":");
        char *candidate = NULL;
        if (asprintf(&candidate, "%.*s/%s", (int)(len ? len : 1), len ? p : ".", name) < 0)
            return NULL;
        if (is_executable(candidate))
            return candidate;
        free(candidate);
        p += len;
        if (*p == ':')
            p++;
    }
    return NULL;
}

int file_contains(const char *path, const char *needle)
{
    size_t len = 0;
    char *text = read_file(path, (size_t)1 << 30, &len);
    if (text == NULL)
        return 0;
    int found = memmem(text, len, needle, strlen(needle)) != NULL;
    free(text);
    return found;
}

char **command_argv(const char *const prefix[], const struct options *o)
{
    size_t np = 0, na = 0;
    while (prefix != NULL && prefix[np] != NULL)
        np++;
    while (o->argv[na] != NULL)
        na++;
    char **v = malloc((np + na + 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < np; i++)
        v[i] = (char *)prefix[i];
    v[np] = (char *)o->program;
    for (size_t i = 1; i <= na; i++)
        v[np + i] = o->argv[i];
    return v;
}

int is_asan_build(const char *path)
{
    return file_contains(path, "__asan_init");
}

int valgrind_check(const struct options *o, struct text *why)
{
    char *valgrind = find_in_path("valgrind");
    free(valgrind);
    if (valgrind == NULL)
        return text_setf(why, "valgrind is not installed (apt-get install valgrind)"), LC_SKIP;
    if (is_asan_build(o->program))
        return text_setf(why, "%s is an ASan build: valgrind tools need the plain build",
                         o->program), LC_UNJUDGED;
    return 0;
}
