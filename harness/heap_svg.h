/* heap_svg.h: the heap over a run, read from massif's files, drawn as SVG.
 *
 * A series is one run's heap on massif's time axis (with --time-unit=B: bytes
 * allocated and freed so far), with main's start and end when the preload
 * shim marked them, and the allocation site that held the most at the peak.
 * heap_svg_write() draws one series or overlays several on one pair of axes
 * (a leaky twin against its fixed twin, a submission against a reference).
 * Everything drawn is also in the SVG's <metadata> as numbers, so a test can
 * compare pictures by their figures, not their bytes.
 */
#ifndef HEAP_SVG_H
#define HEAP_SVG_H

#include <stddef.h>
#include <stdio.h>

/* One massif snapshot: time on massif's axis, bytes in use then. */
struct heap_point {
    long t;
    long bytes;
};

struct heap_series {
    const char *label;         /* legend text ("leaky twin"); NULL: none */
    const char *colour;        /* CSS colour; NULL: one of the palette's */
    struct heap_point *points; /* snapshots in time order, owned (heap_series_free) */
    size_t n;
    int marked;                /* 1: the shim marked main's start and end; 0: the run's
                                  first and last snapshots stand in for them */
    long start_t, end_t;       /* main's start and end on the time axis */
    long end_bytes;            /* heap at main's end */
    long peak_t, peak_bytes;   /* the highest snapshot from main's start to its end */
    char site[256];            /* the allocation site holding the most at the peak; "" unknown.
                                  A longer name is cut visibly: its head, "…", and its
                                  " (FILE:LINE)" (the legend cuts it so to fit the picture) */
    long site_bytes;           /* what it held */
    int pages;                 /* 1: massif ran with --pages-as-heap (pages mapped, not heap) */
    char time_unit[8];         /* massif's time_unit: "B", "i" or "ms" */
};

/* How to draw. Zeroes mean: the default. */
struct heap_svg_style {
    const char *title;         /* first line of the picture; NULL: "Heap in use" */
    int width, height;         /* pixels; default 760 x 400 */
    long t_max, bytes_max;     /* axis ranges; 0: fit to the series. Two pictures drawn
                                  with the same ranges are on the same scale */
};

/* Reads massif's output `massif_out` into s, with main's start and end from
 * the one-snapshot files `start` and `end` (the preload shim's marks; when
 * either is NULL or missing, the whole run counts as main's). The biggest
 * allocation site is taken from massif's peak snapshot, else from `end`.
 * Returns 0, or -1 when massif_out is unreadable or holds no snapshot (s is
 * then empty but safe to free). The caller frees s with heap_series_free(). */
int heap_series_read(struct heap_series *s, const char *massif_out, const char *start,
                     const char *end);

/* Reads only the snapshots (time, bytes) of the massif file at path into
 * *points, a new array of *n (the caller frees it). Returns 0, or -1 (errno
 * set; *points NULL, *n 0) when the file cannot be read or memory runs out:
 * never a part of the file. */
int heap_points_read(const char *path, struct heap_point **points, size_t *n);

/* heap_series_read() on dir/massif.out, dir/massif.start and dir/massif.end,
 * the files leakcheck --tool=massif keeps in its report directory. */
int heap_series_read_dir(struct heap_series *s, const char *dir);

/* Frees the points of s and empties it. */
void heap_series_free(struct heap_series *s);

/* The largest time and heap of the n series, for a style's shared ranges. */
void heap_series_extent(const struct heap_series *s, size_t n, long *t_max, long *bytes_max);

/* Writes an SVG document to out: the n series on one pair of axes, each with
 * main's start, middle and end marked, its peak and its level at main's end
 * labelled, its biggest allocation site named. style may be NULL. Returns 0,
 * or -1 when writing failed (errno set) or n is 0. */
int heap_svg_write(FILE *out, const struct heap_series *s, size_t n,
                   const struct heap_svg_style *style);

/* Writes text to out with XML's special characters escaped and control
 * characters dropped: safe inside an element or a quoted attribute of an SVG
 * or XHTML document. */
void heap_svg_escape(FILE *out, const char *text);

/* Draws the massif run kept in report directory dir into the file svg_path,
 * titled `title`. Returns 0, or -1 (errno set) when the run cannot be read or
 * the file cannot be written. The picture is written to svg_path.tmp and
 * renamed, so svg_path is never half a picture. */
int heap_svg_from_dir(const char *dir, const char *svg_path, const char *title);

/* Overlays the massif runs kept in the n report directories dirs[] (e.g. a
 * submission's and the reference's run of one workload), labelled labels[]
 * (labels may be NULL), into the file svg_path. Returns as heap_svg_from_dir(). */
int heap_svg_from_dirs(const char *const dirs[], const char *const labels[], size_t n,
                       const char *svg_path, const char *title);

#endif
