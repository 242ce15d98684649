/* tool_massif.c: Valgrind massif, read as a growth verdict.
 *
 * An exit-time checker only sees what is unreachable at the end; massif sees
 * the heap over the whole run. PROGRAM (a plain build) runs under massif with
 * --time-unit=B, so the time axis is bytes allocated and freed so far: it
 * advances with work done, not with the clock, and is the same on every run.
 * The preload shim asks massif for a detailed snapshot when main starts and
 * when main ends (returns, or calls exit()), so the teardown done by exit
 * handlers is left out: growth freed only at exit is still growth.
 *
 * The metric, over main's run [t0, t1] on that axis:
 *   rise   = peak heap during main - heap at t0
 *   late   = heap at t1 - heap at the middle, (t0 + t1) / 2
 *   share  = late / rise
 * A heap that keeps rising with work gives share near 0.5 (linear growth);
 * a working set that grows then plateaus gives share near 0; a burst that is
 * freed gives a negative late growth. The verdict is a leak when
 * share >= --growth-share (default 0.25) and late >= --min-growth (default
 * 16 KiB, above the 4 KiB stdio buffer a program allocates at its first
 * printf). With --pages-as-heap the same is measured on pages mapped.
 * ms_print's rendering of the run is kept in ms_print.txt, and a picture of
 * it in heap.svg (heap_svg.c).
 */
#define _GNU_SOURCE
#include "heap_svg.h"
#include "leakharness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns the most bytes any node of a detailed snapshot's allocation tree
 * attributes to function fn ("n1: 268800 0x1093: make_record (x.c:32)"). */
static long tree_bytes(const char *path, const char *fn)
{
    char *text = read_file(path, 64 << 20, NULL);
    long best = 0;
    for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        long bytes;
        const char *name = strstr(line, ": ");
        if (name == NULL || sscanf(line, " n%*d: %ld", &bytes) != 1)
            continue;
        name = strstr(name + 2, ": "); /* "FUNCTION (FILE:LINE)" */
        const char *place = name != NULL ? strstr(name + 2, " (") : NULL;
        if (place != NULL && site_matches(fn, name + 2, (size_t)(place - name - 2)) &&
            bytes > best)
            best = bytes;
    }
    free(text);
    return best;
}

/* Runs ms_print on the massif output, keeping its text as ms_print.txt. */
static void keep_ms_print(const struct options *o, const char *out, struct findings *f)
{
    char *tool = find_in_path("ms_print"), *txt = path_join(o->out_dir, "ms_print.txt");
    if (tool == NULL) {
        text_addf(&f->got, " (ms_print is not installed: only massif.out kept)");
        free(txt);
        return;
    }
    struct options quiet = *o;
    quiet.argv = (char *const[]){(char *)"ms_print", NULL};
    quiet.program = tool;
    quiet.max_output = (size_t)64 << 20;
    struct run r = {0};
    char *const argv[] = {tool, (char *)out, NULL};
    if (run_program(&quiet, "ms_print", argv, NULL, &r) == 0 && r.end == RUN_EXITED &&
        r.code == 0 && txt != NULL && rename(text_str(&r.out_path), txt) == 0) {
        remove(text_str(&r.err_path));
        add_report(f, txt);
    } else
        text_addf(&f->got, " (ms_print failed: only massif.out kept)");
    run_free(&r);
    free(tool), free(txt);
}

/* Draws the run into heap.svg, titled by the program's last two path parts. */
static void keep_heap_svg(const struct options *o, struct findings *f)
{
    const char *name = o->argv[0] + strlen(o->argv[0]);
    for (int slashes = 0; name > o->argv[0] && (name[-1] != '/' || ++slashes < 2); name--)
        ;
    char *svg = path_join(o->out_dir, "heap.svg"), *title = NULL;
    if (asprintf(&title, "Heap of %s under massif", name) < 0)
        title = NULL;
    if (svg != NULL && title != NULL && heap_svg_from_dir(o->out_dir, svg, title) == 0)
        add_report(f, svg);
    free(svg), free(title);
}

/* The heap at time t: that of the last snapshot at or before t. */
static long heap_at(const struct heap_point *p, size_t n, long t, long fallback)
{
    long h = fallback;
    for (size_t i = 0; i < n && p[i].t <= t; i++)
        h = p[i].bytes;
    return h;
}

static void judge_growth(const struct options *o, const struct heap_point *all, size_t n,
                         struct findings *f)
{
    char *start = path_join(o->out_dir, "massif.start"), *end = path_join(o->out_dir, "massif.end");
    size_t ns = 0, ne = 0;
    struct heap_point *s = NULL, *e = NULL;
    if (start != NULL)
        heap_points_read(start, &s, &ns);
    if (end != NULL)
        heap_points_read(end, &e, &ne);
    if (start == NULL || end == NULL)
        f->problem.oom = 1;
    int marked = ns == 1 && ne == 1;
    add_report(f, start), add_report(f, end);
    struct heap_point p0 = marked ? s[0] : (struct heap_point){0, 0};
    struct heap_point p1 = marked ? e[0] : all[n - 1];
    long peak = p0.bytes > p1.bytes ? p0.bytes : p1.bytes;
    for (size_t i = 0; i < n; i++)
        if (all[i].t >= p0.t && all[i].t <= p1.t && all[i].bytes > peak)
            peak = all[i].bytes;
    long mid = heap_at(all, n, p0.t + (p1.t - p0.t) / 2, p0.bytes);
    long rise = peak - p0.bytes, late = p1.bytes - mid, at_exit = all[n - 1].bytes;
    long min_growth = (long)o->min_growth; /* leakcheck's --min-growth is at most 1e15 */
    double share = rise > 0 ? (double)late / (double)rise : 0.0;
    f->leak = late >= min_growth && share >= o->growth_share;
    const char *shape = f->leak ? "growing" : rise < min_growth ? "flat"
                      : p1.bytes - p0.bytes < rise / 2 ? "freed" : "plateau";
    text_setf(&f->kinds, "%s", shape);
    text_setf(&f->got, "%s heap: %ld B at main's start, %ld B at mid-run, %ld B at"
             " main's end, peak %ld B; late growth %ld B = %.0f%% of the rise (a leak needs"
             " >= %.0f%% and >= %ld B)", shape, p0.bytes, mid, p1.bytes, peak, late, share * 100,
             o->growth_share * 100, min_growth);
    if (!marked)
        text_addf(&f->got, "; main's start and end were not both marked (no"
                  " massif.start or massif.end: the preload shim did not load, as in a static"
                  " build, or main did not return or call exit()), so the whole run was"
                  " measured, teardown included");
    else if (f->leak && at_exit < p1.bytes / 2)
        text_addf(&f->got, "; only %ld B remained at exit: freed after main"
                " ended, by an exit handler", at_exit);
    findings_figure(f, "start_bytes", p0.bytes);
    findings_figure(f, "mid_bytes", mid);
    findings_figure(f, "end_bytes", p1.bytes);
    findings_figure(f, "peak_bytes", peak);
    findings_figure(f, "late_growth_bytes", late);
    findings_figure(f, "exit_bytes", at_exit);
    text_addf(&f->context, "    time axis: bytes allocated+freed; main ran"
            " from t=%ld to t=%ld; its mid-point t=%ld\n", p0.t, p1.t, p0.t + (p1.t - p0.t) / 2);
    if (o->site != NULL && f->leak) {
        long held = marked ? tree_bytes(end, o->site) : 0;
        f->site_found = held > 0 && held >= late / 2;
        text_setf(&f->site_where, "%s holds %ld B at main's end%s", o->site,
                 held, f->site_found ? "" : " (less than half the late growth)");
    }
    free(s), free(e), free(start), free(end);
}

/* Returns "NAME=DIR/FILE" as a new string (the caller frees it), or NULL. */
static char *env_path(const char *name, const char *dir, const char *file)
{
    char *s = NULL;
    return asprintf(&s, "%s=%s/%s", name, dir, file) < 0 ? NULL : s;
}

int massif_judge(const struct options *o, struct findings *f)
{
    char *valgrind = find_in_path("valgrind"), *out = path_join(o->out_dir, "massif.out");
    char *out_opt = NULL, *preload = shim_preload(SHIM_PRELOAD), **argv = NULL;
    char *env[] = {env_path("LEAKCHECK_MASSIF_START", o->out_dir, "massif.start"),
                   env_path("LEAKCHECK_MASSIF_END", o->out_dir, "massif.end"), NULL,
                   /* the shim leaves valgrind's launcher (same pid) alone */
                   (char *)"LEAKCHECK_VALGRIND=1", NULL};
    struct heap_point *pts = NULL;
    size_t n = 0;
    int rc = LC_UNJUDGED;
    if (valgrind == NULL) {
        text_setf(&f->problem, "valgrind is gone");
        goto cleanup;
    }
    if (out != NULL && asprintf(&out_opt, "--massif-out-file=%s", out) < 0)
        out_opt = NULL;
    if (out_opt == NULL || preload == NULL || env[0] == NULL || env[1] == NULL) {
        text_setf(&f->problem, "out of memory");
        goto cleanup;
    }
    env[2] = preload;
    const char *opts[] = {valgrind, "--tool=massif", "--time-unit=B", out_opt,
                          o->pages_as_heap ? "--pages-as-heap=yes" : "--stacks=no", NULL};
    const char *const reports[] = {out, NULL};
    argv = command_argv(opts, o);
    if (harness_run_tool(o, "program", argv, env, "valgrind", reports, KEEP_STDOUT | KEEP_STDERR,
                         f) != 0)
        goto cleanup;
    if (heap_points_read(out, &pts, &n) != 0 || n == 0) {
        text_setf(&f->problem, "massif wrote no snapshots to %s", out);
        goto cleanup;
    }
    judge_growth(o, pts, n, f);
    keep_ms_print(o, out, f);
    keep_heap_svg(o, f);
    rc = 0;
cleanup:
    free(pts), free(argv), free(valgrind), free(out), free(out_opt), free(preload);
    free(env[0]), free(env[1]);
    return rc;
}
