/*
 * stack_overflow: announces itself, then recurses, 64 bytes of stack per
 * level, until the stack runs past the bottom of its RAM block (libtock-c's
 * layout puts the stack first, growing down towards the block's start).
 * Nothing in the block is overwritten on the way: the stack is the lowest
 * thing in it. The kernel must fault this process alone and apply its
 * restart policy; it never prints "survived".
 */
#include <stdint.h>
#include <stdio.h>

#define FRAME_BYTES 64

static volatile unsigned deepest;
/* Far more levels than any RAM block holds; volatile, so the compiler
 * cannot prove the recursion infinite or bound it. */
static volatile unsigned bottom = 1u << 30;

/* Not a tail call: the sum uses the frame after the call returns. */
static unsigned dive(unsigned level)
{
    volatile uint8_t frame[FRAME_BYTES];

    frame[0] = (uint8_t)level;
    deepest = level;
    if (level == bottom)
        return 0;
    return dive(level + 1) + frame[0];
}

int main(void)
{
    printf("stack_overflow: diving\n");
    fflush(stdout);
    unsigned r = dive(1);
    printf("stack_overflow: survived %u levels: stack overflow NOT caught\n", r);
    return 1;
}
