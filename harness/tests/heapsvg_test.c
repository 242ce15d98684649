/* heapsvg_test.c: the heap picture library against massif files written here.
 *
 * Each case writes a small massif.out (and the shim's marks) by hand, the
 * format valgrind 3.19 writes, and checks what heap_series_read() makes of
 * it and what heap_svg_write() draws: main's marks, peak and end, the
 * biggest site (past a system call wrapper, not a below-threshold node), a
 * site name with XML's special characters, a C++ name too long to keep or
 * to draw whole (cut visibly, its place kept), and errors for bad input.
 * Exit status 0 when every check holds; each failure is printed.
 */
#define _GNU_SOURCE
#include "heap_svg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                                           \
    do {                                                                           \
        if (!(cond)) {                                                             \
            failures++;                                                            \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                 \
            printf(__VA_ARGS__);                                                   \
            printf("\n");                                                          \
        }                                                                          \
    } while (0)

static char dir[] = "/tmp/heapsvg_test.XXXXXX";

/* Writes text to dir/name; returns the path (static buffer per name). */
static const char *put_file(const char *name, const char *text)
{
    static char paths[4][256];
    static int next;
    char *path = paths[next++ % 4];
    snprintf(path, sizeof paths[0], "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0)
        perror(path), exit(2);
    return path;
}

static const char header[] = "desc: --time-unit=B\ncmd: prog\ntime_unit: B\n";

/* A run of four snapshots, the peak (t=200) detailed. */
static const char run[] =
    "#-----------\nsnapshot=0\n#-----------\ntime=0\nmem_heap_B=0\nheap_tree=empty\n"
    "#-----------\nsnapshot=1\n#-----------\ntime=100\nmem_heap_B=50\nheap_tree=empty\n"
    "#-----------\nsnapshot=2\n#-----------\ntime=200\nmem_heap_B=150\nheap_tree=peak\n"
    "n3: 150 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n"
    " n1: 100 0x10: make<int> & co (a.c:1)\n"
    "  n0: 100 0x11: main (a.c:9)\n"
    " n0: 40 0x20: other (b.c:2)\n"
    " n0: 10 in 2 places, all below massif's threshold (1.00%)\n"
    "#-----------\nsnapshot=3\n#-----------\ntime=300\nmem_heap_B=120\nheap_tree=empty\n";

static void unmarked_run(void)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s", header, run);
    struct heap_series s;
    CHECK(heap_series_read(&s, put_file("massif.out", text), NULL, NULL) == 0, "read");
    CHECK(s.n == 4 && s.marked == 0, "n=%zu marked=%d", s.n, s.marked);
    CHECK(s.start_t == 0 && s.end_t == 300 && s.end_bytes == 120, "start %ld end %ld/%ld",
          s.start_t, s.end_t, s.end_bytes);
    CHECK(s.peak_t == 200 && s.peak_bytes == 150, "peak %ld at %ld", s.peak_bytes, s.peak_t);
    CHECK(strcmp(s.site, "make<int> & co (a.c:1)") == 0 && s.site_bytes == 100, "site '%s' %ld",
          s.site, s.site_bytes);
    CHECK(s.pages == 0 && strcmp(s.time_unit, "B") == 0, "pages %d unit %s", s.pages,
          s.time_unit);

    /* Drawn, alone and overlaid with itself: escaped, one metadata record each. */
    char *svg = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&svg, &len);
    struct heap_series two[2] = {s, s};
    two[0].label = "a \"quoted\" <label>";
    struct heap_svg_style style = {.title = "T & <t>", .bytes_max = 1 << 20};
    CHECK(heap_svg_write(out, two, 2, &style) == 0, "write");
    fclose(out);
    CHECK(strstr(svg, "make&lt;int&gt; &amp; co") != NULL, "site escaped");
    CHECK(strstr(svg, "<int>") == NULL && strstr(svg, "& co") == NULL, "no raw specials");
    CHECK(strstr(svg, "a &quot;quoted&quot; &lt;label&gt;") != NULL, "label escaped");
    CHECK(strstr(svg, "T &amp; &lt;t&gt;") != NULL, "title escaped");
    const char *m = strstr(svg, "<lk:series");
    CHECK(m && (m = strstr(m + 1, "<lk:series")) && !strstr(m + 1, "<lk:series"), "2 series");
    CHECK(strstr(svg, "run starts") && strstr(svg, "run ends"), "unmarked runs say 'run'");
    CHECK(strstr(svg, "heap in use (MiB)") != NULL, "bytes_max 1 MiB: the axis in MiB");
    free(svg);
    heap_series_free(&s);
}

static void marked_run(void)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s", header, run);
    const char *out = put_file("massif.out", text);
    const char *start = put_file("massif.start", "time=100\nmem_heap_B=50\nheap_tree=detailed\n");
    const char *end = put_file("massif.end", "time=250\nmem_heap_B=130\nheap_tree=detailed\n"
                                             "n1: 130 (heap allocation functions)\n"
                                             " n0: 130 0x30: late (c.c:3)\n");
    struct heap_series s;
    CHECK(heap_series_read(&s, out, start, end) == 0, "read");
    CHECK(s.marked == 1 && s.start_t == 100 && s.end_t == 250 && s.end_bytes == 130,
          "marked %d, %ld..%ld, end %ld", s.marked, s.start_t, s.end_t, s.end_bytes);
    CHECK(s.n == 5 && s.points[3].t == 250, "the end mark is a point: n=%zu", s.n);
    CHECK(s.peak_bytes == 150 && strcmp(s.site, "make<int> & co (a.c:1)") == 0,
          "peak %ld, site from the peak '%s'", s.peak_bytes, s.site);
    heap_series_free(&s);
}

/* Two report directories overlaid into one file (as the grader draws). */
static void overlay_dirs(void)
{
    char text[2048], svg[300];
    snprintf(text, sizeof text, "%s%s", header, run);
    put_file("massif.out", text); /* massif.start and .end from marked_run() */
    const char *dirs[] = {dir, dir}, *labels[] = {"submission", "reference"};
    snprintf(svg, sizeof svg, "%s/overlay.svg", dir);
    CHECK(heap_svg_from_dirs(dirs, labels, 2, svg, "workload 1") == 0, "overlay written");
    FILE *fp = fopen(svg, "r");
    char buf[16384] = "";
    size_t got = fp ? fread(buf, 1, sizeof buf - 1, fp) : 0;
    buf[got] = '\0';
    if (fp)
        fclose(fp);
    CHECK(strstr(buf, "label=\"submission\"") && strstr(buf, "label=\"reference\"") &&
          strstr(buf, "marked=\"1\""), "both series, marked");
    unlink(svg);
}

static void pages_run(void)
{
    char text[2048];
    snprintf(text, sizeof text,
             "desc: --time-unit=B --pages-as-heap=yes\ncmd: prog\ntime_unit: B\n"
             "#-----------\nsnapshot=0\n#-----------\ntime=4096\nmem_heap_B=8192\n"
             "heap_tree=peak\nn2: 8192 (page allocation syscalls) mmap/mremap/brk\n"
             " n2: 8192 0x1: __mmap64 (mmap64.c:58)\n"
             "  n0: 4096 0x2: small (d.c:1)\n"
             "  n0: 4096 0x3: map_region (d.c:2)\n"
             " n0: 0 0x4: zero (d.c:3)\n");
    struct heap_series s;
    CHECK(heap_series_read(&s, put_file("massif.out", text), NULL, NULL) == 0, "read");
    CHECK(s.pages == 1, "pages %d", s.pages);
    CHECK(strcmp(s.site, "small (d.c:1)") == 0 && s.site_bytes == 4096,
          "the wrapper's caller: '%s' %ld", s.site, s.site_bytes);
    heap_series_free(&s);
}

/* Returns the characters of SVG text from..to as drawn: an entity ("&lt;")
 * is one, a UTF-8 character one. */
static size_t drawn_chars(const char *from, const char *to)
{
    size_t n = 0;
    for (const char *c = from; c < to; c++)
        if (*c == '&')
            c += strcspn(c, ";"), n++;
        else
            n += ((unsigned char)*c & 0xC0) != 0x80;
    return n;
}

/* A C++ site name of over 900 bytes: kept and drawn cut, with "…" where it
 * was cut and its place at the end, never silently. */
static void long_site(void)
{
    char name[1024] = "ns::holder<", text[4096];
    for (int i = 0; i < 40; i++)
        strcat(name, "std::pair<int, long>, ");
    strcat(name, "int>::grow(unsigned long) (long_site.cc:77)");
    snprintf(text, sizeof text,
             "%s#-----------\nsnapshot=0\n#-----------\ntime=10\nmem_heap_B=64\n"
             "heap_tree=peak\nn1: 64 (heap allocation functions) malloc/new/new[]\n"
             " n0: 64 0x10: %s\n", header, name);
    struct heap_series s;
    CHECK(heap_series_read(&s, put_file("massif.out", text), NULL, NULL) == 0, "read");
    size_t len = strlen(s.site);
    CHECK(strncmp(s.site, "ns::holder<std::pair<int, long>, ", 33) == 0, "kept: its head '%s'",
          s.site);
    CHECK(len >= 21 && strcmp(s.site + len - 21, "\u2026 (long_site.cc:77)") == 0,
          "kept: cut visibly, its place at the end: '%s'", s.site);
    char *svg = NULL;
    size_t svg_len = 0;
    FILE *out = open_memstream(&svg, &svg_len);
    CHECK(heap_svg_write(out, &s, 1, NULL) == 0, "write");
    fclose(out);
    const char *drawn = strstr(svg, "monospace\">");
    const char *end = drawn != NULL ? strstr(drawn, "</text>") : NULL;
    if (drawn != NULL && end != NULL) {
        drawn += strlen("monospace\">");
        CHECK(drawn_chars(drawn, end) <= 100 && end - drawn >= 21 &&
              strncmp(end - 21, "\u2026 (long_site.cc:77)", 21) == 0,
              "drawn: cut to the picture's width, its place at the end: '%.*s'",
              (int)(end - drawn), drawn);
    } else
        CHECK(0, "no site drawn");
    CHECK(strstr(svg, "site=\"ns::holder&lt;std::pair&lt;int, long&gt;, ") != NULL,
          "the metadata's site, escaped");
    free(svg);
    heap_series_free(&s);
}

static void bad_input(void)
{
    struct heap_series s;
    CHECK(heap_series_read(&s, "/nonexistent/massif.out", NULL, NULL) == -1, "missing file");
    CHECK(s.n == 0 && s.points == NULL, "empty after a failure");
    heap_series_free(&s);
    CHECK(heap_series_read(&s, put_file("massif.out", "this is not massif output\n"), NULL,
                           NULL) == -1, "no snapshots");
    heap_series_free(&s);
    FILE *out = fopen("/dev/null", "w");
    CHECK(heap_svg_write(out, &s, 0, NULL) == -1, "no series");
    CHECK(heap_svg_write(out, &s, 1, NULL) == -1, "a series without points");
    fclose(out);
    CHECK(heap_svg_from_dir(dir, "/nonexistent/dir/heap.svg", "x") == -1, "unwritable");
    const char *dirs[] = {dir, "/nonexistent"};
    char svg[300];
    snprintf(svg, sizeof svg, "%s/overlay.svg", dir);
    CHECK(heap_svg_from_dirs(dirs, NULL, 2, svg, "x") == -1 && access(svg, F_OK) != 0,
          "one run missing: no picture");
}

int main(void)
{
    if (mkdtemp(dir) == NULL)
        return perror("mkdtemp"), 2;
    unmarked_run();
    marked_run();
    overlay_dirs();
    pages_run();
    long_site();
    bad_input();
    const char *names[] = {"massif.out", "massif.start", "massif.end"};
    for (size_t i = 0; i < 3; i++) {
        char path[300];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    printf("%s\n", failures ? "FAIL" : "PASS     heap_svg: every check holds");
    return failures ? 1 : 0;
}
