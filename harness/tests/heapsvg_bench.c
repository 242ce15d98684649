/* heapsvg_bench.c: what drawing a heap picture costs (scripts/bench-pictures).
 *
 *   heapsvg_bench RUNS DIR...
 *
 * For each massif report directory DIR, RUNS times: heap_svg_from_dir() (read
 * massif.out and the marks, draw heap.svg) into a scratch file, timed with
 * CLOCK_MONOTONIC. Prints per DIR the median in microseconds, the snapshots
 * read and the SVG's size. Exit status 0, or 2 when a directory cannot be
 * drawn.
 */
#define _POSIX_C_SOURCE 200809L
#include "heap_svg.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int runs = argc > 2 ? atoi(argv[1]) : 0;
    if (runs < 1) {
        fprintf(stderr, "usage: heapsvg_bench RUNS DIR...\n");
        return 2;
    }
    char scratch[] = "/tmp/heapsvg_bench.XXXXXX";
    int fd = mkstemp(scratch);
    if (fd < 0)
        return perror("heapsvg_bench"), 2;
    close(fd);
    double *us = malloc((size_t)runs * sizeof *us);
    int status = 0;
    for (int d = 2; d < argc && us != NULL; d++) {
        for (int i = 0; i < runs; i++) {
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            if (heap_svg_from_dir(argv[d], scratch, "bench") != 0) {
                fprintf(stderr, "heapsvg_bench: cannot draw %s\n", argv[d]);
                status = 2;
                break;
            }
            clock_gettime(CLOCK_MONOTONIC, &t1);
            us[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3;
        }
        struct heap_series s = {0};
        struct stat sb;
        if (status == 0 && heap_series_read_dir(&s, argv[d]) == 0 && stat(scratch, &sb) == 0) {
            qsort(us, (size_t)runs, sizeof *us, by_value);
            double median = runs % 2 ? us[runs / 2] : (us[runs / 2 - 1] + us[runs / 2]) / 2;
            printf("%s %.0f %zu %lld\n", argv[d], median, s.n, (long long)sb.st_size);
        }
        heap_series_free(&s);
    }
    remove(scratch);
    free(us);
    return status;
}
