/* tool_memcheck.c: Valgrind memcheck, read through its XML protocol.
 *
 * PROGRAM is a plain build (valgrind cannot run ASan binaries). It is run
 * twice: once with --xml=yes, whose memcheck.xml (valgrind's documented
 * machine interface, protocol 4) is parsed with expat and gives the verdict;
 * once in text mode, whose memcheck.log is the report a student reads (in XML
 * mode valgrind writes no text). With --track-fds the text log's list of file
 * descriptors open at exit is counted too: 3.19 puts it in no XML.
 *
 * Leak kinds, as valgrind names them: definite (no pointer to the block),
 * indirect (reachable only from lost blocks), possible (only interior
 * pointers), reachable (still pointed to at exit). Only --leak-kinds count
 * (default definite,indirect); the others are reported, not counted. A
 * Leak_DefinitelyLost record's <leakedbytes> includes the indirect bytes under
 * it, so the direct part is read from its text "N (D direct, I indirect)".
 * Any other error memcheck reports (invalid read, bad free...) fails the
 * check whatever was expected.
 */
#define _GNU_SOURCE
#include "leakcheck.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_DEFINITE, K_INDIRECT, K_POSSIBLE, K_REACHABLE, K_OTHER };
static const char *const kind_names[] = {"definite", "indirect", "possible", "reachable"};

/* The parser's state: the error being read, and the totals so far. */
struct xml_state {
    const struct options *o;
    struct findings *f;
    char text[4096];   /* character data of the element being read */
    int in_error, in_stack, finished;
    char kind[64], what[512], frames[2048];
    long bytes, blocks;
    int site_here;
    long kind_bytes[4], kind_blocks[4];
    char first[4][2048]; /* the first record of each kind: its text and stack */
    int errors;
};

static int kind_index(const char *kind)
{
    static const char *const xml_kinds[] = {"Leak_DefinitelyLost", "Leak_IndirectlyLost",
                                            "Leak_PossiblyLost", "Leak_StillReachable"};
    for (int i = 0; i < 4; i++)
        if (strcmp(kind, xml_kinds[i]) == 0)
            return i;
    return K_OTHER;
}

/* Returns the direct bytes of a record from its text: "80 (16 direct, 64
 * indirect) bytes in 1 blocks...", or `total` when there is no split. */
static long direct_part(const char *text, long total)
{
    char digits[64];
    size_t j = 0;
    const char *open = strchr(text, '(');
    if (open == NULL || strstr(open, " direct") == NULL)
        return total;
    for (const char *p = open + 1; *p && *p != ' ' && j + 1 < sizeof digits; p++)
        if (*p != ',')
            digits[j++] = *p;
    digits[j] = '\0';
    return strtol(digits, NULL, 10);
}

static void on_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
    struct xml_state *s = data;
    (void)attrs;
    s->text[0] = '\0';
    if (strcmp(name, "error") == 0) {
        s->in_error = 1;
        s->kind[0] = s->what[0] = s->frames[0] = '\0';
        s->bytes = s->blocks = 0;
        s->site_here = 0;
    } else if (strcmp(name, "stack") == 0)
        s->in_stack = 1;
}

static void on_text(void *data, const XML_Char *txt, int len)
{
    struct xml_state *s = data;
    size_t used = strlen(s->text);
    if (used + (size_t)len < sizeof s->text) {
        memcpy(s->text + used, txt, (size_t)len);
        s->text[used + (size_t)len] = '\0';
    }
}

/* Adds a finished <error> to the totals and, for the first counted one, its
 * text and stack to the context. */
static void end_error(struct xml_state *s)
{
    struct findings *f = s->f;
    int k = kind_index(s->kind);
    s->in_error = 0;
    if (k == K_OTHER) {
        if (s->errors++ == 0)
            appendf(f->context, sizeof f->context, "    memory error %s: %s\n%s", s->kind,
                    s->what, s->frames);
        return;
    }
    long bytes = k == K_DEFINITE || k == K_REACHABLE ? direct_part(s->what, s->bytes) : s->bytes;
    s->kind_bytes[k] += bytes;
    s->kind_blocks[k] += s->blocks;
    if (!(s->o->leak_kinds & (1u << k)))
        return;
    if (s->first[k][0] == '\0')
        snprintf(s->first[k], sizeof s->first[k], "    %s\n%s", s->what, s->frames);
    if (s->site_here && f->site_found != 1) {
        f->site_found = 1;
        snprintf(f->site_where, sizeof f->site_where, "on the stack of: %s", s->what);
    }
}

static void on_end(void *data, const XML_Char *name)
{
    struct xml_state *s = data;
    if (strcmp(name, "state") == 0 && strcmp(s->text, "FINISHED") == 0)
        s->finished = 1;
    if (!s->in_error)
        return;
    if (strcmp(name, "error") == 0)
        end_error(s);
    else if (strcmp(name, "kind") == 0)
        snprintf(s->kind, sizeof s->kind, "%s", s->text);
    else if ((strcmp(name, "text") == 0 || strcmp(name, "what") == 0) && s->what[0] == '\0')
        snprintf(s->what, sizeof s->what, "%s", s->text);
    else if (strcmp(name, "leakedbytes") == 0)
        s->bytes = strtol(s->text, NULL, 10);
    else if (strcmp(name, "leakedblocks") == 0)
        s->blocks = strtol(s->text, NULL, 10);
    else if (strcmp(name, "stack") == 0)
        s->in_stack = 0;
    else if (strcmp(name, "fn") == 0 && s->in_stack) {
        appendf(s->frames, sizeof s->frames, "      %s %s\n", s->frames[0] ? "by" : "at",
                s->text);
        if (s->o->site != NULL && strcmp(s->text, s->o->site) == 0)
            s->site_here = 1;
    } else if ((strcmp(name, "file") == 0 || strcmp(name, "line") == 0) && s->in_stack) {
        size_t len = strlen(s->frames);
        if (len > 0 && s->frames[len - 1] == '\n')
            s->frames[len - 1] = '\0';
        appendf(s->frames, sizeof s->frames, "%s%s%s\n", name[0] == 'f' ? " (" : ":", s->text,
                name[0] == 'f' ? "" : ")");
    }
}

/* Parses memcheck.xml into s. Returns 0, or -1 with f->problem set. */
static int parse_xml(const char *path, struct xml_state *s)
{
    size_t len = 0;
    char *xml = read_file(path, 256 << 20, &len);
    if (xml == NULL)
        return snprintf(s->f->problem, sizeof s->f->problem, "memcheck wrote no XML report"), -1;
    XML_Parser p = XML_ParserCreate(NULL);
    int rc = 0;
    XML_SetUserData(p, s);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    if (XML_Parse(p, xml, (int)len, 1) == XML_STATUS_ERROR) {
        snprintf(s->f->problem, sizeof s->f->problem, "%s is not valid XML: %s at line %lu",
                 path, XML_ErrorString(XML_GetErrorCode(p)),
                 (unsigned long)XML_GetCurrentLineNumber(p));
        rc = -1;
    } else if (!s->finished) {
        snprintf(s->f->problem, sizeof s->f->problem, "%s is incomplete: memcheck did not"
                 " reach its FINISHED state", path);
        rc = -1;
    }
    XML_ParserFree(p);
    free(xml);
    return rc;
}

/* Counts the fds the text log lists as open at exit and not inherited. */
static int count_fds(const char *log, struct findings *f)
{
    char *text = read_file(log, 64 << 20, NULL);
    int open_fds = 0, pending = 0;
    if (text == NULL)
        return 0;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        char *body = strstr(line, "== ");
        body = body ? body + 3 : line;
        if (strncmp(body, "Open ", 5) == 0) {
            open_fds += pending;
            pending = 1;
            if (open_fds == 0)
                appendf(f->context, sizeof f->context, "    %s\n", body);
        } else if (strstr(body, "<inherited from parent>") != NULL)
            pending = 0;
    }
    free(text);
    return open_fds + pending;
}

/* Runs valgrind with `opts` before PROGRAM. Returns 0 when the run can be
 * judged, LC_UNJUDGED otherwise. */
static int run_valgrind(const struct options *o, const char *label, const char *const opts[],
                        struct findings *f)
{
    struct run r;
    char **argv = command_argv(opts, o);
    int rc = argv ? run_program(o, label, argv, NULL, &r) : -1;
    free(argv);
    if (rc != 0)
        return snprintf(f->problem, sizeof f->problem, "cannot run valgrind"), LC_UNJUDGED;
    if (!run_judgeable(&r, 0, f)) {
        add_report(f, r.out_path), add_report(f, r.err_path);
        return LC_UNJUDGED;
    }
    if (strcmp(label, "program") == 0) /* the text run's output is the same again */
        add_report(f, r.out_path), add_report(f, r.err_path);
    else
        remove(r.out_path), remove(r.err_path);
    return 0;
}

static int memcheck_judge(const struct options *o, struct findings *f)
{
    char xml[4200], xml_opt[4300], log[4200], log_opt[4300], valgrind[4096];
    struct xml_state s = {.o = o, .f = f};
    if (find_in_path("valgrind", valgrind, sizeof valgrind) == NULL)
        return snprintf(f->problem, sizeof f->problem, "valgrind is gone"), LC_UNJUDGED;
    path_join(xml, sizeof xml, o->out_dir, "memcheck.xml");
    path_join(log, sizeof log, o->out_dir, "memcheck.log");
    snprintf(xml_opt, sizeof xml_opt, "--xml-file=%s", xml);
    snprintf(log_opt, sizeof log_opt, "--log-file=%s", log);
    const char *xml_run[] = {valgrind, "--tool=memcheck", "--leak-check=full",
                             "--show-leak-kinds=all", "--num-callers=30",
                             "--child-silent-after-fork=yes", "--xml=yes", xml_opt, NULL};
    const char *text_run[] = {valgrind, "--tool=memcheck", "--leak-check=full",
                              "--show-leak-kinds=all", "--num-callers=30", "--track-fds=yes",
                              "--child-silent-after-fork=yes", log_opt, NULL};
    if (run_valgrind(o, "program", xml_run, f) != 0)
        return LC_UNJUDGED;
    add_report(f, xml);
    if (parse_xml(xml, &s) != 0)
        return LC_UNJUDGED;
    if (run_valgrind(o, "memcheck-text", text_run, f) != 0)
        return LC_UNJUDGED;
    add_report(f, log);

    long counted = 0; /* blocks, not bytes: a lost malloc(0) is still lost */
    for (int k = 0; k < 4; k++) /* the most telling record: definite first */
        if (s.first[k][0] != '\0') {
            appendf(f->context, sizeof f->context, "%s", s.first[k]);
            break;
        }
    for (int k = 0; k < 4; k++) {
        if (s.kind_blocks[k] > 0)
            appendf(f->kinds, sizeof f->kinds, "%s%s", f->kinds[0] ? "," : "", kind_names[k]);
        if (o->leak_kinds & (1u << k))
            counted += s.kind_blocks[k];
    }
    snprintf(f->got, sizeof f->got, "definitely lost %ld B in %ld blocks, indirectly lost %ld B"
             " in %ld blocks, possibly lost %ld B in %ld blocks, still reachable %ld B in %ld"
             " blocks", s.kind_bytes[0], s.kind_blocks[0], s.kind_bytes[1], s.kind_blocks[1],
             s.kind_bytes[2], s.kind_blocks[2], s.kind_bytes[3], s.kind_blocks[3]);
    f->leak = counted > 0;
    f->errors = s.errors;
    for (int k = 0; k < 4; k++)
        appendf(f->metrics, sizeof f->metrics, "%s_bytes=%ld\n%s_blocks=%ld\n", kind_names[k],
                s.kind_bytes[k], kind_names[k], s.kind_blocks[k]);
    if (s.errors > 0)
        appendf(f->got, sizeof f->got, "; %d memory errors", s.errors);
    if (o->track_fds) {
        int fds = count_fds(log, f);
        appendf(f->metrics, sizeof f->metrics, "open_fds=%d\n", fds);
        appendf(f->got, sizeof f->got, "; %d fds opened and still open at exit", fds);
        if (fds > 0)
            appendf(f->kinds, sizeof f->kinds, "%sfd", f->kinds[0] ? "," : "");
        f->leak |= fds > 0;
    }
    if (o->site != NULL && f->site_found != 1) {
        f->site_found = 0;
        snprintf(f->site_where, sizeof f->site_where, "not on the stack of any counted loss record");
    }
    return 0;
}

const struct tool tool_memcheck = {
    .name = "memcheck",
    .what = "Valgrind memcheck (XML verdict, text log kept); PROGRAM is a plain build",
    .check = valgrind_check,
    .judge = memcheck_judge,
};
