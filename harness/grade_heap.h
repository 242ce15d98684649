/* grade_heap.h: the grader's heap pictures, the submission's heap against
 * the reference's at each workload (leakgrade's report; grade_heap.c). */
#ifndef GRADE_HEAP_H
#define GRADE_HEAP_H

#include <stddef.h>

/* One workload's pair of massif runs, each a leakcheck --tool=massif report
 * directory (massif.out, massif.start, massif.end). */
struct grade_heap_run {
    const char *workload;       /* "default", "x10", ... */
    long size;                  /* its size argument */
    const char *submission_dir, *reference_dir;
};

/* Draws, in directory dir, WORKLOAD.svg for each of the n runs (the
 * submission's heap and the reference's on one pair of axes, labelled) and
 * index.html, an offline XHTML page showing and linking them with the figures
 * drawn. A run whose massif files cannot be read gets no picture; the page
 * says so. Returns the number of pictures drawn, or -1 when the page cannot
 * be written (errno set). */
int grade_heap_pictures(const char *dir, const char *scenario, const char *file,
                        const struct grade_heap_run *runs, size_t n);

#endif
