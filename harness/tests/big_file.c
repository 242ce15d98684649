/* big_file.c: writes to the file PATH without end.
 *
 *   big_file PATH
 *
 * leakcheck must stop it at --max-file-size (SIGXFSZ) and say so; the file
 * is then no bigger than the limit. Without a limit it stops at 256 MiB and
 * says "no limit stopped it".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { ENOUGH = 4096 }; /* blocks of 64 KiB */

static char block[65536];

int main(int argc, char **argv)
{
    int fd = argc == 2 ? open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
    if (fd < 0)
        return 2;
    memset(block, 'x', sizeof block);
    for (int i = 0; i < ENOUGH; i++)
        if (write(fd, block, sizeof block) != (ssize_t)sizeof block) {
            perror("big_file: write");
            return 1;
        }
    printf("no limit stopped it: %d KiB\n", ENOUGH * 64);
    return 1;
}
