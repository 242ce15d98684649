/* watched: a program that looks for the harness in its own environment.
 *
 * A program under test must not be able to tell it is being watched, or it
 * could behave differently there. This one exits 3 when a LEAKCHECK_*
 * variable is in its environment (environ or main's envp) or a leakcheck
 * shim is in LD_PRELOAD, and 0 otherwise. Every tool must run it to a clean
 * verdict: the harness removes its variables before main runs.
 */
#include <stdio.h>
#include <string.h>

extern char **environ;

/* Returns the first variable of env that gives the harness away, or NULL. */
static const char *giveaway(char **env)
{
    for (char **e = env; e != NULL && *e != NULL; e++)
        if (strncmp(*e, "LEAKCHECK_", 10) == 0 ||
            (strncmp(*e, "LD_PRELOAD=", 11) == 0 && strstr(*e, "leakcheck") != NULL))
            return *e;
    return NULL;
}

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv;
    const char *seen = giveaway(environ);
    if (seen == NULL)
        seen = giveaway(envp);
    if (seen != NULL) {
        fprintf(stderr, "watched: the harness is in my environment: %s\n", seen);
        return 3;
    }
    printf("watched: no sign of the harness\n");
    return 0;
}
