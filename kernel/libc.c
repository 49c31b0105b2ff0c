/*
 * libc: the two C library routines the kernel calls, and that the compiler
 * emits for structure copies and clears: memcpy and memset.
 *
 * Newlib's are tuned for speed (396 bytes of flash together); the kernel
 * copies little (names, policies, a storage bounce buffer of at most one
 * chunk) and clears memory mostly at boot and process start, so these are
 * short: a word at a time where both ends allow it, bytes otherwise.
 * Defined here, they take the place of newlib's at link time.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h> /* the prototypes */

/* A word the compiler may not assume is of one type only (the callers'
 * buffers are of any type). */
typedef uint32_t __attribute__((may_alias)) any_word_t;

#define WORD_MASK (sizeof(any_word_t) - 1)

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if ((((uintptr_t)d | (uintptr_t)s) & WORD_MASK) == 0)
        for (; n >= sizeof(any_word_t); n -= sizeof(any_word_t)) {
            *(any_word_t *)d = *(const any_word_t *)s;
            d += sizeof(any_word_t);
            s += sizeof(any_word_t);
        }
    while (n-- > 0)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    any_word_t word = (unsigned char)c * 0x01010101u; /* the byte in each lane */

    if (((uintptr_t)d & WORD_MASK) == 0)
        for (; n >= sizeof(any_word_t); n -= sizeof(any_word_t)) {
            *(any_word_t *)d = word;
            d += sizeof(any_word_t);
        }
    while (n-- > 0)
        *d++ = (unsigned char)c;
    return dst;
}
