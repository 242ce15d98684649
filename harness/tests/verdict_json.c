/* verdict_json: judges a program through the harness library (not through
 * leakcheck's command line), then reads back the verdict.json it wrote and
 * checks fields of it. It shows that another C program can use the library,
 * and that verdict.json holds what docs/harness.md says, typed.
 *
 *   verdict_json OUT_DIR TOOL leak|clean PROGRAM [FIELD=JSON...]
 *
 * FIELD is a dotted path into verdict.json ("status", "run.exit_code",
 * "figures.direct_bytes", "kinds.0"); JSON is the value it must have, as
 * compact JSON ("pass" with its quotes, 268800, null, ["direct"]).
 * Exit status: 0 every field matches, 1 one does not (expected and got are
 * printed), 2 bad usage or unreadable verdict.json.
 */
#define _GNU_SOURCE
#include "leakharness.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns the element of v at the dotted path, or NULL. */
static json_t *at(json_t *v, const char *path)
{
    char *copy = strdup(path), *save = NULL;
    for (char *key = strtok_r(copy, ".", &save); v != NULL && key != NULL;
         key = strtok_r(NULL, ".", &save))
        v = json_is_array(v) ? json_array_get(v, strtoul(key, NULL, 10)) : json_object_get(v, key);
    free(copy);
    return v;
}

/* Checks one FIELD=JSON; returns 0 if it matches, else 1 (printing why). */
static int check(json_t *verdict, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (eq == NULL)
        return fprintf(stderr, "verdict_json: '%s' is not FIELD=JSON\n", spec), 1;
    char *field = strndup(spec, (size_t)(eq - spec));
    json_error_t error;
    json_t *want = json_loads(eq + 1, JSON_DECODE_ANY, &error), *got = at(verdict, field);
    char *got_text = got ? json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    int ok = want != NULL && got != NULL && json_equal(want, got);
    if (!ok)
        printf("FAIL     %s\n  expected %s\n  got      %s\n", field, eq + 1,
               got_text ? got_text : "(absent)");
    free(got_text), free(field);
    json_decref(want);
    return !ok;
}

int main(int argc, char **argv)
{
    if (argc < 5)
        return fprintf(stderr, "usage: verdict_json OUT_DIR TOOL leak|clean PROGRAM"
                       " [FIELD=JSON...]\n"), 2;
    struct options o;
    struct findings f;
    char *program[] = {argv[4], NULL};
    harness_options_init(&o);
    o.out_dir = argv[1], o.tool = argv[2], o.argv = program;
    o.expect = strcmp(argv[3], "leak") == 0 ? EXPECT_LEAK : EXPECT_CLEAN;
    findings_init(&f);
    int rc = harness_prepare_out_dir(o.out_dir, &f.problem);
    if (rc == 0)
        rc = harness_judge(&o, &f);
    if (rc == 0)
        rc = harness_decide(&o, &f, NULL);
    harness_write_verdict(&o, rc, &f);
    printf("%s: %s %s\n", argv[4], harness_status_name(rc), text_str(&f.got));
    findings_free(&f);

    char *path = path_join(o.out_dir, "verdict.json");
    json_error_t error;
    json_t *verdict = path ? json_load_file(path, 0, &error) : NULL;
    if (verdict == NULL)
        return printf("cannot read %s: %s\n", path ? path : "verdict.json", error.text), 2;
    int failed = 0;
    for (int i = 5; i < argc; i++)
        failed |= check(verdict, argv[i]);
    json_decref(verdict);
    free(path);
    return failed;
}
