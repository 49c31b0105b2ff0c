/*
 * nvs_stress: random operations on the app's region, each checked against a
 * shadow copy kept in RAM. The shadow starts as a full read of the region
 * (whatever earlier boots left there); every write updates it; every read
 * must match it. Operations mix the synchronous, asynchronous and
 * pread/pwrite entry points, with lengths from 1 byte to MAX_LEN and
 * pread/pwrite ranges that run past the end of the region.
 *
 * Seeded PRNG (fixed seed, so a failure reproduces). Prints
 *   nvs_stress: N operations verified, M mismatches
 * Exit status 0 if every operation succeeded and matched, else 1.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_posix.h"
#include "userland/syscall.h"

#define OPERATIONS 120
#define MAX_LEN    300
#define SEED       0x5EED1234u
#define XS_A       13
#define XS_B       17
#define XS_C       5
#define OVERHANG   16 /* how far pread/pwrite ranges may run past the end */

enum op_kind { OP_READ, OP_WRITE, OP_READ_ASYNC, OP_WRITE_ASYNC, OP_PREAD, OP_PWRITE, OP_KINDS };

static uint32_t rng = SEED;

static uint32_t next(void)
{
    rng ^= rng << XS_A;
    rng ^= rng >> XS_B;
    rng ^= rng << XS_C;
    return rng;
}

struct async_done {
    bool fired;
    int err;
    size_t moved;
};

static void on_done(int err, size_t moved, void *ctx)
{
    struct async_done *d = ctx;
    d->fired = true;
    d->err = err;
    d->moved = moved;
}

static int wait_async(int started, struct async_done *d, size_t len)
{
    if (started != NVS_OK)
        return started;
    while (!d->fired)
        tock_yield_wait();
    if (d->err == NVS_OK && d->moved != len)
        return NVS_ERR_SHORT;
    return d->err;
}

int main(void)
{
    static uint8_t buf[MAX_LEN];
    uint8_t *shadow;
    uint64_t size;
    unsigned verified = 0, mismatches = 0;
    int err = nvs_size(&size);

    if (err != NVS_OK || size == 0) {
        printf("nvs_stress: no region: %s\n", nvs_strerror(err));
        return 1;
    }
    shadow = malloc((size_t)size);
    if (shadow == NULL || nvs_read(0, shadow, (size_t)size) != NVS_OK) {
        printf("nvs_stress: cannot read the region\n");
        return 1;
    }
    for (int i = 0; i < OPERATIONS; i++) {
        enum op_kind kind = (enum op_kind)(next() % OP_KINDS);
        size_t len = 1 + next() % MAX_LEN;
        bool posix = kind == OP_PREAD || kind == OP_PWRITE;
        uint64_t span = posix ? size + OVERHANG : size - len + 1;
        uint64_t off = len > size ? 0 : next() % span;
        size_t expect = len;
        struct async_done d = {false, NVS_OK, 0};
        bool write = kind == OP_WRITE || kind == OP_WRITE_ASYNC || kind == OP_PWRITE;
        ssize_t got;

        if (len > size)
            len = expect = (size_t)size;
        if (posix)
            expect = off >= size ? 0 : (off + len > size ? (size_t)(size - off) : len);
        if (write)
            for (size_t j = 0; j < len; j++)
                buf[j] = (uint8_t)next();
        switch (kind) {
        case OP_READ:
            err = nvs_read(off, buf, len);
            break;
        case OP_WRITE:
            err = nvs_write(off, buf, len);
            break;
        case OP_READ_ASYNC:
            err = wait_async(nvs_read_async(off, buf, len, on_done, &d), &d, len);
            break;
        case OP_WRITE_ASYNC:
            err = wait_async(nvs_write_async(off, buf, len, on_done, &d), &d, len);
            break;
        default:
            got = kind == OP_PREAD ? nvs_pread(buf, len, off) : nvs_pwrite(buf, len, off);
            if (off > size)
                err = got == NVS_ERR_PAST_END ? NVS_OK : NVS_ERR_FAIL;
            else if (off == size && kind == OP_PWRITE)
                err = got == NVS_ERR_NO_SPACE ? NVS_OK : NVS_ERR_FAIL;
            else
                err = got == (ssize_t)expect ? NVS_OK : (got < 0 ? (int)got : NVS_ERR_SHORT);
            break;
        }
        if (err != NVS_OK) {
            printf("nvs_stress: op %d kind %d off %lu len %u: %s\n", i, kind, (unsigned long)off,
                   (unsigned)len, nvs_strerror(err));
            mismatches++;
            continue;
        }
        if (off < size && write)
            memcpy(shadow + off, buf, expect);
        else if (off < size && memcmp(shadow + off, buf, expect) != 0) {
            printf("nvs_stress: op %d: data differs from the shadow at %lu\n", i,
                   (unsigned long)off);
            mismatches++;
            continue;
        }
        verified++;
    }
    /* Finally the whole region against the shadow, in one read. */
    memset(buf, 0, sizeof(buf));
    {
        uint8_t *all = malloc((size_t)size);
        if (all == NULL || nvs_read(0, all, (size_t)size) != NVS_OK ||
            memcmp(all, shadow, (size_t)size) != 0)
            mismatches++;
        else
            verified++;
        free(all);
    }
    printf("nvs_stress: %u operations verified, %u mismatches\n", verified, mismatches);
    return mismatches == 0 ? 0 : 1;
}
