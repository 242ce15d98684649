/* grade_heap.c: the grader's heap pictures (grade_heap.h).
 *
 * For each workload, one SVG: the submission's heap over its run and the
 * reference's, from massif's snapshots, on one pair of axes (heap_svg.h
 * fits both), the submission first. Then index.html, which shows each
 * picture with the figures it draws (peak during main, level at main's end)
 * and links it. Everything is local: no script, font or image from the
 * network.
 */
#define _GNU_SOURCE
#include "grade_heap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "heap_svg.h"

static const char *const series_labels[2] = {"submission", "reference"};

/* Reads run r's two series into s[0] (submission) and s[1] (reference).
 * Returns 0, or -1 when either cannot be read (s is then safe to free). */
static int read_pair(const struct grade_heap_run *r, struct heap_series s[2])
{
    int rc = heap_series_read_dir(&s[0], r->submission_dir);
    if (heap_series_read_dir(&s[1], r->reference_dir) != 0)
        rc = -1;
    for (int k = 0; k < 2; k++)
        s[k].label = series_labels[k];
    return rc;
}

/* Writes the picture of run r, series s, to dir/WORKLOAD.svg, written aside
 * and renamed so the file is never half a picture. Returns 0 or -1. */
static int write_picture(const char *dir, const char *scenario, const struct grade_heap_run *r,
                         const struct heap_series s[2])
{
    char *path = NULL, *tmp = NULL, *title = NULL;
    int rc = -1;
    if (asprintf(&path, "%s/%s.svg", dir, r->workload) < 0)
        path = NULL;
    else if (asprintf(&tmp, "%s.tmp", path) < 0)
        tmp = NULL;
    else if (asprintf(&title, "%s at workload %s (%ld): the submission's heap against the"
                      " reference's", scenario, r->workload, r->size) < 0)
        title = NULL;
    FILE *fp = path && tmp && title ? fopen(tmp, "w") : NULL;
    if (fp != NULL) {
        struct heap_svg_style style = {.title = title};
        rc = heap_svg_write(fp, s, 2, &style);
        if (fclose(fp) != 0 || (rc == 0 && rename(tmp, path) != 0))
            rc = -1;
        if (rc != 0)
            remove(tmp);
    }
    free(path), free(tmp), free(title);
    return rc;
}

/* One series' figures in words, into the page. */
static void put_figures(FILE *out, const struct heap_series *s)
{
    fprintf(out, "<li>%s: peak during main %ld B, at main's end %ld B", s->label, s->peak_bytes,
            s->end_bytes);
    if (s->site[0] != '\0') {
        fputs("; the most at the peak held by ", out);
        heap_svg_escape(out, s->site);
    }
    fputs("</li>\n", out);
}

int grade_heap_pictures(const char *dir, const char *scenario, const char *file,
                        const struct grade_heap_run *runs, size_t n)
{
    char *page = NULL, *tmp = NULL;
    if (asprintf(&page, "%s/index.html", dir) < 0)
        return -1;
    if (asprintf(&tmp, "%s.tmp", page) < 0) {
        free(page);
        return -1;
    }
    FILE *out = fopen(tmp, "w");
    int drawn = 0;
    if (out == NULL)
        goto cleanup;
    fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
          "<head>\n<meta charset=\"utf-8\"/>\n<title>", out);
    heap_svg_escape(out, scenario);
    fputs(": the submission's heap against the reference's</title>\n<style>\n"
          "body{font-family:'DejaVu Sans',sans-serif;margin:1.5em;max-width:64em}\n"
          "img{max-width:100%;height:auto;border:1px solid #ccc}\n"
          ".missing{color:#b00000}\n</style>\n</head>\n<body>\n<h1>", out);
    heap_svg_escape(out, scenario);
    fputs(": the heap at each workload</h1>\n<p>The submission <code>", out);
    heap_svg_escape(out, file);
    fputs("</code> against the reference fix, each run under massif at the grader's"
          " workloads. Time is massif's: bytes allocated and freed so far. A leak keeps"
          " rising through main and ends high; the reference stays flat.</p>\n", out);
    for (size_t i = 0; i < n; i++) {
        const struct grade_heap_run *r = &runs[i];
        struct heap_series s[2] = {{0}};
        fprintf(out, "<h2 id=\"%s\">workload %s (%ld)</h2>\n", r->workload, r->workload, r->size);
        if (read_pair(r, s) == 0 && write_picture(dir, scenario, r, s) == 0) {
            drawn++;
            fprintf(out, "<p><a href=\"%s.svg\"><img src=\"%s.svg\" alt=\"the heap of the"
                    " submission and of the reference at workload %s\"/></a></p>\n<ul>\n",
                    r->workload, r->workload, r->workload);
            put_figures(out, &s[0]);
            put_figures(out, &s[1]);
            fputs("</ul>\n", out);
        } else
            fputs("<p class=\"missing\">No picture: massif's files of this workload could not be"
                  " read (see the runs' leakcheck.txt).</p>\n", out);
        heap_series_free(&s[0]), heap_series_free(&s[1]);
    }
    fputs("</body>\n</html>\n", out);
    if (fclose(out) != 0 || rename(tmp, page) != 0) {
        remove(tmp);
        drawn = -1;
    }
cleanup:
    if (out == NULL)
        drawn = -1;
    free(page), free(tmp);
    return drawn;
}
