/* idle_growth, a wrong fix: the history is freed at the end of main
 *
 * The fix      main frees the whole history just before it returns: "nothing
 *              left allocated at exit".
 * Why wrong    End-of-main cleanup: every tick, idle or not, still adds 1280
 *              bytes that stay until the end, and a program that ticks for
 *              days runs out of memory long before it returns. Only what is
 *              left at exit changed; the heap during main grows with the
 *              number of ticks.
 * Must fail: bounded_growth.heap leak_gone.massif no_new_leak.lsan no_new_leak.memcheck no_new_leak.census
 * Must say: bounded_growth.heap: grew by
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

/* Frees every record older than the newest `keep` (the history owns them). */
static void trim_history(uint32_t keep)
{
    struct status **p = &history;
    while (*p != NULL && keep-- > 0)
        p = &(*p)->prev;
    struct status *s = *p;
    *p = NULL;
    while (s != NULL) {
        struct status *prev = s->prev;
        free(s);
        s = prev;
    }
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
    trim_history(0); /* WRONG: the only place a record is freed */
    return 0;
}
