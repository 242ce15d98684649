/* leakgrade_all.c: grades a whole class's fixes of one scenario at once.
 *
 *   leakgrade-all [--out=DIR] [--jobs=N] [--seed=N] [--timeout=S] [--deadline=S]
 *                 [--roster=FILE] [--build=DIR] SCENARIO DIR
 *
 * Every entry of DIR is one student's submission: a file NAME.c, or a folder
 * NAME holding SCENARIO.c (or one other .c file). Any other file is handed
 * in too, as the student named it, and is found not to be C. Each is graded
 * by a leakgrade child of its own (posix_spawn, no shell: any name works, in
 * its own process group, stopped at a deadline), N at a time, every child
 * with the same seed, so the whole class runs the same workloads. Each child
 * writes OUT/NAME/results.json (Gradescope's shape) and OUT/NAME/grade.txt
 * (its report; NAME made safe for a path, folder_for); a child that ends without results (killed at the deadline,
 * crashed) gets a not-graded results.json written here. Once every child is
 * done, OUT/scoreboard.csv gets a row per student, read from the
 * results.json files: student, score, each check's points, verdict, reason,
 * where its results.json is.
 *
 * Exit status: 0 the class is graded (whatever the scores); 2 bad usage, or
 * the lab is not built, or OUT cannot be written.
 */
#define _GNU_SOURCE
#include "grade_common.h"
#include "leakharness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef LEAKGRADE_BUILD_DIR
#define LEAKGRADE_BUILD_DIR "build"
#endif
#ifndef LEAKGRADE_PATH
#define LEAKGRADE_PATH "leakgrade"
#endif

/* ---- small helpers -------------------------------------------------------- */

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("grade-all: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the class ------------------------------------------------------------- */

struct student {
    char *name;     /* the row's name: the file's name less ".c", or the folder's */
    char *path;     /* what leakgrade grades (may not exist: a missing one) */
    char *folder;   /* its folder under OUT: the name, made safe (folder_for) */
    char *dir;      /* OUT/folder: results.json, grade.txt, work/ */
    pid_t pid;      /* its leakgrade, while it runs */
    double started, seconds;
    int status;     /* how leakgrade ended: exit status, or 128 + signal */
    int overdue;    /* 1: stopped at the deadline */
    json_t *results;
};

static struct student *class;
static size_t n_class, cap_class;

static struct student *add_student(const char *name, const char *path)
{
    if (n_class == cap_class) {
        cap_class = cap_class ? 2 * cap_class : 64;
        class = realloc(class, cap_class * sizeof *class);
        if (class == NULL)
            die("out of memory");
    }
    struct student *s = &class[n_class++];
    *s = (struct student){.name = strdup(name), .path = strdup(path), .pid = -1};
    if (s->name == NULL || s->path == NULL)
        die("out of memory");
    return s;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct student *)a)->name, ((const struct student *)b)->name);
}

static struct student *find_student(const char *name)
{
    for (size_t i = 0; i < n_class; i++)
        if (!strcmp(class[i].name, name))
            return &class[i];
    return NULL;
}

/* A name that can be a folder of OUT: one path component, not hidden. */
static int good_name(const char *name)
{
    return name[0] != '\0' && name[0] != '.' && strchr(name, '/') == NULL;
}

/* Every entry of dir, in name order: NAME.c files and NAME folders are the
 * students NAME; any other file keeps its whole name. */
static void read_class(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        die("%s: cannot read the folder of submissions: %s", dir, strerror(errno));
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char *path = xprintf("%s/%s", dir, e->d_name), *name = strdup(e->d_name);
        struct stat sb;
        size_t len = strlen(e->d_name);
        if (name == NULL)
            die("out of memory");
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && len > 2 && !strcmp(name + len - 2, ".c"))
            name[len - 2] = '\0';
        if (find_student(name) != NULL) { /* "x.c" and a folder "x": keep both */
            free(name);
            name = strdup(e->d_name);
        }
        add_student(name, path);
        free(name), free(path);
    }
    closedir(d);
}

/* The roster (one name a line, '#' comments): a student on it who handed in
 * nothing gets a row too, graded as the missing DIR/NAME. */
static void read_roster(const char *roster, const char *dir)
{
    char *text = read_file(roster, (size_t)1 << 24, NULL);
    if (text == NULL)
        die("--roster=%s: cannot read it: %s", roster, strerror(errno));
    for (char *save, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        line[strcspn(line, "\r")] = '\0';
        if (line[0] == '#' || line[0] == '\0' || find_student(line) != NULL)
            continue;
        if (!good_name(line))
            die("--roster=%s: '%s' cannot be a student's name (a '/' or a leading '.')", roster, line);
        char *path = xprintf("%s/%s", dir, line);
        add_student(line, path);
        free(path);
    }
    free(text);
}

/* The folder of s under OUT: its name with every character but letters,
 * digits, space, '.', '_' and '-' made '_' (LSan's report path cannot hold a
 * '"', and a shell user will thank us), and "-2", "-3"... when an earlier
 * student's folder has that name already. */
static void folder_for(struct student *s)
{
    char *base = strdup(s->name);
    if (base == NULL)
        die("out of memory");
    for (char *p = base; *p; p++)
        if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9') &&
            strchr(" ._-", *p) == NULL)
            *p = '_';
    s->folder = xprintf("%s", base);
    for (int k = 2;; k++) {
        int taken = 0;
        for (struct student *t = class; t < s; t++)
            taken |= !strcmp(t->folder, s->folder);
        if (!taken)
            break;
        free(s->folder);
        s->folder = xprintf("%s-%d", base, k);
    }
    free(base);
}

/* ---- grading: a leakgrade child per student ------------------------------- */

static struct {
    const char *out, *build, *roster, *scenario, *dir, *timeout;
    unsigned long long seed;
    int seed_given, jobs, pictures;
    double deadline;
} opt = {.out = NULL, .build = LEAKGRADE_BUILD_DIR, .jobs = 2, .deadline = 900};

/* Starts s's leakgrade: stdin /dev/null, stdout and stderr into
 * OUT/NAME/grade.txt, in a process group of its own (so that the deadline
 * stops it and all it started), with no signal blocked. */
static void start(struct student *s)
{
    char *json = xprintf("%s/results.json", s->dir), *log = xprintf("%s/grade.txt", s->dir);
    char *a_build = xprintf("--build=%s", opt.build), *a_json = xprintf("--json=%s", json);
    char *a_work = xprintf("--work=%s/work", s->dir), *a_seed = xprintf("--seed=%llu", opt.seed);
    char *a_timeout = opt.timeout ? xprintf("--timeout=%s", opt.timeout) : NULL;
    char *argv[11] = {LEAKGRADE_PATH, a_build, a_json, a_work, a_seed, "--jobs=1"};
    int n = 6;
    if (a_timeout)
        argv[n++] = a_timeout;
    argv[n++] = opt.pictures ? "--pictures" : "--no-pictures";
    argv[n++] = (char *)opt.scenario, argv[n++] = s->path, argv[n] = NULL;
    unlink(json); /* an earlier grade's results are not this one's */

    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none;
    sigemptyset(&none);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setsigmask(&at, &none);
    extern char **environ;
    s->started = now();
    int rc = posix_spawn(&s->pid, argv[0], &fa, &at, argv, environ);
    if (rc != 0) {
        s->pid = -1, s->status = 127;
        fprintf(stderr, "grade-all: cannot start %s: %s\n", argv[0], strerror(rc));
    }
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    free(json), free(log), free(a_build), free(a_json), free(a_work), free(a_seed), free(a_timeout);
}

/* Writes a not-graded results.json for s (its leakgrade left none). */
static void write_not_graded(struct student *s, const char *reason)
{
    json_t *b = json_object(), *extra = json_object();
    char *out = xprintf("%s: 0/100, NOT GRADED: %s", opt.scenario, reason);
    json_object_set_new(b, "score", json_integer(0));
    json_object_set_new(b, "output", json_string(out));
    json_object_set_new(b, "tests", json_array());
    json_object_set_new(extra, "scenario", json_string(opt.scenario));
    json_object_set_new(extra, "file", json_string(s->path));
    json_object_set_new(extra, "max_score", json_integer(100));
    json_object_set_new(extra, "verdict", json_string("not_graded"));
    json_object_set_new(extra, "reason", json_string(reason));
    json_object_set_new(b, "extra_data", extra);
    char *path = xprintf("%s/results.json", s->dir);
    if (json_dump_file(b, path, JSON_INDENT(2)) != 0)
        die("cannot write %s", path);
    s->results = b;
    free(out), free(path);
}

/* Reads what s's leakgrade wrote, once it has ended; makes up for a missing
 * or unreadable results.json. */
static void finish(struct student *s)
{
    char *path = xprintf("%s/results.json", s->dir);
    json_error_t err;
    s->results = json_load_file(path, 0, &err);
    if (s->results != NULL && !json_is_integer(json_object_get(s->results, "score")))
        json_decref(s->results), s->results = NULL;
    if (s->results == NULL) {
        char *why = s->overdue ? xprintf("grading took longer than %g s, so it was stopped (see %s/grade.txt)",
                                         opt.deadline, s->dir)
                  : s->status > 128 ? xprintf("the grader was killed by signal %d, leaving no results (see %s/grade.txt)",
                                              s->status - 128, s->dir)
                                    : xprintf("the grader exited %d, leaving no results (see %s/grade.txt)",
                                              s->status, s->dir);
        write_not_graded(s, why);
        free(why);
    }
    free(path);
}

static const char *verdict_of(const struct student *s)
{
    json_t *v = json_object_get(json_object_get(s->results, "extra_data"), "verdict");
    return json_is_string(v) ? json_string_value(v) : "?";
}

static long score_of(const struct student *s)
{
    return (long)json_integer_value(json_object_get(s->results, "score"));
}

/* Grades every student, opt.jobs at a time. SIGCHLD, SIGINT and SIGTERM are
 * blocked and waited for with sigtimedwait (so a deadline needs no polling);
 * an interrupt stops every grade still running. */
static void grade_class(void)
{
    sigset_t wait_for;
    sigemptyset(&wait_for);
    sigaddset(&wait_for, SIGCHLD);
    sigaddset(&wait_for, SIGINT);
    sigaddset(&wait_for, SIGTERM);
    sigprocmask(SIG_BLOCK, &wait_for, NULL);
    size_t next = 0, done = 0;
    int running = 0;
    while (done < n_class) {
        while (running < opt.jobs && next < n_class) {
            struct student *s = &class[next++];
            start(s);
            if (s->pid > 0)
                running++;
            else
                finish(s), done++;
        }
        /* Reap every child that has ended; before it is reaped (its pid not
         * yet free for reuse), stop what it left running in its group. */
        siginfo_t info;
        while (running > 0) {
            info.si_pid = 0;
            if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0)
                break;
            pid_t pid = info.si_pid;
            int status = 0;
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            for (size_t i = 0; i < next; i++) {
                struct student *s = &class[i];
                if (s->pid != pid)
                    continue;
                s->pid = -1, running--, done++;
                s->seconds = now() - s->started;
                s->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                finish(s);
                printf("[%zu/%zu] %s: %ld/100 %s (%.1f s)\n", done, n_class, s->name, score_of(s),
                       verdict_of(s), s->seconds);
                fflush(stdout);
            }
        }
        if (running == 0)
            continue;
        /* Wait for the next end, or the nearest deadline. */
        double t = now(), first = t + opt.deadline;
        for (size_t i = 0; i < next; i++) {
            struct student *s = &class[i];
            if (s->pid <= 0)
                continue;
            if (t >= s->started + opt.deadline && !s->overdue) {
                s->overdue = 1;
                kill(-s->pid, SIGKILL);
            }
            if (s->started + opt.deadline < first)
                first = s->started + opt.deadline;
        }
        double left = first - t < 0.05 ? 0.05 : first - t;
        struct timespec ts = {(time_t)left, (long)((left - (double)(time_t)left) * 1e9)};
        int sig = sigtimedwait(&wait_for, NULL, &ts);
        if (sig == SIGINT || sig == SIGTERM) {
            for (size_t i = 0; i < next; i++)
                if (class[i].pid > 0)
                    kill(-class[i].pid, SIGKILL);
            fprintf(stderr, "grade-all: interrupted; the results so far are under %s\n", opt.out);
            exit(128 + sig);
        }
    }
}

/* ---- the scoreboard --------------------------------------------------------- */

/* Writes one CSV field (RFC 4180): quoted when it holds a comma, a quote, a
 * line break or edge spaces, quotes doubled. A text field that a spreadsheet
 * would take for a formula (=, +, -, @ first) gets a leading "'". */
static void csv_field(FILE *to, const char *s, int text)
{
    int formula = text && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
    size_t n = strlen(s);
    int quote = formula || strpbrk(s, ",\"\r\n") != NULL || (n && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote) {
        fputs(s, to);
        return;
    }
    fputc('"', to);
    if (formula)
        fputc('\'', to);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', to);
        fputc(*p, to);
    }
    fputc('"', to);
}

/* Why a row scored what it did: the reason it was not graded, else the
 * crash or hang (which scores the whole program 0), else the first check
 * that failed or did not run here ("CHECK: what it got"). */
static char *reason_of(const struct student *s)
{
    json_t *extra = json_object_get(s->results, "extra_data"), *t, *first = NULL;
    if (json_is_string(json_object_get(extra, "reason")))
        return strdup(json_string_value(json_object_get(extra, "reason")));
    size_t i;
    json_array_foreach(json_object_get(s->results, "tests"), i, t) {
        json_t *x = json_object_get(t, "extra_data");
        const char *result = json_string_value(json_object_get(x, "result"));
        const char *got = json_string_value(json_object_get(x, "got"));
        if (result == NULL || strcmp(result, "pass") == 0)
            continue;
        if (first == NULL)
            first = t;
        if (!strcmp(json_string_value(json_object_get(t, "name")) ?: "", "no_crash_or_hang") &&
            got != NULL && strncmp(got, "not run", 7) != 0)
            first = t;
    }
    if (first == NULL)
        return strdup("");
    return xprintf("%s: %s", json_string_value(json_object_get(first, "name")),
                   json_string_value(json_object_get(json_object_get(first, "extra_data"), "got")) ?: "");
}

/* Writes OUT/scoreboard.csv: the header, then a row per student in name
 * order. The check columns are every check any result has, in the order
 * they first appear; a student not graded has them empty. */
static void write_scoreboard(void)
{
    struct list checks = {0};
    for (size_t i = 0; i < n_class; i++) {
        size_t k;
        json_t *t;
        json_array_foreach(json_object_get(class[i].results, "tests"), k, t) {
            const char *name = json_string_value(json_object_get(t, "name"));
            size_t j = 0;
            while (name != NULL && j < checks.n && strcmp(checks.item[j], name) != 0)
                j++;
            if (name != NULL && j == checks.n)
                list_add(&checks, name);
        }
    }
    if (checks.oom)
        die("out of memory");
    char *path = xprintf("%s/scoreboard.csv", opt.out), *tmp = xprintf("%s.tmp%ld", path, (long)getpid());
    FILE *to = fopen(tmp, "w");
    if (to == NULL)
        die("cannot write %s: %s", tmp, strerror(errno));
    fputs("student,score", to);
    for (size_t j = 0; j < checks.n; j++)
        fputc(',', to), csv_field(to, checks.item[j], 1);
    fputs(",verdict,reason,results\r\n", to);
    for (size_t i = 0; i < n_class; i++) {
        const struct student *s = &class[i];
        csv_field(to, s->name, 1);
        fprintf(to, ",%ld", score_of(s));
        for (size_t j = 0; j < checks.n; j++) {
            size_t k;
            json_t *t;
            fputc(',', to);
            json_array_foreach(json_object_get(s->results, "tests"), k, t)
                if (!strcmp(json_string_value(json_object_get(t, "name")) ?: "", checks.item[j]))
                    fprintf(to, "%lld", (long long)json_integer_value(json_object_get(t, "score")));
        }
        char *reason = reason_of(s);
        fputc(',', to), csv_field(to, verdict_of(s), 1);
        fputc(',', to), csv_field(to, reason ? reason : "", 1);
        char *results = xprintf("%s/results.json", s->folder);
        fputc(',', to), csv_field(to, results, 1);
        fputs("\r\n", to);
        free(results);
        free(reason);
    }
    if (fclose(to) != 0 || rename(tmp, path) != 0)
        die("cannot write %s: %s", path, strerror(errno));
    printf("scoreboard: %s\n", path);
    list_free(&checks);
    free(path), free(tmp);
}

/* ---- the command line --------------------------------------------------------- */

static void usage(FILE *to)
{
    fprintf(to,
            "usage: scripts/grade-all [OPTIONS] SCENARIO DIR\n"
            "\n"
            "Grades every submission in DIR, a fix of SCENARIO's leak each: a file NAME.c,\n"
            "or a folder NAME holding SCENARIO.c, per student. Writes OUT/NAME/results.json\n"
            "(Gradescope's shape) and OUT/NAME/grade.txt per student (NAME with any\n"
            "character but letters, digits, space, '.', '_', '-' made '_'), and\n"
            "OUT/scoreboard.csv (student, score, each check's points, verdict, reason,\n"
            "the results.json's path in OUT). A submission that is\n"
            "missing, empty, not C, does not compile, hangs or crashes gets its row too.\n"
            "\n"
            "Options:\n"
            "  -jN, --jobs=N      students graded at once (default 2)\n"
            "  --out=DIR          where the results go (default ./grades-SCENARIO)\n"
            "  --seed=N           the seed of the drawn workload, the same for everyone\n"
            "                     (default: random, printed)\n"
            "  --timeout=SECS     how long each run of a program may take (leakgrade's)\n"
            "  --deadline=SECS    how long one student's grade may take in all (default 900)\n"
            "  --pictures         draw each student's heap pictures (off by default: they\n"
            "                     cost 8 more massif runs per student)\n"
            "  --roster=FILE      the class list, a name a line: who handed in nothing gets\n"
            "                     a row (not graded: no such file)\n"
            "  --build=DIR        the lab's build directory (default: %s)\n"
            "  -h, --help         this message\n"
            "\n"
            "Exit status: 0 the class is graded (whatever the scores); 2 bad usage, the\n"
            "lab not built, or OUT cannot be written.\n",
            LEAKGRADE_BUILD_DIR);
}

static void parse_args(int argc, char **argv)
{
    const char *pos[2];
    int n_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char *end;
        if (!strncmp(a, "--out=", 6) && a[6])
            opt.out = a + 6;
        else if (!strncmp(a, "--build=", 8) && a[8])
            opt.build = a + 8;
        else if (!strncmp(a, "--roster=", 9) && a[9])
            opt.roster = a + 9;
        else if (!strncmp(a, "--timeout=", 10) && a[10])
            opt.timeout = a + 10; /* leakgrade checks it */
        else if (!strncmp(a, "--jobs=", 7) || !strncmp(a, "-j", 2)) {
            const char *n = a[1] == 'j' ? a + 2 : a + 7;
            long v = strtol(n, &end, 10);
            if (end == n || *end || v < 1 || v > 256)
                die("%s: the number of jobs is a number from 1 to 256", a);
            opt.jobs = (int)v;
        } else if (!strncmp(a, "--seed=", 7)) {
            errno = 0;
            opt.seed = strtoull(a + 7, &end, 10);
            if (errno || end == a + 7 || *end || a[7] == '-')
                die("--seed wants a whole number, not '%s'", a + 7);
            opt.seed_given = 1;
        } else if (!strncmp(a, "--deadline=", 11)) {
            opt.deadline = strtod(a + 11, &end);
            if (end == a + 11 || *end || !(opt.deadline > 0))
                die("--deadline wants seconds, not '%s'", a + 11);
        } else if (!strcmp(a, "--pictures"))
            opt.pictures = 1;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            usage(stdout), exit(0);
        else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "grade-all: unknown option %s\n\n", a);
            usage(stderr), exit(2);
        } else if (n_pos < 2)
            pos[n_pos++] = a;
        else
            usage(stderr), exit(2);
    }
    if (n_pos != 2)
        usage(stderr), exit(2);
    opt.scenario = pos[0], opt.dir = pos[1];
}

/* Dies unless the lab is built and knows the scenario (grade/lab.conf). */
static void check_lab(void)
{
    char *conf = xprintf("%s/grade/lab.conf", opt.build);
    char *text = read_file(conf, (size_t)1 << 24, NULL);
    if (text == NULL)
        die("%s is missing: configure and build the lab first (scripts/build)", conf);
    char *line = xprintf("\nworkload=%s=", opt.scenario);
    if (strstr(text, line) == NULL)
        die("no scenario '%s' in %s (leakgrade --list names them)", opt.scenario, conf);
    if (access(LEAKGRADE_PATH, X_OK) != 0)
        die("%s is not built: build the lab first (scripts/build)", LEAKGRADE_PATH);
    free(conf), free(text), free(line);
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    check_lab();
    read_class(opt.dir);
    if (opt.roster)
        read_roster(opt.roster, opt.dir);
    if (n_class == 0)
        die("%s holds no submission", opt.dir);
    qsort(class, n_class, sizeof *class, by_name);
    if (opt.out == NULL)
        opt.out = xprintf("grades-%s", opt.scenario);
    if (make_dirs(opt.out) != 0)
        die("cannot create %s: %s", opt.out, strerror(errno));
    if (strchr(opt.out, '"') != NULL)
        die("--out=%s: the path must not hold a '\"' (LSan cannot write reports there)", opt.out);
    for (size_t i = 0; i < n_class; i++) {
        folder_for(&class[i]);
        class[i].dir = xprintf("%s/%s", opt.out, class[i].folder);
        if (make_dirs(class[i].dir) != 0)
            die("cannot create %s: %s", class[i].dir, strerror(errno));
    }
    if (!opt.seed_given && getrandom(&opt.seed, sizeof opt.seed, 0) != sizeof opt.seed)
        opt.seed = (unsigned long long)time(NULL) ^ (unsigned long long)getpid();
    opt.seed %= 1000000000u;
    printf("grade-all %s: %zu submissions in %s, %d at a time, --seed=%llu\n", opt.scenario, n_class,
           opt.dir, opt.jobs, opt.seed);
    fflush(stdout);
    double t0 = now();
    grade_class();
    write_scoreboard();
    size_t pass = 0, not_graded = 0;
    for (size_t i = 0; i < n_class; i++) {
        pass += !strcmp(verdict_of(&class[i]), "pass");
        not_graded += !strcmp(verdict_of(&class[i]), "not_graded");
    }
    printf("graded %zu in %.1f s: %zu passed every check, %zu did not, %zu not graded\n", n_class,
           now() - t0, pass, n_class - pass - not_graded, not_graded);
    return 0;
}
