/* tool_memcheck.c: Valgrind memcheck, read through its XML protocol.
 *
 * PROGRAM is a plain build (valgrind cannot run ASan binaries). It is run
 * twice: once with --xml=yes, whose memcheck.xml (valgrind's documented
 * machine interface, protocol 4) is parsed with expat and gives the verdict;
 * once in text mode, whose memcheck.log is the report a student reads (in XML
 * mode valgrind writes no text), and which the verdict never reads: where
 * nobody reads it, --text-log=never (or on-failure, when the expectation
 * holds) skips that run and halves the cost. With --track-fds the list of
 * file descriptors open at exit is counted too: 3.19 puts it in no XML, but
 * the XML run writes it, and only it, to its log, memcheck-fds.log; from 3.23
 * on each open fd is an FdNotClosed error in the XML instead.
 *
 * Leak kinds, as valgrind names them: definite (no pointer to the block),
 * indirect (reachable only from lost blocks), possible (only interior
 * pointers), reachable (still pointed to at exit). Only --leak-kinds count
 * (default definite,indirect); the others are reported, not counted. A
 * Leak_DefinitelyLost record's <leakedbytes> includes the indirect bytes under
 * it, so the direct part is read from its text "N (D direct, I indirect)".
 * Any other error memcheck reports (invalid read, bad free...) fails the
 * check whatever was expected; its evidence keeps each stack under its own
 * header ("Address ... free'd", "Block was alloc'd at").
 *
 * Only the leak state at exit counts. Loss records of a leak check the
 * program asked for itself (VALGRIND_DO_LEAK_CHECK, DO_ADDED_LEAK_CHECK...)
 * come before <state>FINISHED</state>; the exit-time records come after it.
 * The earlier ones are reported apart (f->checks), never added up.
 */
#define _GNU_SOURCE
#include "leakharness.h"

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
    struct text text;  /* character data of the element being read */
    int in_error, in_stack, stack_frames, finished;
    struct text kind, what, frames; /* of the error being read */
    long bytes, blocks;
    int site_here;
    long kind_bytes[4], kind_blocks[4];
    struct text first[4]; /* the first record of each kind: its text and stack */
    int errors;
    int early; /* loss records of the program's own leak checks */
    int fds;   /* FdNotClosed errors: valgrind 3.23 on lists open fds in the XML */
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
    text_clear(&s->text);
    if (strcmp(name, "error") == 0) {
        s->in_error = 1;
        text_clear(&s->kind), text_clear(&s->what), text_clear(&s->frames);
        s->bytes = s->blocks = 0;
        s->site_here = 0;
    } else if (strcmp(name, "stack") == 0)
        s->in_stack = 1, s->stack_frames = 0;
}

static void on_text(void *data, const XML_Char *txt, int len)
{
    struct xml_state *s = data;
    text_addf(&s->text, "%.*s", len, txt);
}

/* Adds a finished <error> to the totals and, for the first counted one, its
 * text and stack to the context. */
static void end_error(struct xml_state *s)
{
    struct findings *f = s->f;
    int k = kind_index(text_str(&s->kind));
    const char *what = text_str(&s->what);
    s->in_error = 0;
    if (k != K_OTHER && !s->finished) { /* a leak check the program asked for */
        text_addf(&f->checks, "    %s\n", what);
        s->early++;
        return;
    }
    if (k == K_OTHER && strcmp(text_str(&s->kind), "FdNotClosed") == 0) {
        if (s->fds++ == 0)
            text_addf(&f->context, "    %s\n", what);
        return;
    }
    if (k == K_OTHER) {
        if (s->errors++ == 0)
            text_addf(&f->context, "    memory error %s: %s\n%s", text_str(&s->kind), what,
                      text_str(&s->frames));
        return;
    }
    long bytes = k == K_DEFINITE || k == K_REACHABLE ? direct_part(what, s->bytes) : s->bytes;
    s->kind_bytes[k] += bytes;
    s->kind_blocks[k] += s->blocks;
    if (!(s->o->leak_kinds & (1u << k)))
        return;
    if (s->first[k].len == 0)
        text_setf(&s->first[k], "    %s\n%s", what, text_str(&s->frames));
    if (s->site_here && f->site_found != 1) {
        f->site_found = 1;
        text_setf(&f->site_where, "on the stack of: %s", what);
    }
}

static void on_end(void *data, const XML_Char *name)
{
    struct xml_state *s = data;
    const char *text = text_str(&s->text);
    if (strcmp(name, "state") == 0 && strcmp(text, "FINISHED") == 0)
        s->finished = 1;
    if (!s->in_error)
        return;
    if (strcmp(name, "error") == 0)
        end_error(s);
    else if (strcmp(name, "kind") == 0)
        text_setf(&s->kind, "%s", text);
    else if ((strcmp(name, "text") == 0 || strcmp(name, "what") == 0) && s->what.len == 0)
        text_setf(&s->what, "%s", text);
    else if (strcmp(name, "auxwhat") == 0) /* the header of the next stack */
        text_addf(&s->frames, "    %s\n", text);
    else if (strcmp(name, "leakedbytes") == 0)
        s->bytes = strtol(text, NULL, 10);
    else if (strcmp(name, "leakedblocks") == 0)
        s->blocks = strtol(text, NULL, 10);
    else if (strcmp(name, "stack") == 0)
        s->in_stack = 0;
    else if (strcmp(name, "fn") == 0 && s->in_stack) {
        text_addf(&s->frames, "      %s %s\n", s->stack_frames++ ? "by" : "at", text);
        if (s->o->site != NULL && site_matches(s->o->site, text, strlen(text)))
            s->site_here = 1;
    } else if ((strcmp(name, "file") == 0 || strcmp(name, "line") == 0) && s->in_stack) {
        if (s->frames.len > 0 && s->frames.s[s->frames.len - 1] == '\n')
            s->frames.s[--s->frames.len] = '\0';
        text_addf(&s->frames, "%s%s%s\n", name[0] == 'f' ? " (" : ":", text,
                  name[0] == 'f' ? "" : ")");
    }
}

/* Parses memcheck.xml into s. Returns 0, or -1 with f->problem set. */
static int parse_xml(const char *path, struct xml_state *s)
{
    size_t len = 0;
    char *xml = read_file(path, 256 << 20, &len);
    if (xml == NULL)
        return text_setf(&s->f->problem, "memcheck wrote no XML report"), -1;
    XML_Parser p = XML_ParserCreate(NULL);
    int rc = 0;
    XML_SetUserData(p, s);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    if (XML_Parse(p, xml, (int)len, 1) == XML_STATUS_ERROR) {
        text_setf(&s->f->problem, "%s is not valid XML: %s at line %lu", path,
                  XML_ErrorString(XML_GetErrorCode(p)),
                  (unsigned long)XML_GetCurrentLineNumber(p));
        rc = -1;
    } else if (!s->finished) {
        text_setf(&s->f->problem, "%s is incomplete: memcheck did not reach its FINISHED"
                  " state", path);
        rc = -1;
    }
    XML_ParserFree(p);
    free(xml);
    return rc;
}

/* Frees what s holds. */
static void xml_state_free(struct xml_state *s)
{
    text_free(&s->text), text_free(&s->kind), text_free(&s->what), text_free(&s->frames);
    for (int k = 0; k < 4; k++)
        text_free(&s->first[k]);
}

/* Returns 1 if an addition to any of s's texts ran out of memory. */
static int xml_state_oom(const struct xml_state *s)
{
    int oom = s->text.oom | s->kind.oom | s->what.oom | s->frames.oom;
    for (int k = 0; k < 4; k++)
        oom |= s->first[k].oom;
    return oom;
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
                text_addf(&f->context, "    %s\n", body);
        } else if (strstr(body, "<inherited from parent>") != NULL)
            pending = 0;
    }
    free(text);
    return open_fds + pending;
}

/* Runs valgrind with `opts` before PROGRAM. Returns 0 when the run can be
 * judged, LC_UNJUDGED otherwise. The run of label "program" is kept in f. */
static int run_valgrind(const struct options *o, const char *label, const char *const opts[],
                        struct findings *f)
{
    struct run r = {0};
    char **argv = command_argv(opts, o);
    int rc = argv ? run_program(o, label, argv, NULL, &r) : -1;
    free(argv);
    if (rc != 0) {
        run_free(&r);
        return text_setf(&f->problem, "cannot run valgrind"), LC_UNJUDGED;
    }
    int judgeable = run_judgeable(&r, 0, f);
    if (!judgeable || strcmp(label, "program") == 0) /* the text run's output is the same */
        add_report(f, text_str(&r.out_path)), add_report(f, text_str(&r.err_path));
    else
        remove(text_str(&r.out_path)), remove(text_str(&r.err_path));
    if (strcmp(label, "program") == 0 || !judgeable)
        findings_keep_run(f, &r);
    run_free(&r);
    return judgeable ? 0 : LC_UNJUDGED;
}

/* Fills f's figures, kinds and summary from the parsed XML. */
static void memcheck_verdict(const struct options *o, const struct xml_state *s,
                             struct findings *f)
{
    long counted = 0; /* blocks, not bytes: a lost malloc(0) is still lost */
    for (int k = 0; k < 4; k++) /* the most telling record: definite first */
        if (s->first[k].len > 0) {
            text_addf(&f->context, "%s", text_str(&s->first[k]));
            break;
        }
    for (int k = 0; k < 4; k++) {
        if (s->kind_blocks[k] > 0)
            text_addf(&f->kinds, "%s%s", f->kinds.len ? "," : "", kind_names[k]);
        if (o->leak_kinds & (1u << k))
            counted += s->kind_blocks[k];
    }
    text_setf(&f->got, "definitely lost %ld B in %ld blocks, indirectly lost %ld B"
              " in %ld blocks, possibly lost %ld B in %ld blocks, still reachable %ld B in %ld"
              " blocks", s->kind_bytes[0], s->kind_blocks[0], s->kind_bytes[1],
              s->kind_blocks[1], s->kind_bytes[2], s->kind_blocks[2], s->kind_bytes[3],
              s->kind_blocks[3]);
    f->leak = counted > 0;
    f->errors = s->errors;
    static const char *const figure_names[4][2] = {
        {"definite_bytes", "definite_blocks"}, {"indirect_bytes", "indirect_blocks"},
        {"possible_bytes", "possible_blocks"}, {"reachable_bytes", "reachable_blocks"}};
    for (int k = 0; k < 4; k++) {
        findings_figure(f, figure_names[k][0], s->kind_bytes[k]);
        findings_figure(f, figure_names[k][1], s->kind_blocks[k]);
    }
    if (s->errors > 0)
        text_addf(&f->got, "; %d memory errors", s->errors);
    if (s->early > 0)
        text_addf(&f->got, "; %d loss records of leak checks the program ran itself before"
                  " exit, not counted", s->early);
}

/* Adds the --track-fds verdict: the fds the XML listed (valgrind 3.23 on,
 * xml_fds) and those its log lists (3.19 writes them there only). */
static void fd_verdict(const char *log, int xml_fds, struct findings *f)
{
    int fds = xml_fds + count_fds(log, f);
    findings_figure(f, "open_fds", fds);
    text_addf(&f->got, "; %d fds opened and still open at exit", fds);
    if (fds > 0)
        text_addf(&f->kinds, "%sfd", f->kinds.len ? "," : "");
    f->leak |= fds > 0;
}

/* The paths and valgrind options of a judgement. */
struct memcheck_paths {
    char *valgrind, *xml, *log, *fds; /* fds: the XML run's log, its fd list */
    char *xml_opt, *log_opt, *fds_opt;
};

static void memcheck_paths_free(struct memcheck_paths *p)
{
    free(p->valgrind), free(p->xml), free(p->log), free(p->fds);
    free(p->xml_opt), free(p->log_opt), free(p->fds_opt);
}

/* Returns a new string a followed by b (the caller frees it), or NULL. */
static char *concat(const char *a, const char *b)
{
    char *s = NULL;
    return asprintf(&s, "%s%s", a, b) < 0 ? NULL : s;
}

/* Fills p for o. Returns 0, or -1 with f->problem set. */
static int memcheck_paths(const struct options *o, struct memcheck_paths *p, struct findings *f)
{
    *p = (struct memcheck_paths){.valgrind = find_in_path("valgrind"),
                                 .xml = path_join(o->out_dir, "memcheck.xml"),
                                 .log = path_join(o->out_dir, "memcheck.log"),
                                 .fds = path_join(o->out_dir, "memcheck-fds.log")};
    if (p->valgrind == NULL)
        return text_setf(&f->problem, "valgrind is gone"), -1;
    if (p->xml == NULL || p->log == NULL || p->fds == NULL ||
        (p->xml_opt = concat("--xml-file=", p->xml)) == NULL ||
        (p->log_opt = concat("--log-file=", p->log)) == NULL ||
        (p->fds_opt = concat("--log-file=", p->fds)) == NULL)
        return text_setf(&f->problem, "out of memory"), -1;
    return 0;
}

/* Returns 1 if the text log is to be written, with f's verdict known. */
static int wants_text_log(const struct options *o, const struct findings *f)
{
    return o->text_log == TEXT_LOG_ALWAYS ||
           (o->text_log == TEXT_LOG_ON_FAILURE && harness_decide(o, f, NULL) != LC_PASS);
}

/* Runs PROGRAM under memcheck in XML mode, with --track-fds its fd list in
 * memcheck-fds.log (in XML mode it is all valgrind's log holds), and judges
 * it; then, as o->text_log says, once more in text mode for memcheck.log,
 * which the verdict never reads. */
int memcheck_judge(const struct options *o, struct findings *f)
{
    struct xml_state s = {.o = o, .f = f};
    struct memcheck_paths p;
    int rc = LC_UNJUDGED;
    if (memcheck_paths(o, &p, f) != 0)
        goto cleanup;
    const char *xml_run[] = {p.valgrind, "--tool=memcheck", "--leak-check=full",
                             "--show-leak-kinds=all", "--num-callers=30",
                             "--child-silent-after-fork=yes", "--xml=yes", p.xml_opt,
                             /* without --track-fds, the list ends here: */
                             o->track_fds ? "--track-fds=yes" : NULL, p.fds_opt, NULL};
    const char *text_run[] = {p.valgrind, "--tool=memcheck", "--leak-check=full",
                              "--show-leak-kinds=all", "--num-callers=30", "--track-fds=yes",
                              "--child-silent-after-fork=yes", p.log_opt, NULL};
    if (run_valgrind(o, "program", xml_run, f) != 0)
        goto cleanup;
    add_report(f, p.xml);
    if (parse_xml(p.xml, &s) != 0)
        goto cleanup;
    memcheck_verdict(o, &s, f);
    if (o->track_fds) {
        add_report(f, p.fds);
        fd_verdict(p.fds, s.fds, f);
    }
    if (o->site != NULL && f->site_found != 1) {
        f->site_found = 0;
        text_setf(&f->site_where, "not on the stack of any counted loss record");
    }
    if (wants_text_log(o, f)) {
        if (run_valgrind(o, "memcheck-text", text_run, f) != 0)
            goto cleanup;
        add_report(f, p.log);
    }
    rc = 0;
cleanup:
    if (xml_state_oom(&s))
        f->problem.oom = 1;
    xml_state_free(&s);
    memcheck_paths_free(&p);
    return rc;
}
