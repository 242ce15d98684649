/* grade_common.h: what the two graders, leakgrade and leakgrade-all, share. */
#ifndef GRADE_COMMON_H
#define GRADE_COMMON_H

/* Says why the grader stops, and exits 2. Each grader defines its own:
 * leakgrade's also writes a "not graded" results.json. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Returns a new formatted string ("" for an empty one); the caller owns it
 * (the graders, short runs, mostly keep theirs). Dies out of memory. */
char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
