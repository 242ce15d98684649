/* error_path, a wrong fix: rejected requests kept in a log of 256, the rest dropped
 *
 * The fix      The early return first files the buffer in a static log of
 *              the last rejected requests, 256 slots ("the default run
 *              rejects only 100"), emptied at the end of main. When the log
 *              is full, the buffer is simply not filed.
 * Why wrong    Two mistakes a default run cannot show. The log is freed only
 *              at the end, and past 256 rejections (768 requests) a buffer
 *              that does not fit is dropped without free(): 2000 bytes lost
 *              per rejected request, as in the leaky program. The larger
 *              workloads see the heap grow and LSan and memcheck report the
 *              dropped buffers.
 * Must fail: bounded_growth.heap leak_gone.lsan leak_gone.memcheck leak_gone.massif no_new_leak.census
 * Must say: bounded_growth.heap: grew by
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUEST_SIZE 2000 /* easy to spot in a report: 2000 bytes per block */
#define BAD_EVERY 3       /* every 3rd request arrives with a bad magic */
#define LOG_SLOTS 256     /* WRONG: a bound chosen above the default workload */

static char *reject_log[LOG_SLOTS]; /* rejected requests, freed at exit */
static size_t logged;

/* Returns a new buffer holding request `id` as it arrives on the wire, or
 * NULL when out of memory. The caller owns the buffer and must free() it. */
static __attribute__((noinline)) char *read_request(uint32_t id)
{
    char *buf = malloc(REQUEST_SIZE);
    if (buf == NULL)
        return NULL;
    memset(buf, (int)('a' + id % 26), REQUEST_SIZE);
    memcpy(buf, id % BAD_EVERY == BAD_EVERY - 1 ? "BAD!" : "REQ ", 4);
    memcpy(buf + 4, &id, sizeof id);
    return buf;
}

/* Returns 1 when `buf` carries a well-formed request, 0 otherwise.
 * Borrows buf. */
static int valid_request(const char *buf)
{
    return memcmp(buf, "REQ ", 4) == 0;
}

/* Serves request `id`: adds its reply's checksum to *sum.
 * Returns 0 on success, 1 when the request is rejected, -1 when out of
 * memory. Owns nothing afterwards. */
static __attribute__((noinline)) int handle_request(uint32_t id, uint32_t *sum)
{
    int rc = 0;
    uint32_t rid;
    char *buf = read_request(id);
    if (buf == NULL)
        return -1;
    if (!valid_request(buf)) {
        if (logged < LOG_SLOTS)
            reject_log[logged++] = buf;
        return 1; /* WRONG: when the log is full, buf is dropped unfreed */
    }
    memcpy(&rid, buf + 4, sizeof rid);
    for (size_t i = 8; i < REQUEST_SIZE; i += 64)
        *sum = *sum * 31u + (uint32_t)buf[i] + rid;
    free(buf);
    return rc;
}

int main(int argc, char **argv)
{
    long requests = argc > 1 ? strtol(argv[1], NULL, 10) : 300;
    if (requests <= 0 || requests > 10000000) {
        fprintf(stderr, "usage: %s [REQUESTS]  (1..10000000)\n", argv[0]);
        return 2;
    }
    uint32_t sum = 0;
    long rejected = 0;
    for (long i = 0; i < requests; i++) {
        int rc = handle_request((uint32_t)i, &sum);
        if (rc < 0) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
        rejected += rc;
    }
    printf("error_path: %ld requests, %ld rejected, checksum %08x\n", requests,
           rejected, (unsigned)sum);
    for (size_t i = 0; i < logged; i++)
        free(reject_log[i]);
    return 0;
}
