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

int make_dirs(const char *dir)
{
    char *path = strdup(dir);
    int rc = path != NULL ? 0 : -1;
    for (char *p = path + 1; rc == 0 && *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            rc = -1;
        *p = '/';
    }
    if (rc == 0 && mkdir(path, 0755) != 0 && errno != EEXIST)
        rc = -1;
    int e = errno;
    free(path);
    errno = e;
    return rc;
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

int site_matches(const char *site, const char *fn, size_t len)
{
    size_t site_len = strlen(site);
    if (len == site_len && strncmp(fn, site, len) == 0)
        return 1;
    const char *params = memchr(fn, '(', len); /* C++: "ns::bad(int) const" */
    size_t name_len = params != NULL ? (size_t)(params - fn) : len;
    const char *name = fn;
    if (strstr(site, "::") == NULL) /* an unqualified site: the last component */
        for (const char *p = fn; p + 1 < fn + name_len; p++)
            if (p[0] == ':' && p[1] == ':')
                name = p + 2;
    size_t n = name_len - (size_t)(name - fn);
    return n == site_len && strncmp(name, site, n) == 0;
}

int is_sanitizer_build(const char *path)
{
    return file_contains(path, "__lsan_") || is_asan_build(path);
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
    if (is_sanitizer_build(o->program))
        return text_setf(why, "%s is a -fsanitize=leak build (standalone LSan): valgrind"
                         " tools need the plain build", o->program), LC_UNJUDGED;
    return 0;
}

int kind_listed(const char *list, const char *kind)
{
    size_t len = strlen(kind);
    for (const char *p = list; p != NULL && *p != '\0';) {
        size_t n = strcspn(p, ",");
        if (n == len && strncmp(p, kind, len) == 0)
            return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

void add_kind(struct findings *f, const char *kind)
{
    if (!kind_listed(text_str(&f->kinds), kind))
        text_addf(&f->kinds, "%s%s", f->kinds.len ? "," : "", kind);
}

char **compile_argv(const char *const prefix[], const struct options *o,
                    const char *const suffix[])
{
    size_t np = 0, na = 0, ns = 0;
    while (prefix[np] != NULL)
        np++;
    while (o->argv[na] != NULL)
        na++;
    while (suffix[ns] != NULL)
        ns++;
    char **v = malloc((np + na + ns + 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < np; i++)
        v[i] = (char *)prefix[i];
    for (size_t i = 0; i < na; i++)
        v[np + i] = o->argv[i];
    for (size_t i = 0; i <= ns; i++)
        v[np + na + i] = (char *)suffix[i];
    return v;
}

int run_analyser(const struct options *o, const char *label, char *const argv[],
                 const char *what, const char *doing, const char *const reports[],
                 struct findings *f)
{
    char *env[] = {(char *)"LC_ALL=C", NULL};
    int rc = harness_run_tool(o, label, argv, env, what, reports, KEEP_STDERR, f);
    if (rc != 0 && f->ran)
        text_addf(&f->problem, " (%s could not %s %s)", what, doing, o->source);
    return rc;
}

void static_findings(const struct options *o, struct findings *f, int warnings, int leaks,
                     const char *site_miss)
{
    f->leak = leaks > 0;
    findings_figure(f, "leak_warnings", leaks);
    findings_figure(f, "analyzer_warnings", warnings);
    text_setf(&f->got, "%d analyser warnings, %d of them leaks%s%s", warnings, leaks,
              f->kinds.len ? ": " : "", text_str(&f->kinds));
    if (o->site != NULL && f->leak && f->site_found != 1) {
        f->site_found = 0;
        text_setf(&f->site_where, "%s", site_miss);
    }
}

void static_warning(const struct options *o, struct findings *f, const struct static_warning *w,
                    const char *site_how)
{
    const char *file = w->file ? w->file : "?", *fn = w->function;
    add_kind(f, w->kind);
    if (!w->leak && !kind_listed(o->kinds, w->kind))
        f->errors++;
    text_addf(&f->context, "    %s:%ld: %s [%s]%s%s\n", file, w->line,
              w->message ? w->message : "?", w->rule ? w->rule : "?",
              fn ? ", allocated in " : "", fn ? fn : "");
    if (w->leak && o->site != NULL && f->site_found != 1 && fn != NULL &&
        strcmp(fn, o->site) == 0) {
        f->site_found = 1;
        text_setf(&f->site_where, "%s (%s:%ld)", site_how, file, w->line);
    }
}

const char *harness_shim(enum shim shim)
{
    /* Each shim's variable (the tests point it at a missing shim), and its
     * path in the build (harness/CMakeLists.txt). */
    static const struct { const char *env, *built; } shims[] = {
        [SHIM_PRELOAD] = {"LEAKCHECK_PRELOAD", LEAKCHECK_PRELOAD},
        [SHIM_FIGURES] = {"LEAKCHECK_FIGURES_PRELOAD", LEAKCHECK_FIGURES_PRELOAD},
        [SHIM_LSAN] = {"LEAKCHECK_LSAN_PRELOAD", LEAKCHECK_LSAN_PRELOAD},
    };
    const char *env = getenv(shims[shim].env);
    return env != NULL ? env : shims[shim].built;
}

char *shim_preload(enum shim shim)
{
    const char *old = getenv("LD_PRELOAD");
    char *s = NULL;
    if (asprintf(&s, "LD_PRELOAD=%s%s%s", old ? old : "", old ? " " : "", harness_shim(shim)) < 0)
        return NULL;
    return s;
}
