/* grade_keep.h: the reference's runs, made once and kept for later grades.
 *
 * A run of the reference (the fixed twin) at a workload is the same for
 * every submission graded against it: the same program, the same argument,
 * the same leakcheck, shims and valgrind. leakgrade keeps each such run that
 * ended well in a store (BUILD/grade/reference-runs/KEY/), and a later grade
 * of the same scenario (a class graded at once, the grader's own tests)
 * copies it instead of running it again. KEY names everything the run
 * depends on; a rebuilt reference, leakcheck or shim gives a new key.
 */
#ifndef GRADE_KEEP_H
#define GRADE_KEEP_H

#include <stddef.h>

/* Returns the key of a leakcheck run with the n arguments argv (an --out=
 * argument is left out: it is where the run writes, not what it does) and
 * the files inputs[0..n_inputs) it also reads (NULL entries skipped), as 16
 * hex digits in a new string the caller frees; NULL out of memory. The key
 * hashes each argument, the identity (device, inode, size, modification
 * time) of each argument and input that names a file, the environment that
 * steers leakcheck, the dynamic loader and valgrind (LEAKCHECK_*, LD_*,
 * VALGRIND_*, PATH), and the C library's version. */
char *keep_key(char *const argv[], size_t n, const char *const inputs[], size_t n_inputs);

/* Copies the kept run `key` of `store` into dir (made if missing). The path
 * of the directory the run was made in is rewritten to dir in every file
 * but program.stdout, the output compared with a submission's, which is
 * copied byte for byte (verdict.json is rewritten as JSON). Returns 0, or -1
 * when nothing is kept under key or it cannot be copied (errno set; dir may
 * then hold part of it: run the program there, over it). */
int keep_fetch(const char *store, const char *key, const char *dir);

/* Keeps a copy of the run in dir under key in store (made if missing),
 * unless a run is kept there already (two grades at once: the first one
 * stays). dir is left as it is. Returns 0 when a run is kept under key now,
 * or -1 with errno set (nothing kept; the grade is not affected). */
int keep_store(const char *store, const char *key, const char *dir);

#endif
