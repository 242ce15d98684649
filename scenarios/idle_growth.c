/* idle_growth: the leaky twin (its fix: fixed/idle_growth.c)
 *
 * What leaks    A periodic tick appends a 1280-byte status record, made by
 *               make_status(), to a global history list on every tick,
 *               busy or idle (most ticks are idle); only the last HISTORY
 *               records are ever read, but none is ever dropped.
 * Rule broken   Memory that keeps growing, even when idle, is a leak: a
 *               history must be bounded (keep the last N, free the rest).
 * Detectors     what each says of the leaky twin; the fixed twin is clean under all.
 *   lsan      blind: the global history still points to every record
 *   memcheck  blind (reachable): 1280 B x TICKS, not an error
 *   massif    leak (growing) in make_status: the heap rises linearly for the whole run
 *   census    blind: no thread or fd is involved
 *   gcc-analyzer blind: every record is reachable from a global
 *   clang-analyzer blind: every record is reachable from a global
 * Usage         idle_growth [TICKS]      (default 250)
 * Prints        one line: ticks, requests served, a checksum of the last
 *               HISTORY status records.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATUS_SIZE 1280 /* easy to spot in a report: 1280 bytes per block */
#define HISTORY 32       /* how many recent records anyone reads */
#define BUSY_EVERY 5     /* a request arrives on one tick in 5 */

struct status {
    struct status *prev; /* the record one tick older */
    uint32_t tick, served;
    char text[STATUS_SIZE - sizeof(struct status *) - 2 * sizeof(uint32_t)];
};

static struct status *history; /* every record so far, newest first */

/* Returns a new status record for `tick`, or NULL when out of memory.
 * The caller owns it and must free() it or hand it on. */
static __attribute__((noinline)) struct status *make_status(uint32_t tick,
                                                            uint32_t served)
{
    struct status *s = malloc(sizeof *s);
    if (s == NULL)
        return NULL;
    s->tick = tick;
    s->served = served;
    memset(s->text, 0, sizeof s->text);
    snprintf(s->text, sizeof s->text, "tick %u: %u served", tick, served);
    return s;
}

/* Records the status at `tick`; the history takes ownership of it.
 * Returns 0 on success, -1 when out of memory. */
static int record_status(uint32_t tick, uint32_t served)
{
    struct status *s = make_status(tick, served);
    if (s == NULL)
        return -1;
    s->prev = history; /* LEAK: every record stays linked, none is ever dropped */
    history = s;
    return 0;
}

/* Returns the record `k` ticks old (0 = newest), or NULL. Borrowed. */
static const struct status *recent(uint32_t k)
{
    const struct status *s = history;
    while (s != NULL && k-- > 0)
        s = s->prev;
    return s;
}

int main(int argc, char **argv)
{
    long ticks = argc > 1 ? strtol(argv[1], NULL, 10) : 250;
    if (ticks <= 0 || ticks > 10000000) {
        fprintf(stderr, "usage: %s [TICKS]  (1..10000000)\n", argv[0]);
        return 2;
    }
    uint32_t served = 0;
    for (long t = 0; t < ticks; t++) {
        if (t % BUSY_EVERY == 0)
            served++; /* a request: served at once, nothing kept */
        if (record_status((uint32_t)t, served) != 0) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
    }
    uint32_t sum = 0;
    for (uint32_t k = 0; k < HISTORY && recent(k) != NULL; k++)
        for (const char *c = recent(k)->text; *c != '\0'; c++)
            sum = sum * 31u + (uint32_t)*c;
    printf("idle_growth: %ld ticks, %u served, checksum %08x\n", ticks, served,
           (unsigned)sum);
    return 0;
}
