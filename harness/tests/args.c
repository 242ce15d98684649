/* args.c: exits 0 only if its arguments are exactly the ones below.
 *
 * They hold what a shell would expand, split or drop: spaces, quotes, $,
 * backquotes, globs, backslashes, an empty string, "--" and options of
 * leakcheck's own. leakcheck passes PROGRAM's arguments verbatim, so the
 * test runs `leakcheck ... -- args` with these and expects a pass. A
 * mismatch is printed and makes the program exit 1 (not judged).
 */
#include <stdio.h>
#include <string.h>

static const char *const expected[] = {
    "two words", "", "'single'", "\"double\"", "$HOME", "$(id)", "`id`", "*",
    "back\\slash", "tab\there", "--", "--tool=lsan", "-h",
};

int main(int argc, char **argv)
{
    size_t n = sizeof expected / sizeof expected[0];
    int ok = (size_t)argc == n + 1;
    for (size_t i = 0; ok && i < n; i++)
        if (strcmp(argv[i + 1], expected[i]) != 0) {
            printf("argument %zu: expected [%s], got [%s]\n", i + 1, expected[i], argv[i + 1]);
            ok = 0;
        }
    if ((size_t)argc != n + 1)
        printf("expected %zu arguments, got %d\n", n, argc - 1);
    return ok ? 0 : 1;
}
