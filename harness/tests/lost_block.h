/* lost_block.h: a heap block no detector can see a pointer to, for the test
 * programs that run leak checks of their own (leak_after_check.c,
 * own_leak_check.c).
 *
 * lose_block() allocates the block and keeps its address only XOR-ed, in a
 * global: to a leak checker the block is lost. scrub() then overwrites what
 * lose_block() left of the pointer on the stack and in registers.
 * found_block() gives the address back, to a program that frees the block.
 */
#ifndef LOST_BLOCK_H
#define LOST_BLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uintptr_t hidden; /* the block's address, XOR-ed: not a pointer */

/* Allocates size bytes and drops the pointer: the block is lost until
 * found_block() returns it. */
static void __attribute__((noinline)) lose_block(size_t size)
{
    char *block = malloc(size);
    hidden = (uintptr_t)block ^ 0x5a5a5a5aUL;
    block = NULL;
}

/* Overwrites the stack and registers lose_block left the pointer in. */
static int __attribute__((noinline)) scrub(void)
{
    volatile char junk[256];
    memset((char *)junk, 0, sizeof junk);
    return junk[7];
}

/* Returns the lost block (the caller may free it). */
static inline void *found_block(void)
{
    return (void *)(hidden ^ 0x5a5a5a5aUL);
}

#endif
