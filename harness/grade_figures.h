/* grade_figures.h: the reference figures file of the student edition.
 *
 * The grader's growth check compares a submission with the reference fix's
 * figures (its heap, pages, threads and fds, at ~10x and ~40x). The
 * instructor edition measures them on its fixed twins (leakgrade
 * --write-figures=FILE, run by scripts/student-edition); the student edition,
 * which has no fixed twins, reads them from that file
 * (scenarios/reference-figures.json). The file, in JSON:
 *
 *   {"about": "...", "cc": "clang",
 *    "scenarios": {"unfreed_malloc": {"default": {"size": 200, "figures": {...}},
 *                                     "x10": {...}, "x40": {...}}, ...}}
 *
 * where "figures" is the "figures" object of the fixed twin's native
 * verdict.json at that workload (docs/harness.md), kept whole.
 */
#ifndef GRADE_FIGURES_H
#define GRADE_FIGURES_H

#include <jansson.h>

/* Returns a new, empty figures document naming the compiler cc; the caller
 * owns it (json_decref). */
json_t *figures_new(const char *cc);

/* Adds one measurement: the "figures" object of a verdict.json (copied; the
 * caller keeps its own) of SCENARIO's reference at WORKLOAD ("default",
 * "x10", "x40") of SIZE. Returns 0, or -1 when figures is not an object. */
int figures_add(json_t *doc, const char *scenario, const char *workload, long size,
                const json_t *figures);

/* Writes doc to path (through a temporary file and a rename). Returns 0, or
 * -1 with errno set. */
int figures_write(const json_t *doc, const char *path);

/* Reads a figures file. Returns the document (the caller owns it), or NULL
 * with a message in *why (owned by the caller, free()). */
json_t *figures_load(const char *path, char **why);

/* The figure KEY (e.g. "heap_peak") of SCENARIO's reference at WORKLOAD,
 * which must have been measured at SIZE. Returns 0 and sets *value (LONG_MIN
 * when the reference did not have that figure); -1 when the file has no such
 * scenario or workload, or measured it at another size, with a message in
 * *why (owned by the caller, free()). */
int figures_get(const json_t *doc, const char *scenario, const char *workload, long size,
                const char *key, long *value, char **why);

#endif
