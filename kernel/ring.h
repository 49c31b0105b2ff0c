/*
 * ring: a fixed-size byte ring buffer (FIFO) over caller-provided storage.
 *
 * Used by the console capsule to keep bytes that arrive while no process is
 * reading. Single producer and single consumer in kernel thread context;
 * no locking. Pure logic, host-tested (tests/host/test_ring.c).
 */
#ifndef KERNEL_RING_H
#define KERNEL_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ring {
    uint8_t *buf;
    size_t size;    /* capacity in bytes */
    size_t head;    /* next byte to take */
    size_t count;   /* bytes held */
    size_t dropped; /* bytes refused because the ring was full */
};

void ring_init(struct ring *r, uint8_t *storage, size_t size);

/* Add one byte; false (and counted in dropped) if the ring is full. */
bool ring_put(struct ring *r, uint8_t byte);

/* Take up to len bytes, oldest first, into dst; returns how many. */
size_t ring_take(struct ring *r, uint8_t *dst, size_t len);

static inline size_t ring_count(const struct ring *r)
{
    return r->count;
}

#endif /* KERNEL_RING_H */
