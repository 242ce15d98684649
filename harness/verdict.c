/* verdict.c: comparing findings with the expectation, and the verdict files.
 *
 * verdict.txt is "key=value" lines for shell scripts; verdict.json holds the
 * same and more, typed (numbers as numbers, lists as arrays), for programs.
 * docs/harness.md has the schema of both.
 */
#define _GNU_SOURCE
#include "leakharness.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *word(int leak) { return leak ? "leak" : "clean"; }

const char *harness_status_name(int status)
{
    return status == LC_PASS ? "pass" : status == LC_FAIL ? "fail"
         : status == LC_SKIP ? "skipped" : "unjudged";
}

/* ---- the decision ------------------------------------------------------------ */

/* Returns the length of the first kind of the list `want` that `got` lacks,
 * pointing *at to it, or 0 when got has them all. Both are comma-separated. */
static size_t missing_kind(const char *want, const char *got, const char **at)
{
    for (const char *p = want; p != NULL && *p != '\0';) {
        size_t len = strcspn(p, ",");
        int found = 0;
        for (const char *q = got; *q != '\0';) {
            size_t qlen = strcspn(q, ",");
            found |= qlen == len && strncmp(p, q, len) == 0;
            q += qlen + (q[qlen] == ',');
        }
        if (!found && len > 0)
            return *at = p, len;
        p += len + (p[len] == ',');
    }
    return 0;
}

/* Appends the FAIL lines of a verdict to says. */
static void say_failure(const struct options *o, const struct findings *f, int ok,
                        const char *lacking, size_t lacking_len, struct text *says)
{
    int want_leak = o->expect == EXPECT_LEAK;
    const char *kinds = text_str(&f->kinds);
    if (!ok && lacking_len == 0)
        text_addf(says, "FAIL     expected %s, got %s%s\n", word(want_leak), word(f->leak),
                  f->errors ? " with memory errors" : "");
    else if (!ok)
        text_addf(says, "FAIL     expected the kinds %s, got %s (no %.*s)\n", o->kinds,
                  *kinds ? kinds : "none", (int)lacking_len, lacking);
    else
        text_addf(says, "FAIL     expected a leak allocated under %s, got leaks elsewhere\n",
                  o->site);
    text_addf(says, "  expected %s%s%s\n",
              want_leak ? (o->site ? "a leak, with the site on its stack" : "a leak")
                        : "no leak and no memory error",
              o->kinds ? ", reported as " : "", o->kinds ? o->kinds : "");
    text_addf(says, "  got      %s\n", text_str(&f->got));
    if (f->context.len > 0)
        text_addf(says, "  context\n%s", text_str(&f->context));
}

int harness_decide(const struct options *o, const struct findings *f, struct text *says)
{
    struct text ignored = {0};
    const char *lacking = NULL;
    int want_leak = o->expect == EXPECT_LEAK;
    size_t lacking_len = missing_kind(o->kinds, text_str(&f->kinds), &lacking);
    int ok = f->leak == want_leak && f->errors == 0 && lacking_len == 0;
    int site_asked = want_leak && o->site != NULL && f->leak;
    int site_ok = !site_asked || f->site_found == 1;
    if (says == NULL)
        says = &ignored;
    if (site_asked)
        text_addf(says, "  site     %s: %s\n", o->site, text_str(&f->site_where));
    if (ok && site_ok)
        text_addf(says, "PASS     expected %s, got %s%s%s\n", word(want_leak), word(f->leak),
                  f->kinds.len ? ": " : "", text_str(&f->kinds));
    else
        say_failure(o, f, ok, lacking, lacking_len, says);
    text_free(&ignored);
    return ok && site_ok ? LC_PASS : LC_FAIL;
}

/* ---- verdict.txt -------------------------------------------------------------- */

/* Writes verdict.txt: one key=value per line, for scripts and graders.
 * Returns 0, or -1 when the file cannot be written. */
static int write_text_verdict(const struct options *o, int status, const struct findings *f)
{
    char *path = path_join(o->out_dir, "verdict.txt");
    FILE *fp = path != NULL ? fopen(path, "w") : NULL;
    free(path);
    if (fp == NULL)
        return -1;
    fprintf(fp, "tool=%s\nexpect=%s\nstatus=%s\n", o->tool, word(o->expect == EXPECT_LEAK),
            harness_status_name(status));
    if (status == LC_PASS || status == LC_FAIL)
        fprintf(fp, "got=%s\nerrors=%d\n", word(f->leak), f->errors);
    for (size_t i = 0; i < f->nfigures; i++)
        fprintf(fp, "%s=%ld\n", f->figures[i].name, f->figures[i].value);
    fprintf(fp, "summary=%s\nkinds=%s\nproblem=%s\nreports=", text_str(&f->got),
            text_str(&f->kinds), text_str(&f->problem));
    for (size_t i = 0; i < f->reports.n; i++)
        fprintf(fp, "%s%s", i ? " " : "", f->reports.item[i]);
    fprintf(fp, "\n");
    return fclose(fp) == 0 ? 0 : -1;
}

/* ---- verdict.json --------------------------------------------------------------- */

/* Returns a JSON string of t, or null when t is empty. */
static json_t *string_or_null(const struct text *t)
{
    return t->len > 0 ? json_string(t->s) : json_null();
}

/* Returns a JSON array of the pieces of s between separators `sep`, each
 * with the leading `strip` characters removed when they are spaces. */
static json_t *split(const char *s, const char *sep, size_t strip)
{
    json_t *a = json_array();
    size_t seplen = strlen(sep);
    while (a != NULL && s != NULL && *s != '\0') {
        const char *end = strstr(s, sep);
        size_t len = end ? (size_t)(end - s) : strlen(s);
        size_t skip = 0;
        while (skip < strip && skip < len && s[skip] == ' ')
            skip++;
        if (len > skip)
            json_array_append_new(a, json_stringn(s + skip, len - skip));
        s += len + (end ? seplen : 0);
    }
    return a;
}

/* Returns the "run" object: how the judged run ended. */
static json_t *run_json(const struct run *r)
{
    static const char *const ends[] = {"exited", "signaled", "timed_out", "not_started"};
    const char *sig = r->end == RUN_SIGNALED ? sigabbrev_np(r->code) : NULL;
    return json_pack("{s:s, s:o, s:o, s:o, s:f, s:i, s:b, s:o, s:o}",
                     "end", ends[r->end],
                     "exit_code", r->end == RUN_EXITED ? json_integer(r->code) : json_null(),
                     "signal", r->end == RUN_SIGNALED ? json_integer(r->code) : json_null(),
                     "signal_name", sig ? json_sprintf("SIG%s", sig) : json_null(),
                     "seconds", r->seconds, "leftovers", r->leftovers,
                     "output_truncated", r->truncated,
                     "limits", split(text_str(&r->limits), "; ", 0),
                     "hint", split(text_str(&r->hint), "; ", 0));
}

/* Returns the verdict as a JSON object, or NULL when out of memory. */
static json_t *verdict_json(const struct options *o, int status, const struct findings *f)
{
    int judged = status == LC_PASS || status == LC_FAIL;
    json_t *figures = json_object(), *reports = json_array(), *argv = json_array();
    for (size_t i = 0; figures != NULL && i < f->nfigures; i++)
        json_object_set_new(figures, f->figures[i].name, json_integer(f->figures[i].value));
    for (size_t i = 0; reports != NULL && i < f->reports.n; i++)
        json_array_append_new(reports, json_string(f->reports.item[i]));
    for (char *const *a = o->argv; argv != NULL && a != NULL && *a != NULL; a++)
        json_array_append_new(argv, json_string(*a));
    json_t *site = json_pack("{s:o, s:o, s:o}",
                             "asked", o->site ? json_string(o->site) : json_null(),
                             "found", f->site_found < 0 ? json_null()
                                                        : json_boolean(f->site_found),
                             "where", string_or_null(&f->site_where));
    return json_pack("{s:i, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
                     " s:o, s:o, s:o, s:o}",
                     "version", 1, "tool", o->tool, "expect", word(o->expect == EXPECT_LEAK),
                     "status", harness_status_name(status),
                     "got", judged ? json_string(word(f->leak)) : json_null(),
                     "errors", judged ? json_integer(f->errors) : json_null(),
                     "program", string_or_null(&f->program), "argv", argv,
                     "run", f->ran ? run_json(&f->run) : json_null(),
                     "summary", string_or_null(&f->got), "figures", figures,
                     "kinds", split(text_str(&f->kinds), ",", 0), "site", site,
                     "evidence", split(text_str(&f->context), "\n", 4),
                     "program_checks", split(text_str(&f->checks), "\n", 4),
                     "problem", string_or_null(&f->problem), "reports", reports);
}

/* Writes verdict.json. Returns 0, or -1 when it cannot be made or written. */
static int write_json_verdict(const struct options *o, int status, const struct findings *f)
{
    json_t *v = verdict_json(o, status, f);
    char *path = path_join(o->out_dir, "verdict.json");
    int rc = v != NULL && path != NULL &&
                     json_dump_file(v, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) == 0
                 ? 0 : -1;
    json_decref(v);
    free(path);
    return rc;
}

int harness_write_verdict(const struct options *o, int status, struct findings *f)
{
    static const char *const names[] = {"verdict.txt", "verdict.json"};
    int rc = 0;
    if (write_text_verdict(o, status, f) != 0 || write_json_verdict(o, status, f) != 0) {
        text_setf(&f->problem, "cannot write the verdict files in '%s'", o->out_dir);
        rc = -1;
    }
    for (size_t i = 0; i < 2; i++) {
        char *path = path_join(o->out_dir, names[i]);
        add_report(f, path);
        free(path);
    }
    return rc;
}
