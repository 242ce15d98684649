/* bad_free: frees one block twice (memcheck: "Invalid free()").
 *
 * memcheck reports three stacks: where the bad free was, where the block was
 * freed first ("Address ... free'd") and where it was allocated ("Block was
 * alloc'd at"). leakcheck's evidence must keep each stack under its header,
 * so a reader can tell the three apart.
 */
#include <stdlib.h>
#include <string.h>

static char *__attribute__((noinline)) make_block(void)
{
    char *block = malloc(16);
    memset(block, 0, 16);
    return block;
}

static void __attribute__((noinline)) first_free(char *block) { free(block); }

static void __attribute__((noinline)) second_free(char *block) { free(block); }

int main(void)
{
    char *block = make_block();
    first_free(block);
    second_free(block); /* the bug this program shows */
    return 0;
}
