/* heap_svg.c: massif's snapshots read into a heap series, drawn as SVG.
 *
 * The reading half knows massif's output format (valgrind 3.19's
 * massif.out: "time=", "mem_heap_B=", "heap_tree=" per snapshot, then the
 * allocation tree as " nK: BYTES ADDR: FUNCTION (FILE:LINE)" lines, one
 * space of indent per level). The drawing half knows nothing of massif: it
 * draws points on two axes, with marks and labels, in plain SVG 1.1 that
 * needs no script and no font from the network.
 */
#define _GNU_SOURCE
#include "heap_svg.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading massif's files ------------------------------------------------ */

/* Writes the site name `name` into buf (n bytes, n >= 16): whole when it is
 * shorter than n, else cut visibly: as much of its head as fits, then "…",
 * then " (FILE:LINE)" when the name ends in that place and it is at most a
 * third of n. A UTF-8 character is never split. */
static void cut_name(char *buf, size_t n, const char *name)
{
    static const char ellipsis[] = "\u2026"; /* 3 bytes */
    size_t len = strlen(name);
    if (len < n) {
        memcpy(buf, name, len + 1);
        return;
    }
    const char *place = strrchr(name, '(');
    if (place == NULL || name[len - 1] != ')' || (size_t)(name + len - place) + 1 > n / 3)
        place = name + len; /* no place kept */
    size_t tail = (size_t)(name + len - place);
    size_t head = n - 1 - (sizeof ellipsis - 1) - (tail > 0 ? tail + 1 : 0);
    while (head > 0 && ((unsigned char)name[head] & 0xC0) == 0x80)
        head--;
    snprintf(buf, n, "%.*s%s%s%s", (int)head, name, ellipsis, tail > 0 ? " " : "", place);
}

/* The reader's state while it walks one massif file. */
struct reader {
    struct heap_point *points;
    size_t n, cap;
    int any_tree;          /* read every snapshot's tree, not only the peak's */
    int in_peak_tree;      /* the current snapshot is massif's peak */
    size_t wrapper_depth;  /* inside a system call wrapper's subtree: its children's depth */
    char site[256];        /* the biggest top-level site of the tree read */
    long site_bytes;
    int pages;
    char time_unit[8];
};

static int add_point(struct reader *r, long t)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        struct heap_point *bigger = realloc(r->points, cap * sizeof *bigger);
        if (bigger == NULL)
            return -1;
        r->points = bigger, r->cap = cap;
    }
    r->points[r->n++] = (struct heap_point){t, 0};
    return 0;
}

/* Returns 1 when fn ("__mmap64 (mmap64.c:58)") is the C library's wrapper of
 * a memory system call: with --pages-as-heap those are the tree's top level,
 * and the site to name is the caller below. */
static int is_syscall_wrapper(const char *fn)
{
    static const char *const wrappers[] = {"mmap", "mmap64", "__mmap", "__mmap64", "mremap",
                                           "__mremap", "brk", "__brk", "sbrk", "__sbrk"};
    size_t len = strcspn(fn, " ");
    for (size_t i = 0; i < sizeof wrappers / sizeof wrappers[0]; i++)
        if (strlen(wrappers[i]) == len && strncmp(fn, wrappers[i], len) == 0)
            return 1;
    return 0;
}

/* One node of an allocation tree (" n2: 268800 0x1093: make_record (x.c:32)",
 * one space of indent per level). A top-level node, or a child of a system
 * call wrapper, is a site; the biggest one is kept. Nodes without a function
 * ("in 3 places, all below massif's threshold") are not sites. */
static void consider_site(struct reader *r, const char *line)
{
    long bytes;
    int used = 0;
    size_t depth = strspn(line, " ");
    if (depth == 0 || line[depth] != 'n' ||
        sscanf(line, " n%*d: %ld %n", &bytes, &used) != 1 || used == 0)
        return;
    if (r->wrapper_depth != 0 && depth < r->wrapper_depth)
        r->wrapper_depth = 0; /* the wrapper's subtree has ended */
    const char *fn = strncmp(line + used, "0x", 2) == 0 ? strstr(line + used, ": ") : NULL;
    if (fn == NULL || depth != (r->wrapper_depth ? r->wrapper_depth : 1))
        return;
    if (is_syscall_wrapper(fn + 2)) {
        r->wrapper_depth = depth + 1;
        return;
    }
    if (bytes <= r->site_bytes)
        return;
    cut_name(r->site, sizeof r->site, fn + 2);
    r->site_bytes = bytes;
}

/* Reads the snapshots of one massif file into r. Returns 0, or -1 (errno set)
 * when the file cannot be read or memory runs out. */
static int read_massif(const char *path, struct reader *r)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    long v;
    while (rc == 0 && getline(&line, &cap, fp) > 0) {
        line[strcspn(line, "\n")] = '\0';
        if (sscanf(line, "time=%ld", &v) == 1) {
            rc = add_point(r, v);
            r->in_peak_tree = 0, r->wrapper_depth = 0;
        } else if (r->n > 0 && sscanf(line, "mem_heap_B=%ld", &v) == 1)
            r->points[r->n - 1].bytes = v;
        else if (strcmp(line, "heap_tree=peak") == 0) {
            r->in_peak_tree = 1;
            r->site[0] = '\0', r->site_bytes = 0;
        } else if ((r->in_peak_tree || r->any_tree) && line[0] == ' ')
            consider_site(r, line);
        else if (strncmp(line, "desc:", 5) == 0 && strstr(line, "--pages-as-heap=yes"))
            r->pages = 1;
        else if (sscanf(line, "time_unit: %7s", r->time_unit) == 1)
            continue;
    }
    free(line);
    fclose(fp);
    return rc;
}

int heap_points_read(const char *path, struct heap_point **points, size_t *n)
{
    struct reader r = {0};
    int rc = read_massif(path, &r);
    if (rc != 0)
        free(r.points), r.points = NULL, r.n = 0;
    *points = r.points, *n = r.n;
    return rc;
}

/* Reads the single snapshot of a mark file (massif.start, massif.end), a
 * detailed one, with the biggest site of its tree. Returns 0, or -1 when the
 * file does not hold exactly one snapshot. */
static int read_mark(const char *path, struct heap_point *p, char *site, size_t n, long *bytes)
{
    struct reader r = {.any_tree = 1};
    int ok = path != NULL && read_massif(path, &r) == 0 && r.n == 1;
    if (ok) {
        *p = r.points[0];
        snprintf(site, n, "%s", r.site);
        *bytes = r.site_bytes;
    }
    free(r.points);
    return ok ? 0 : -1;
}

/* Puts p among s's points in time order, unless a snapshot at its time is
 * there already. Returns 0, or -1 when memory runs out. */
static int insert_point(struct heap_series *s, struct heap_point p)
{
    size_t i = 0;
    while (i < s->n && s->points[i].t < p.t)
        i++;
    if (i < s->n && s->points[i].t == p.t)
        return 0;
    struct heap_point *bigger = realloc(s->points, (s->n + 1) * sizeof *bigger);
    if (bigger == NULL)
        return -1;
    s->points = bigger;
    memmove(s->points + i + 1, s->points + i, (s->n - i) * sizeof *s->points);
    s->points[i] = p, s->n++;
    return 0;
}

int heap_series_read(struct heap_series *s, const char *massif_out, const char *start,
                     const char *end)
{
    struct reader r = {.time_unit = "B"};
    struct heap_point p0, p1;
    char start_site[256], end_site[256] = "";
    long start_site_bytes, end_site_bytes = 0;
    memset(s, 0, sizeof *s);
    int rc = read_massif(massif_out, &r);
    if (rc != 0 || r.n == 0) {
        free(r.points);
        if (rc == 0)
            errno = ENODATA; /* readable, but no snapshot in it */
        return -1;
    }
    s->points = r.points, s->n = r.n, s->pages = r.pages;
    snprintf(s->time_unit, sizeof s->time_unit, "%s", r.time_unit);
    s->marked = read_mark(start, &p0, start_site, sizeof start_site, &start_site_bytes) == 0 &&
                read_mark(end, &p1, end_site, sizeof end_site, &end_site_bytes) == 0;
    if (s->marked && (insert_point(s, p0) != 0 || insert_point(s, p1) != 0))
        return heap_series_free(s), -1;
    if (!s->marked)
        p0 = s->points[0], p1 = s->points[s->n - 1];
    s->start_t = p0.t, s->end_t = p1.t, s->end_bytes = p1.bytes;
    s->peak_t = p0.t, s->peak_bytes = p0.bytes;
    for (size_t i = 0; i < s->n; i++)
        if (s->points[i].t >= p0.t && s->points[i].t <= p1.t &&
            s->points[i].bytes > s->peak_bytes)
            s->peak_t = s->points[i].t, s->peak_bytes = s->points[i].bytes;
    int from_end = r.site_bytes == 0;
    snprintf(s->site, sizeof s->site, "%s", from_end ? end_site : r.site);
    s->site_bytes = from_end ? end_site_bytes : r.site_bytes;
    return 0;
}

int heap_series_read_dir(struct heap_series *s, const char *dir)
{
    char out[4096], start[4096], end[4096];
    if (snprintf(out, sizeof out, "%s/massif.out", dir) >= (int)sizeof out ||
        snprintf(start, sizeof start, "%s/massif.start", dir) >= (int)sizeof start ||
        snprintf(end, sizeof end, "%s/massif.end", dir) >= (int)sizeof end)
        return memset(s, 0, sizeof *s), errno = ENAMETOOLONG, -1;
    return heap_series_read(s, out, start, end);
}

void heap_series_free(struct heap_series *s)
{
    free(s->points);
    s->points = NULL, s->n = 0;
}

void heap_series_extent(const struct heap_series *s, size_t n, long *t_max, long *bytes_max)
{
    *t_max = 0, *bytes_max = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < s[k].n; i++) {
            if (s[k].points[i].t > *t_max)
                *t_max = s[k].points[i].t;
            if (s[k].points[i].bytes > *bytes_max)
                *bytes_max = s[k].points[i].bytes;
        }
}

/* ---- numbers for people ----------------------------------------------------- */

/* An axis: from 0 to max (in base units), ticks every `step` units of
 * `unit` base units, named `name`. */
struct axis {
    double max, step, unit;
    const char *name;
};

/* Chooses a unit and a tick step (1, 2 or 5 times a power of ten, in that
 * unit) giving four to ten ticks up to at least v. Byte axes use binary
 * units (KiB, MiB, GiB), others decimal ones. */
static struct axis nice_axis(double v, int bytes)
{
    static const char *const byte_units[] = {"B", "KiB", "MiB", "GiB"};
    static const char *const units[] = {"", "thousand", "million", "billion"};
    double base = bytes ? 1024 : 1000;
    int u = 0;
    if (v < 1)
        v = 1;
    while (u < 3 && v >= base * pow(base, u))
        u++;
    struct axis a = {.unit = pow(base, u), .name = bytes ? byte_units[u] : units[u]};
    double raw = v / a.unit / 5, mag = pow(10, floor(log10(raw)));
    double norm = raw / mag;
    a.step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
    if (bytes && u == 0 && a.step < 1)
        a.step = 1;
    a.max = ceil(v / a.unit / a.step) * a.step * a.unit;
    return a;
}

/* Writes bytes as people read them ("262.5 KiB", "944 B") into buf. */
static const char *human_bytes(long b, char *buf, size_t n)
{
    if (b < 1024 && b > -1024)
        snprintf(buf, n, "%ld B", b);
    else if (b < 1048576L && b > -1048576L)
        snprintf(buf, n, "%.1f KiB", b / 1024.0);
    else if (b < 1073741824L && b > -1073741824L)
        snprintf(buf, n, "%.1f MiB", b / 1048576.0);
    else
        snprintf(buf, n, "%.2f GiB", b / 1073741824.0);
    return buf;
}

void heap_svg_escape(FILE *out, const char *s)
{
    for (; *s != '\0'; s++)
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\t')
                fputc(*s, out);
        }
}

/* ---- drawing ---------------------------------------------------------------- */

static const char *const palette[] = {"#1f5fa8", "#c85200", "#5d8a1c", "#7b3f9e"};

/* The plot: its frame in pixels and the ranges it shows. */
struct plot {
    double left, top, right, bottom;
    struct axis x, y;
    double boxes[64][4]; /* labels placed so far: x0, y0, x1, y1 */
    size_t nboxes;
    FILE *out;
};

static double px(const struct plot *p, double t)
{
    return p->left + (p->right - p->left) * (p->x.max > 0 ? t / p->x.max : 0);
}

static double py(const struct plot *p, double bytes)
{
    return p->bottom - (p->bottom - p->top) * (p->y.max > 0 ? bytes / p->y.max : 0);
}

static const char *colour_of(const struct heap_series *s, size_t k)
{
    return s->colour ? s->colour : palette[k % (sizeof palette / sizeof palette[0])];
}

/* Writes a label near (x, y), above it, on the side that stays in the plot,
 * moved down past the labels already placed so none overlaps another. */
static void place_label(struct plot *p, double x, double y, const char *colour, const char *text)
{
    double w = 7.3 * (double)strlen(text) + 4, h = 14;
    int right_side = x + 8 + w <= p->right;
    double x0 = right_side ? x + 7 : x - 7 - w, y0 = y - 8 - h;
    if (x0 < p->left + 4)
        x0 = p->left + 4;
    if (y0 < p->top + 2)
        y0 = y + 8;
    for (int moved = 1; moved && y0 + h <= p->bottom;) {
        moved = 0;
        for (size_t i = 0; i < p->nboxes; i++)
            if (x0 < p->boxes[i][2] && x0 + w > p->boxes[i][0] && y0 < p->boxes[i][3] &&
                y0 + h > p->boxes[i][1])
                y0 = p->boxes[i][3] + 1, moved = 1;
    }
    if (p->nboxes < sizeof p->boxes / sizeof p->boxes[0])
        memcpy(p->boxes[p->nboxes++], (double[4]){x0, y0, x0 + w, y0 + h}, sizeof p->boxes[0]);
    fprintf(p->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" "
            "fill=\"#ffffff\" fill-opacity=\"0.85\"/>\n", x0, y0, w, h);
    fprintf(p->out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" font-weight=\"bold\">", x0 + 2,
            y0 + 11, colour);
    heap_svg_escape(p->out, text);
    fputs("</text>\n", p->out);
}

static void draw_axes(const struct plot *p, const struct heap_series *s)
{
    FILE *out = p->out;
    fprintf(out, "<g class=\"axes\" stroke=\"#d8d8d8\" stroke-width=\"1\">\n");
    for (double v = p->y.step; v * p->y.unit <= p->y.max + 0.5; v += p->y.step)
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", p->left,
                py(p, v * p->y.unit), p->right, py(p, v * p->y.unit));
    fprintf(out, "</g>\n<g class=\"ticks\" fill=\"#333333\">\n");
    for (double v = 0; v * p->y.unit <= p->y.max + 0.5; v += p->y.step)
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
                p->left - 6, py(p, v * p->y.unit) + 4, v);
    for (double v = 0; v * p->x.unit <= p->x.max + 0.5; v += p->x.step)
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n",
                px(p, v * p->x.unit), p->bottom + 16, v);
    fprintf(out, "</g>\n<path d=\"M%.1f %.1fV%.1fH%.1f\" fill=\"none\" stroke=\"#333333\"/>\n",
            p->left, p->top, p->bottom, p->right);
    int bytes_time = strcmp(s->time_unit, "B") == 0;
    const char *what = bytes_time ? "time: bytes allocated and freed so far"
                     : strcmp(s->time_unit, "i") == 0 ? "time: instructions executed"
                                                      : "time: milliseconds";
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#333333\">%s%s%s%s"
            "</text>\n", (p->left + p->right) / 2, p->bottom + 36, what,
            *p->x.name ? " (" : "", p->x.name, *p->x.name ? ")" : "");
    fprintf(out, "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\" "
            "fill=\"#333333\">%s (%s)</text>\n", (p->top + p->bottom) / 2,
            s->pages ? "pages mapped" : "heap in use", p->y.name);
}

/* Draws one series: its area and line, main's marks, peak and end labels. */
static void draw_series(struct plot *p, const struct heap_series *s, size_t k, size_t nseries)
{
    FILE *out = p->out;
    const char *c = colour_of(s, k);
    char a[32], b[32], text[128];
    fprintf(out, "<g class=\"series\">\n<path fill=\"%s\" fill-opacity=\"%s\" stroke=\"none\" "
            "d=\"M%.1f %.1f", c, nseries > 1 ? "0.10" : "0.18", px(p, s->points[0].t),
            py(p, 0));
    for (size_t i = 0; i < s->n; i++)
        fprintf(out, "L%.1f %.1f", px(p, s->points[i].t), py(p, s->points[i].bytes));
    fprintf(out, "L%.1f %.1fZ\"/>\n<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" "
            "stroke-linejoin=\"round\" points=\"", px(p, s->points[s->n - 1].t), py(p, 0), c);
    for (size_t i = 0; i < s->n; i++)
        fprintf(out, "%s%.1f,%.1f", i ? " " : "", px(p, s->points[i].t),
                py(p, s->points[i].bytes));
    fputs("\"/>\n", out);

    const char *mark_colour = nseries > 1 ? c : "#555555";
    const long marks[3] = {s->start_t, s->start_t + (s->end_t - s->start_t) / 2, s->end_t};
    const char *names[2][3] = {{"main starts", "mid-run", "main ends"},
                               {"run starts", "mid-run", "run ends"}};
    /* Each label's extent (6.2 px a character at 11 px): start's to the right
     * of its line, end's to the left, the middle's centred on it; the middle's
     * is left out when it would touch another. */
    double x[3], from[3], to[3];
    for (int m = 0; m < 3; m++) {
        double w = 6.2 * (double)strlen(names[!s->marked][m]);
        x[m] = px(p, (double)marks[m]);
        from[m] = m == 0 ? x[m] + 3 : m == 2 ? x[m] - 3 - w : x[m] - w / 2;
        to[m] = from[m] + w;
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-dasharray=\"5 4\"/>\n", x[m], p->top, x[m], p->bottom, mark_colour);
    }
    for (int m = 0; m < 3; m++) {
        if (m == 1 && (from[1] < to[0] + 4 || to[1] > from[2] - 4))
            continue;
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" font-size=\"11\">%s</text>\n",
                from[m], p->top - 5 - 13 * (double)(nseries - 1 - k), mark_colour,
                names[!s->marked][m]);
    }

    const char *end_name = s->marked ? "main's end" : "the end";
    int same = s->peak_t == s->end_t ||
               (fabs(px(p, s->peak_t) - px(p, s->end_t)) < 4 && s->peak_bytes == s->end_bytes);
    double pxk = px(p, s->peak_t), pyk = py(p, s->peak_bytes);
    double ex = px(p, s->end_t), ey = py(p, s->end_bytes);
    fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\" stroke=\"#ffffff\"/>\n",
            pxk, pyk, c);
    if (same)
        snprintf(text, sizeof text, "peak and %s: %s (%ld B)", end_name,
                 human_bytes(s->peak_bytes, a, sizeof a), s->peak_bytes);
    else
        snprintf(text, sizeof text, "peak %s (%ld B)", human_bytes(s->peak_bytes, a, sizeof a),
                 s->peak_bytes);
    place_label(p, pxk, pyk, c, text);
    if (!same) {
        fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\" "
                "stroke=\"#ffffff\"/>\n", ex, ey, c);
        snprintf(text, sizeof text, "at %s: %s (%ld B)", end_name,
                 human_bytes(s->end_bytes, b, sizeof b), s->end_bytes);
        place_label(p, ex, ey, c, text);
    }
    fputs("</g>\n", out);
}

/* Two legend lines: the series' swatch and label, then its biggest
 * allocation site at the peak, cut visibly (cut_name) to what fits in
 * `width` pixels. */
static void draw_legend(FILE *out, const struct heap_series *s, size_t k, double x, double y,
                        double width)
{
    char b[32], site[sizeof s->site];
    double room = (width - x - 20) / 7.3; /* characters of 7.3 px (12 px monospace) */
    size_t fit = room < 16 ? 16 : room >= (double)sizeof site ? sizeof site : (size_t)room + 1;
    cut_name(site, fit, s->site);
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"%s\"/>\n", x,
            y - 9, colour_of(s, k));
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#222222\">", x + 20, y);
    if (s->label != NULL) {
        fputs("<tspan font-weight=\"bold\">", out);
        heap_svg_escape(out, s->label);
        fputs("</tspan>: ", out);
    }
    if (s->site[0] != '\0') {
        fprintf(out, "the biggest allocation site at the peak holds %s:</text>\n",
                human_bytes(s->site_bytes, b, sizeof b));
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#222222\" "
                "font-family=\"DejaVu Sans Mono, monospace\">", x + 20, y + 15);
        heap_svg_escape(out, site);
    } else
        fputs("no allocation site recorded at the peak", out);
    fputs("</text>\n", out);
}

/* The figures drawn, as numbers, for tests and tools. */
static void write_metadata(FILE *out, const struct heap_series *s, size_t n)
{
    fputs("<metadata><lk:heap xmlns:lk=\"urn:leaklab:heap-svg\">\n", out);
    for (size_t k = 0; k < n; k++) {
        fputs("<lk:series label=\"", out);
        heap_svg_escape(out, s[k].label ? s[k].label : "");
        fprintf(out, "\" snapshots=\"%zu\" marked=\"%d\" start_t=\"%ld\" end_t=\"%ld\" "
                "end_bytes=\"%ld\" peak_t=\"%ld\" peak_bytes=\"%ld\" site_bytes=\"%ld\" "
                "site=\"", s[k].n, s[k].marked, s[k].start_t, s[k].end_t, s[k].end_bytes,
                s[k].peak_t, s[k].peak_bytes, s[k].site_bytes);
        heap_svg_escape(out, s[k].site);
        fputs("\"/>\n", out);
    }
    fputs("</lk:heap></metadata>\n", out);
}

int heap_svg_write(FILE *out, const struct heap_series *s, size_t n,
                   const struct heap_svg_style *style)
{
    static const struct heap_svg_style defaults = {0};
    const struct heap_svg_style *st = style ? style : &defaults;
    if (n == 0)
        return errno = EINVAL, -1;
    for (size_t k = 0; k < n; k++)
        if (s[k].n == 0)
            return errno = EINVAL, -1;
    int w = st->width > 0 ? st->width : 760, h = st->height > 0 ? st->height : 400;
    long t_max, bytes_max;
    heap_series_extent(s, n, &t_max, &bytes_max);
    if (st->t_max > t_max)
        t_max = st->t_max;
    if (st->bytes_max > bytes_max)
        bytes_max = st->bytes_max;
    struct plot p = {.left = 70, .right = w - 24, .top = 38 + 47.0 * (double)n + 8,
                     .bottom = h - 52, .out = out};
    p.x = nice_axis((double)t_max, strcmp(s[0].time_unit, "B") == 0);
    p.y = nice_axis((double)bytes_max, 1);
    const char *title = st->title ? st->title : "Heap in use";
    char a[32], b[32];

    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Verdana, sans-serif\""
            " font-size=\"12\">\n<title>", w, h, w, h);
    heap_svg_escape(out, title);
    fputs("</title>\n<desc>", out);
    for (size_t k = 0; k < n; k++) {
        if (s[k].label) {
            heap_svg_escape(out, s[k].label);
            fputs(": ", out);
        }
        fprintf(out, "%s at %s, peak %s", human_bytes(s[k].end_bytes, a, sizeof a),
                s[k].marked ? "main's end" : "the end", human_bytes(s[k].peak_bytes, b,
                                                                       sizeof b));
        if (s[k].site[0]) {
            fputs(", biggest site ", out);
            heap_svg_escape(out, s[k].site);
        }
        fputs(k + 1 < n ? ". " : ".", out);
    }
    fputs("</desc>\n", out);
    write_metadata(out, s, n);
    fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", w, h);
    fprintf(out, "<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\" "
            "fill=\"#111111\">");
    heap_svg_escape(out, title);
    fputs("</text>\n", out);
    for (size_t k = 0; k < n; k++)
        draw_legend(out, &s[k], k, 14, 42 + 34.0 * (double)k, w - 10);
    draw_axes(&p, &s[0]);
    for (size_t k = 0; k < n; k++)
        draw_series(&p, &s[k], k, n);
    fputs("</svg>\n", out);
    return ferror(out) ? (errno = errno ? errno : EIO, -1) : 0;
}

int heap_svg_from_dirs(const char *const dirs[], const char *const labels[], size_t n,
                       const char *svg_path, const char *title)
{
    struct heap_series *s = n ? calloc(n, sizeof *s) : NULL;
    int rc = s ? 0 : -1;
    for (size_t k = 0; k < n && rc == 0; k++) {
        rc = heap_series_read_dir(&s[k], dirs[k]);
        s[k].label = labels ? labels[k] : NULL;
    }
    struct heap_svg_style style = {.title = title};
    char tmp[4200];
    if (rc == 0 && snprintf(tmp, sizeof tmp, "%s.tmp", svg_path) >= (int)sizeof tmp)
        rc = -1, errno = ENAMETOOLONG;
    FILE *fp = rc == 0 ? fopen(tmp, "w") : NULL;
    if (fp == NULL)
        rc = -1;
    else { /* written aside, then renamed: a reader never sees half a picture */
        rc = heap_svg_write(fp, s, n, &style);
        if (fclose(fp) != 0 || (rc == 0 && rename(tmp, svg_path) != 0))
            rc = -1;
        if (rc != 0)
            remove(tmp);
    }
    for (size_t k = 0; s != NULL && k < n; k++)
        heap_series_free(&s[k]);
    free(s);
    return rc;
}

int heap_svg_from_dir(const char *dir, const char *svg_path, const char *title)
{
    return heap_svg_from_dirs(&dir, NULL, 1, svg_path, title);
}
