/* leakreport.c: the lab's verdicts as HTML pages a student can look at.
 *
 *   leakreport --reports=DIR [--guides=DIR] SCENARIO...
 *
 * Reads DIR/<scenario>/<leaky|fixed>/<tool>/ as leakcheck left them (its
 * verdict.json, read with libjansson, and massif's snapshots, never
 * leakcheck's printed text) for every detector of the harness that ran, and
 * writes, for every SCENARIO in the order given:
 *   DIR/<scenario>/index.html  the leaky and the fixed heap side by side on
 *                              one scale, each detector's verdict (expected
 *                              and got), the census figures, every raw report
 *   DIR/<scenario>/heap.svg    both heaps overlaid on one pair of axes
 * and DIR/index.html, the detection matrix as a coloured table linking each
 * scenario's page. With --guides, each scenario's page links its guide,
 * <guides>/<scenario>.md, when there is one. A run that is missing shows as "not run"; nothing is
 * left out silently. The pages are XHTML (well-formed XML), with no script
 * and nothing fetched from the network. Exit status: 0 written, 2 a page
 * could not be written or the command line is wrong.
 */
#define _GNU_SOURCE
#include "heap_svg.h"
#include "leakharness.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The detectors are the harness's (harness_tools[]). A page shows those
 * that ran for at least one scenario (shown[]); the index names the others. */
#define NTOOLS 16
static size_t ntools;
static int shown[NTOOLS];
#define TOOL(t) (harness_tools[t].name)
static const char *const variants[] = {"leaky", "fixed"};

/* ---- the verdicts ------------------------------------------------------------ */

/* One leakcheck run, as its verdict.json says (docs/harness.md). */
struct verdict {
    int present;          /* 0: no verdict file (the run did not happen) */
    char expect[16];      /* leak | clean */
    char status[16];      /* pass | fail | skipped | unjudged */
    char got[16];         /* leak | clean; "" when not judged */
    char kinds[128];      /* comma-separated */
    char *summary;        /* the detector's figures, one line; owned */
    char *problem;        /* why it was not judged; owned */
    char **reports;       /* the report files it wrote, NULL-ended; owned */
    long left_threads, left_fds; /* census figures; -1 when absent */
};

/* Copies the string member `key` of object o into buf ("" when absent or null). */
static void get_string(json_t *o, const char *key, char *buf, size_t n)
{
    const char *v = json_string_value(json_object_get(o, key));
    snprintf(buf, n, "%s", v ? v : "");
}

static char *dup_string(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return strdup(v ? v : "");
}

static long get_figure(json_t *figures, const char *name)
{
    json_t *v = json_object_get(figures, name);
    return json_is_integer(v) ? (long)json_integer_value(v) : -1;
}

/* Reads dir/verdict.json into v. Returns 1 when there is one, 0 when there
 * is none; a file jansson cannot read is reported and counts as none. */
static int load_verdict(const char *dir, struct verdict *v)
{
    char path[4096];
    json_error_t error;
    memset(v, 0, sizeof *v);
    v->left_threads = v->left_fds = -1;
    snprintf(path, sizeof path, "%s/verdict.json", dir);
    json_t *root = access(path, F_OK) == 0 ? json_load_file(path, 0, &error) : NULL;
    if (root == NULL) {
        if (access(path, F_OK) == 0)
            fprintf(stderr, "leakreport: %s:%d: %s (shown as not run)\n", path, error.line,
                    error.text);
        return 0;
    }
    get_string(root, "expect", v->expect, sizeof v->expect);
    get_string(root, "status", v->status, sizeof v->status);
    get_string(root, "got", v->got, sizeof v->got);
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(root, "kinds"), i, item) {
        if (json_is_string(item) && strlen(v->kinds) + json_string_length(item) + 2 < sizeof v->kinds)
            strcat(strcat(v->kinds, i ? "," : ""), json_string_value(item));
    }
    v->summary = dup_string(root, "summary");
    v->problem = dup_string(root, "problem");
    json_t *reports = json_object_get(root, "reports");
    v->reports = calloc(json_array_size(reports) + 1, sizeof *v->reports);
    size_t kept = 0;
    json_array_foreach(reports, i, item) {
        if (v->reports != NULL && json_is_string(item))
            v->reports[kept++] = strdup(json_string_value(item));
    }
    json_t *figures = json_object_get(root, "figures");
    v->left_threads = get_figure(figures, "left_threads");
    v->left_fds = get_figure(figures, "left_fds");
    json_decref(root);
    return v->present = 1;
}

static void free_verdict(struct verdict *v)
{
    free(v->summary), free(v->problem);
    for (char **r = v->reports; r != NULL && *r != NULL; r++)
        free(*r);
    free(v->reports);
    v->summary = v->problem = NULL, v->reports = NULL;
}

/* Every run of one scenario: [variant][tool]. */
struct scenario {
    const char *name;
    struct verdict v[2][NTOOLS];
};

/* ---- writing HTML ------------------------------------------------------------ */

static void put(FILE *out, const char *s) { heap_svg_escape(out, s); }

static const char style_sheet[] =
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:1.5em 2em;color:#222;"
    "max-width:1600px}\n"
    "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}\n"
    "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.35em .6em;"
    "vertical-align:top;text-align:left}\n"
    "th{background:#eee}code{font-family:'DejaVu Sans Mono',monospace}\n"
    ".caught{background:#c9ecc9}.blind{background:#fbe9b7}.wrong{background:#f4b6b6}"
    ".missing{background:#e4e4e4;color:#555}\n"
    ".pass{color:#1b6e1b}.fail{color:#b00000;font-weight:bold}.small{font-size:.85em;color:#444}\n"
    ".pictures{display:flex;gap:1em}.pictures figure{margin:0;flex:1 1 0;min-width:0}"
    ".pictures svg{max-width:100%;height:auto;border:1px solid #ccc}\n"
    "#matrix td{white-space:nowrap;font-size:.92em}#matrix td:last-child{white-space:normal}\n"
    ".legend span{display:inline-block;padding:.2em .6em;margin-right:.5em;"
    "border:1px solid #bbb}\n";

static void page_start(FILE *out, const char *title)
{
    fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
          "<head>\n<meta charset=\"utf-8\"/>\n<title>", out);
    put(out, title);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style_sheet);
}

/* The class of a matrix cell: what the leaky twin's detector did, or wrong
 * when either twin's run did not say what was expected. */
static const char *cell_class(const struct verdict *leaky, const struct verdict *fixed)
{
    if (!leaky->present || !fixed->present)
        return "missing";
    if (strcmp(leaky->status, "pass") != 0 || strcmp(fixed->status, "pass") != 0)
        return strcmp(leaky->status, "skipped") == 0 ? "missing" : "wrong";
    return strcmp(leaky->got, "leak") == 0 ? "caught" : "blind";
}

/* One twin's verdict in words: "expected leak, got leak (direct) ✓", or in
 * the matrix's short form "leak (direct) ✓" with the expectation in a tooltip. */
static void put_verdict(FILE *out, const char *variant, const struct verdict *v, int brief)
{
    int pass = strcmp(v->status, "pass") == 0;
    if (!v->present) {
        fprintf(out, "%s: not run", variant);
        return;
    }
    if (brief) {
        fputs("<span title=\"expected ", out);
        put(out, v->expect);
        fputs(", got ", out);
        put(out, v->got[0] ? v->got : v->status);
        fprintf(out, "\">%s: ", variant);
    } else {
        fprintf(out, "%s: expected ", variant);
        put(out, v->expect);
        fputs(", got ", out);
    }
    put(out, v->got[0] ? v->got : v->status);
    if (v->kinds[0] && strcmp(v->kinds, "-") != 0) {
        fputs(" (", out);
        put(out, v->kinds);
        fputs(")", out);
    }
    fprintf(out, " <span class=\"%s\">%s</span>", pass ? "pass" : "fail",
            pass ? "\u2713" : "\u2717 expected ");
    if (!pass)
        put(out, v->expect);
    if (brief)
        fputs("</span>", out);
}

/* The data-* attributes a test reads a cell's verdicts from. */
static void put_cell_data(FILE *out, const struct scenario *sc, size_t t)
{
    fprintf(out, " data-scenario=\"%s\" data-tool=\"%s\"", sc->name, TOOL(t));
    for (int k = 0; k < 2; k++) {
        const struct verdict *v = &sc->v[k][t];
        fprintf(out, " data-%s-expect=\"", variants[k]);
        put(out, v->present ? v->expect : "");
        fprintf(out, "\" data-%s-got=\"", variants[k]);
        put(out, v->present ? v->got : "");
        fprintf(out, "\" data-%s-status=\"", variants[k]);
        put(out, v->present ? v->status : "not run");
        fputs("\"", out);
    }
}

/* A detector's column or row heading; an analyser's says it reads the source. */
static void put_tool_heading(FILE *out, size_t t)
{
    if (harness_tools[t].is_static)
        fprintf(out, "<th title=\"reads the source, does not run it\">%s<br/>"
                "<i class=\"small\">source</i></th>", TOOL(t));
    else
        fprintf(out, "<th>%s</th>", TOOL(t));
}

static void write_index(FILE *out, const struct scenario *sc, size_t n)
{
    page_start(out, "leaklab: the detection matrix");
    fputs("<h1>The detection matrix</h1>\n<p>Each scenario is a leaky program and its fixed "
          "twin, run under each detector. A cell says what the detector reported for each "
          "twin: \u2713 when that is what was expected (hover for the expectation), "
          "\u2717 when it is not. Click a scenario for its heap pictures, figures and raw "
          "reports. The analysers (marked <i>source</i>) read the code instead of running "
          "it: their verdicts are claims about paths, and they draw no heap.</p>\n"
          "<p class=\"legend\">"
          "<span class=\"caught\">caught: the detector sees the leak</span>"
          "<span class=\"blind\">blind: the detector cannot see this leak, as expected</span>"
          "<span class=\"wrong\">wrong: a verdict differs from what was expected</span>"
          "<span class=\"missing\">not run or skipped</span></p>\n"
          "<table id=\"matrix\">\n<tr><th>scenario</th>", out);
    for (size_t t = 0; t < ntools; t++)
        if (shown[t])
            put_tool_heading(out, t);
    fputs("<th>the leak is seen by</th></tr>\n", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "<tr><th><a href=\"%s/index.html\">%s</a></th>", sc[i].name, sc[i].name);
        for (size_t t = 0; t < ntools; t++) {
            if (!shown[t])
                continue;
            fprintf(out, "<td class=\"%s\"", cell_class(&sc[i].v[0][t], &sc[i].v[1][t]));
            put_cell_data(out, &sc[i], t);
            fputs(">", out);
            put_verdict(out, "leaky", &sc[i].v[0][t], 1);
            fputs("<br/>", out);
            put_verdict(out, "fixed", &sc[i].v[1][t], 1);
            fputs("</td>", out);
        }
        fputs("<td>", out);
        int seen = 0;
        for (size_t t = 0; t < ntools; t++)
            if (shown[t] && sc[i].v[0][t].present && strcmp(sc[i].v[0][t].got, "leak") == 0)
                fprintf(out, "%s%s%s", seen++ ? ", " : "", TOOL(t),
                        harness_tools[t].is_static ? " (claim)" : "");
        fputs(seen ? "</td></tr>\n" : "no detector</td></tr>\n", out);
    }
    fputs("</table>\n", out);
    int hidden = 0;
    for (size_t t = 0; t < ntools; t++)
        if (!shown[t])
            fprintf(out, "%s%s", hidden++ ? ", " : "<p class=\"small\">No run of: ", TOOL(t));
    fputs(hidden ? ".</p>\n</body>\n</html>\n" : "</body>\n</html>\n", out);
}

/* ---- a scenario's page ------------------------------------------------------ */

/* Reads both twins' massif runs. Returns how many of the two were read. */
static int read_heaps(const char *reports, const char *name, struct heap_series s[2])
{
    static const char *const labels[] = {"leaky twin", "fixed twin"};
    static const char *const colours[] = {"#c85200", "#1f5fa8"};
    char dir[4096];
    int read = 0;
    for (int k = 0; k < 2; k++) {
        snprintf(dir, sizeof dir, "%s/%s/%s/massif", reports, name, variants[k]);
        if (heap_series_read_dir(&s[k], dir) == 0)
            read++;
        s[k].label = labels[k], s[k].colour = colours[k];
    }
    return read;
}

static void write_pictures(FILE *out, const struct heap_series s[2])
{
    long t_max, bytes_max;
    heap_series_extent(s, 2, &t_max, &bytes_max);
    fputs("<div class=\"pictures\">\n", out);
    for (int k = 0; k < 2; k++) {
        char title[64];
        snprintf(title, sizeof title, "The %s's heap", s[k].label);
        struct heap_svg_style style = {.title = title, .width = 580, .height = 360,
                                       .t_max = t_max, .bytes_max = bytes_max};
        fputs("<figure>\n", out);
        if (s[k].n == 0 || heap_svg_write(out, &s[k], 1, &style) != 0)
            fprintf(out, "<p>No massif run of the %s.</p>\n", s[k].label);
        fputs("</figure>\n", out);
    }
    fputs("</div>\n<p class=\"small\">Both pictures are on the same scale. Time is massif's: "
          "bytes allocated and freed so far, so it advances with work done, not with the "
          "clock.</p>\n", out);
}

static void write_verdicts(FILE *out, const struct scenario *sc)
{
    fputs("<h2>What each detector said</h2>\n<table id=\"verdicts\">\n<tr><th>detector</th>"
          "<th>leaky twin</th><th>fixed twin</th></tr>\n", out);
    for (size_t t = 0; t < ntools; t++) {
        if (!shown[t])
            continue;
        fprintf(out, "<tr class=\"%s\"", cell_class(&sc->v[0][t], &sc->v[1][t]));
        put_cell_data(out, sc, t);
        fputs(">", out);
        put_tool_heading(out, t);
        for (int k = 0; k < 2; k++) {
            const struct verdict *v = &sc->v[k][t];
            fputs("<td>", out);
            put_verdict(out, variants[k], v, 0);
            if (v->present && v->summary && v->problem && (v->summary[0] || v->problem[0])) {
                fputs("<br/><span class=\"small\">", out);
                put(out, v->problem[0] ? v->problem : v->summary);
                fputs("</span>", out);
            }
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void write_census(FILE *out, const struct scenario *sc)
{
    fputs("<h2>Census: what was left running at exit</h2>\n<table id=\"census\">\n"
          "<tr><th>twin</th><th>threads left</th><th>file descriptors left</th></tr>\n", out);
    for (int k = 0; k < 2; k++) {
        const struct verdict *v = NULL;
        for (size_t t = 0; t < ntools; t++)
            if (strcmp(TOOL(t), "census") == 0)
                v = &sc->v[k][t];
        fprintf(out, "<tr><th>%s</th>", variants[k]);
        if (v != NULL && v->present && v->left_threads >= 0)
            fprintf(out, "<td>%ld</td><td>%ld</td>", v->left_threads, v->left_fds);
        else
            fputs("<td colspan=\"2\">no census figures (not run)</td>", out);
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

/* Links every report file a run kept, relative to the scenario's page. */
static void write_raw_reports(FILE *out, const struct scenario *sc)
{
    fputs("<h2>Raw reports</h2>\n<ul id=\"reports\">\n", out);
    for (int k = 0; k < 2; k++)
        for (size_t t = 0; t < ntools; t++) {
            const struct verdict *v = &sc->v[k][t];
            if (!shown[t])
                continue;
            fprintf(out, "<li>%s, %s:", variants[k], TOOL(t));
            if (!v->present)
                fputs(" not run", out);
            else
                fprintf(out, " <a href=\"%s/%s/verdict.json\">verdict.json</a> "
                        "<a href=\"%s/%s/verdict.txt\">verdict.txt</a>", variants[k], TOOL(t),
                        variants[k], TOOL(t));
            for (char **r = v->reports; r != NULL && *r != NULL; r++) {
                const char *base = strrchr(*r, '/') ? strrchr(*r, '/') + 1 : *r;
                fprintf(out, " <a href=\"%s/%s/", variants[k], TOOL(t));
                put(out, base);
                fputs("\">", out);
                put(out, base);
                fputs("</a>", out);
            }
            fputs("</li>\n", out);
        }
    fputs("</ul>\n", out);
}

static void write_scenario(FILE *out, const struct scenario *sc, const struct heap_series s[2],
                           const char *guides)
{
    char title[256], guide[4096];
    snprintf(title, sizeof title, "leaklab: %s", sc->name);
    page_start(out, title);
    fprintf(out, "<p><a href=\"../index.html\">\u2190 the detection matrix</a></p>\n"
            "<h1>%s</h1>\n<p>Leaky twin: <code>scenarios/%s.c</code>", sc->name, sc->name);
    /* The student edition has no fixed twin, so no run of it: not named. */
    if (s[1].n > 0)
        fprintf(out, "; fixed twin: <code>fixed/%s.c</code>", sc->name);
    fputc('.', out);
    if (guides != NULL && snprintf(guide, sizeof guide, "%s/%s.md", guides, sc->name) <
                              (int)sizeof guide && access(guide, R_OK) == 0) {
        fputs(" The guide: <a href=\"", out);
        put(out, guide);
        fprintf(out, "\">%s.md</a>.", sc->name);
    }
    fputs("</p>\n<h2>The heap over the run (massif)</h2>\n", out);
    write_pictures(out, s);
    write_verdicts(out, sc);
    write_census(out, sc);
    write_raw_reports(out, sc);
    fputs("</body>\n</html>\n", out);
}

/* ---- files -------------------------------------------------------------------- */

enum page { PAGE_INDEX, PAGE_SCENARIO, PAGE_HEAP };

/* Writes one page to path through a temporary file, so a reader never sees
 * half a page. Returns 0, or -1 with a message printed. */
static int write_page(const char *path, enum page what, const struct scenario *sc, size_t n,
                      const struct heap_series *s, const char *guides)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *out = fopen(tmp, "w");
    if (out == NULL) {
        fprintf(stderr, "leakreport: cannot write %s: %s\n", tmp, strerror(errno));
        return -1;
    }
    int rc = 0;
    if (what == PAGE_INDEX)
        write_index(out, sc, n);
    else if (what == PAGE_SCENARIO)
        write_scenario(out, sc, s, guides);
    else {
        char title[256];
        snprintf(title, sizeof title, "%s: the leaky and the fixed twin's heap", sc->name);
        struct heap_svg_style style = {.title = title};
        rc = heap_svg_write(out, s, 2, &style);
    }
    if (ferror(out) || fclose(out) != 0 || rc != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "leakreport: cannot write %s: %s\n", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

/* The longest --reports or --guides directory and scenario name: with them
 * every path this program makes fits its 4096-byte buffers. */
#define MAX_DIR 3000
#define MAX_NAME 255

int main(int argc, char **argv)
{
    const char *reports = NULL, *guides = NULL;
    int first = 1;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++)
        if (strncmp(argv[first], "--reports=", 10) == 0)
            reports = argv[first] + 10;
        else if (strncmp(argv[first], "--guides=", 9) == 0 && argv[first][9] != '\0')
            guides = argv[first] + 9;
        else {
            fprintf(stderr, "leakreport: unknown option '%s'\n", argv[first]);
            return 2;
        }
    if (reports == NULL || *reports == '\0' || first >= argc) {
        fprintf(stderr, "usage: leakreport --reports=DIR [--guides=DIR] SCENARIO...\n"
                        "Writes DIR/index.html and DIR/<scenario>/index.html from the "
                        "verdicts in DIR/<scenario>/<leaky|fixed>/<tool>/.\n");
        return 2;
    }
    /* Every path below is DIR/NAME/VARIANT/TOOL/FILE or shorter: with DIR
     * and each NAME bounded here, none of the fixed buffers (4096 bytes) can
     * truncate one. */
    if (strlen(reports) > MAX_DIR || (guides != NULL && strlen(guides) > MAX_DIR)) {
        fprintf(stderr, "leakreport: --reports or --guides longer than %d bytes\n", MAX_DIR);
        return 2;
    }
    for (int i = first; i < argc; i++)
        if (strlen(argv[i]) > MAX_NAME) {
            fprintf(stderr, "leakreport: scenario name longer than %d bytes: '%s'\n", MAX_NAME,
                    argv[i]);
            return 2;
        }
    size_t n = (size_t)(argc - first);
    struct scenario *sc = calloc(n, sizeof *sc);
    if (sc == NULL)
        return perror("leakreport"), 2;
    int status = 0;
    char path[4096];
    while (harness_tools[ntools].name != NULL && ntools < NTOOLS)
        ntools++;
    if (harness_tools[ntools].name != NULL) {
        fprintf(stderr, "leakreport: more than %d detectors; raise NTOOLS\n", NTOOLS);
        free(sc);
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        sc[i].name = argv[first + (int)i];
        if (strchr(sc[i].name, '/') || strchr(sc[i].name, '"') || strchr(sc[i].name, '<') ||
            strchr(sc[i].name, '&') || sc[i].name[0] == '.') {
            fprintf(stderr, "leakreport: '%s' is not a scenario name\n", sc[i].name);
            free(sc);
            return 2;
        }
        for (int k = 0; k < 2; k++)
            for (size_t t = 0; t < ntools; t++) {
                snprintf(path, sizeof path, "%s/%s/%s/%s", reports, sc[i].name, variants[k],
                         TOOL(t));
                shown[t] |= load_verdict(path, &sc[i].v[k][t]);
            }
    }
    for (size_t i = 0; i < n; i++) {
        struct heap_series s[2];
        int heaps = read_heaps(reports, sc[i].name, s);
        snprintf(path, sizeof path, "%s/%s", reports, sc[i].name);
        mkdir(path, 0755); /* a scenario never run still gets its page: "not run" */
        snprintf(path, sizeof path, "%s/%s/index.html", reports, sc[i].name);
        status |= write_page(path, PAGE_SCENARIO, &sc[i], 1, s, guides);
        snprintf(path, sizeof path, "%s/%s/heap.svg", reports, sc[i].name);
        if (heaps == 2)
            status |= write_page(path, PAGE_HEAP, &sc[i], 1, s, NULL);
        else
            remove(path); /* no stale picture of an earlier run */
        heap_series_free(&s[0]), heap_series_free(&s[1]);
        for (int k = 0; k < 2; k++)
            for (size_t t = 0; t < ntools; t++)
                free_verdict(&sc[i].v[k][t]);
    }
    snprintf(path, sizeof path, "%s/index.html", reports);
    status |= write_page(path, PAGE_INDEX, sc, n, NULL, NULL);
    if (status == 0)
        printf("%s\n", path);
    free(sc);
    return status ? 2 : 0;
}
