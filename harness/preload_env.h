/* preload_env.h: what the preload shims do with the environment. Both run
 * before main, once the C library is up, and allocate nothing; they are
 * hidden, so a program's own functions of these names are left alone. */
#ifndef PRELOAD_ENV_H
#define PRELOAD_ENV_H

#include <stddef.h>

/* Copies the variable `name` into buf ("" when unset). */
__attribute__((visibility("hidden"))) void keep_env(const char *name, char *buf, size_t n);

/* Removes every LEAKCHECK_* variable from the environment, and the shims
 * (libleakcheck-*) from LD_PRELOAD (unset if nothing else is left there): the
 * program cannot tell it is watched by looking there, and what it starts
 * runs unwatched. */
__attribute__((visibility("hidden"))) void scrub_environment(void);

#endif
