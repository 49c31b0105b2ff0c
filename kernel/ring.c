/* ring: see ring.h. */
#include "kernel/ring.h"

void ring_init(struct ring *r, uint8_t *storage, size_t size)
{
    r->buf = storage;
    r->size = size;
    r->head = 0;
    r->count = 0;
    r->dropped = 0;
}

bool ring_put(struct ring *r, uint8_t byte)
{
    if (r->count == r->size) {
        r->dropped++;
        return false;
    }
    r->buf[(r->head + r->count) % r->size] = byte;
    r->count++;
    return true;
}

size_t ring_take(struct ring *r, uint8_t *dst, size_t len)
{
    size_t n = 0;

    while (n < len && r->count > 0) {
        dst[n++] = r->buf[r->head];
        r->head = (r->head + 1) % r->size;
        r->count--;
    }
    return n;
}
