/* grade_keep.c: the reference's runs, made once and kept (grade_keep.h).
 *
 * A kept run is a directory STORE/KEY holding a copy of what leakcheck
 * wrote for it and a file ".origin", the directory the run was made in (a
 * grade's own). The copy is made in STORE/KEY.new.XXXXXX and renamed to
 * STORE/KEY, so a kept run is whole or absent, and two grades at once never
 * see half of one. Keeping is an extra: the run itself stays where the
 * grade made it, and a failure to keep it changes nothing of the grade.
 */
#define _GNU_SOURCE
#include "grade_keep.h"
#include "leakharness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ORIGIN ".origin"
#define KEPT_MAX (256u << 20) /* a run with a larger file is not kept */

/* ---- the key --------------------------------------------------------------- */

/* 64-bit FNV-1a of s: a name for the inputs, not a defence against forgery
 * (whoever can write the store can write the reference too). */
static uint64_t fnv1a(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
    return h;
}

/* Appends "file PATH DEV INO SIZE MTIME CTIME" when path names a file (the
 * change time too: a copy that keeps the mtime still gets a new one). */
static void add_identity(struct text *t, const char *path)
{
    struct stat st;
    if (path == NULL || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    text_addf(t, "file %s %ju %ju %jd %jd.%09ld %jd.%09ld\n", path, (uintmax_t)st.st_dev,
              (uintmax_t)st.st_ino, (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec,
              st.st_mtim.tv_nsec, (intmax_t)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the environment variables that steer leakcheck, the loader and
 * valgrind, sorted (the order of environ is the parent's). */
static void add_environment(struct text *t)
{
    static const char *const prefixes[] = {"LEAKCHECK_", "LD_", "VALGRIND", "PATH="};
    extern char **environ;
    struct list picked = {0};
    for (char **e = environ; *e; e++)
        for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
            if (strncmp(*e, prefixes[i], strlen(prefixes[i])) == 0) {
                list_add(&picked, *e);
                break;
            }
    if (picked.n > 0)
        qsort(picked.item, picked.n, sizeof *picked.item, by_string);
    for (size_t i = 0; i < picked.n; i++)
        text_addf(t, "env %s\n", picked.item[i]);
    t->oom |= picked.oom;
    list_free(&picked);
}

char *keep_key(char *const argv[], size_t n, const char *const inputs[], size_t n_inputs)
{
    struct text t = {0};
    char *key = NULL;
    text_addf(&t, "leakgrade kept run 1\nglibc %s\n", gnu_get_libc_version());
    for (size_t i = 0; i < n; i++) {
        if (strncmp(argv[i], "--out=", 6) == 0)
            continue;
        text_addf(&t, "arg %s\n", argv[i]);
        add_identity(&t, argv[i]);
    }
    for (size_t i = 0; i < n_inputs; i++)
        add_identity(&t, inputs[i]);
    add_environment(&t);
    if (!t.oom && asprintf(&key, "%016" PRIx64, fnv1a(text_str(&t), t.len)) < 0)
        key = NULL;
    text_free(&t);
    return key;
}

/* ---- copying a run, its paths rewritten ------------------------------------ */

/* Writes n bytes of p to fd. Returns 0 or -1. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w, n -= (size_t)w;
    }
    return 0;
}

/* Writes s[0..len) to path (created or truncated), each `from` in it
 * written as `to` (from NULL: as it is; the bytes may hold NULs). Returns
 * 0 or -1. */
static int write_replaced(const char *path, const char *s, size_t len, const char *from,
                          const char *to)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), rc = 0;
    size_t flen = from != NULL ? strlen(from) : 0;
    const char *end = s + len, *hit;
    if (fd < 0)
        return -1;
    while (rc == 0 && flen > 0 && (hit = memmem(s, (size_t)(end - s), from, flen)) != NULL) {
        if (write_all(fd, s, (size_t)(hit - s)) != 0 || write_all(fd, to, strlen(to)) != 0)
            rc = -1;
        s = hit + flen;
    }
    if (rc == 0)
        rc = write_all(fd, s, (size_t)(end - s));
    if (close(fd) != 0)
        rc = -1;
    return rc;
}

/* Rewrites, in place, each string of the JSON value v that starts with
 * `from` to start with `to` instead. Returns 0, or -1 out of memory. */
static int rewrite_json(json_t *v, const char *from, const char *to)
{
    size_t flen = strlen(from), i;
    const char *k;
    json_t *item;
    if (json_is_string(v) && strncmp(json_string_value(v), from, flen) == 0) {
        char *s;
        if (asprintf(&s, "%s%s", to, json_string_value(v) + flen) < 0)
            return -1;
        int rc = json_string_set(v, s);
        free(s);
        return rc;
    }
    json_object_foreach(v, k, item) if (rewrite_json(item, from, to) != 0) return -1;
    json_array_foreach(v, i, item) if (rewrite_json(item, from, to) != 0) return -1;
    return 0;
}

/* Copies file `name` from src to dst, the path from in it rewritten to to
 * (from NULL, and program.stdout, the output compared with a submission's:
 * byte for byte). Returns 0 or -1. */
static int copy_one(const char *src, const char *dst, const char *name, const char *from,
                    const char *to)
{
    char *in = path_join(src, name), *out = path_join(dst, name), *s = NULL;
    size_t len = 0;
    int rc = -1;
    if (in == NULL || out == NULL || (s = read_file(in, KEPT_MAX, &len)) == NULL)
        goto cleanup;
    if (len >= KEPT_MAX) {
        errno = EFBIG;
        goto cleanup;
    }
    if (from == NULL || strcmp(name, "program.stdout") == 0) {
        rc = write_replaced(out, s, len, NULL, NULL);
        goto cleanup;
    }
    if (strcmp(name, "verdict.json") == 0) {
        json_t *v = json_loadb(s, len, 0, NULL);
        rc = v == NULL || rewrite_json(v, from, to) != 0 ||
                     json_dump_file(v, out, JSON_INDENT(2)) != 0 ? -1 : 0;
        json_decref(v);
        goto cleanup;
    }
    rc = write_replaced(out, s, len, from, to);
cleanup:
    free(in), free(out), free(s);
    return rc;
}

/* Returns 1 when the entry e of the open directory d is a regular file
 * (asking stat where the file system does not say in the entry). */
static int is_file(DIR *d, const struct dirent *e)
{
    struct stat st;
    if (e->d_type != DT_UNKNOWN)
        return e->d_type == DT_REG;
    return fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/* Copies the regular files of src (but .origin) into dst, made if missing,
 * the path `from` in them rewritten to `to` (from NULL: as they are).
 * Returns 0 or -1. */
static int copy_run(const char *src, const char *dst, const char *from, const char *to)
{
    DIR *d = opendir(src);
    struct dirent *e;
    int rc = -1;
    if (d == NULL || make_dirs(dst) != 0)
        goto cleanup;
    while ((errno = 0, e = readdir(d)) != NULL) {
        if (!is_file(d, e) || strcmp(e->d_name, ORIGIN) == 0)
            continue;
        if (copy_one(src, dst, e->d_name, from, to) != 0)
            goto cleanup;
    }
    rc = errno ? -1 : 0;
cleanup:
    if (d != NULL)
        closedir(d);
    return rc;
}

int keep_fetch(const char *store, const char *key, const char *dir)
{
    char *kept = path_join(store, key), *origin_path = kept ? path_join(kept, ORIGIN) : NULL;
    char *origin = origin_path ? read_file(origin_path, 1 << 16, NULL) : NULL;
    int rc = origin == NULL ? -1 : copy_run(kept, dir, origin, dir);
    free(kept), free(origin_path), free(origin);
    return rc;
}

/* ---- keeping a run ----------------------------------------------------------- */

/* Removes dir's regular files and dir itself (a flat directory). */
static void remove_flat(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL)
        if (is_file(d, e))
            unlinkat(dirfd(d), e->d_name, 0);
    if (d != NULL)
        closedir(d);
    rmdir(dir);
}

int keep_store(const char *store, const char *key, const char *dir)
{
    char *kept = path_join(store, key), *tmp = NULL, *origin_path = NULL;
    int rc = -1;
    if (kept == NULL || make_dirs(store) != 0 || asprintf(&tmp, "%s.new.XXXXXX", kept) < 0) {
        tmp = NULL;
        goto cleanup;
    }
    if (mkdtemp(tmp) == NULL || chmod(tmp, 0755) != 0) { /* readable as make_dirs' are */
        rmdir(tmp);
        goto cleanup;
    }
    /* A copy as it is (its paths dir's), and where it was made. */
    if (copy_run(dir, tmp, NULL, NULL) != 0 || (origin_path = path_join(tmp, ORIGIN)) == NULL ||
        write_replaced(origin_path, dir, strlen(dir), NULL, NULL) != 0) {
        remove_flat(tmp);
        goto cleanup;
    }
    if (rename(tmp, kept) == 0)
        rc = 0;
    else {
        if (errno == EEXIST || errno == ENOTEMPTY)
            rc = 0; /* another grade kept the same run first: it stays */
        remove_flat(tmp);
    }
cleanup:
    free(kept), free(tmp), free(origin_path);
    return rc;
}
