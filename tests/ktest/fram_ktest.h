/*
 * Helpers shared by the FRAM ktests: print a result line on the console and
 * run one nvram operation through the asynchronous path the kernel uses
 * (start, then deferred passes until the callback), with no processes.
 */
#ifndef TESTS_KTEST_FRAM_KTEST_H
#define TESTS_KTEST_FRAM_KTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "hal/nvram.h"
#include "kernel/deferred.h"
#include "kernel/fmt.h"
#include "kernel/log.h"

#define KTEST_LINE_MAX 120

struct ktest_op {
    bool finished;
    enum nvram_status status;
    size_t count;
};

static inline void ktest_op_done(void *ctx, enum nvram_status status, size_t count)
{
    struct ktest_op *op = ctx;

    op->finished = true;
    op->status = status;
    op->count = count;
}

/* Start a read (dst) or write (src), then run the kernel's deferred calls
 * until it completes. Returns the start status if nothing started. */
static inline enum nvram_status ktest_nvram_op(struct nvram *nv, uint8_t *dst, const uint8_t *src,
                                               uint32_t addr, size_t len, size_t *count)
{
    struct ktest_op op = {false, NVRAM_OK, 0};
    enum nvram_status st;

    nvram_set_client(nv, ktest_op_done, &op);
    st = dst != NULL ? nvram_read(nv, dst, addr, len) : nvram_write(nv, src, addr, len);
    if (st != NVRAM_OK)
        return st;
    while (!op.finished)
        deferred_run();
    if (count != NULL)
        *count = op.count;
    return op.status;
}

/* One raw line on the console (no log prefix), for the test runner. */
static inline void ktest_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void ktest_say(const char *fmt, ...)
{
    char line[KTEST_LINE_MAX];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmt_vformat(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    log_write(line, (size_t)n);
}

#endif /* TESTS_KTEST_FRAM_KTEST_H */
