/* The test apps' tally: two counters and failure messages. */
#include <stdio.h>

#include "userland/check.h"

static unsigned passed;
static unsigned failed;

static void record(const char *what, bool ok)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("check: FAIL %s\n", what);
    }
}

void check_true(const char *what, bool cond)
{
    record(what, cond);
}

void check_variant(const char *what, tock_ret_t ret, uint32_t variant)
{
    if (ret.variant != variant) {
        printf("check: %s: variant %lu (r1 %#lx), want %lu\n", what, (unsigned long)ret.variant,
               (unsigned long)ret.r1, (unsigned long)variant);
    }
    record(what, ret.variant == variant);
}

void check_u32(const char *what, uint32_t got, uint32_t want)
{
    if (got != want) {
        printf("check: %s: got %#lx, want %#lx\n", what, (unsigned long)got, (unsigned long)want);
    }
    record(what, got == want);
}

void check_failure(const char *what, tock_ret_t ret, uint32_t variant, uint32_t err)
{
    bool ok = ret.variant == variant && ret.r1 == err;
    if (!ok) {
        printf("check: %s: variant %lu error %lu, want variant %lu error %lu\n", what,
               (unsigned long)ret.variant, (unsigned long)ret.r1, (unsigned long)variant,
               (unsigned long)err);
    }
    record(what, ok);
}

unsigned check_passed(void)
{
    return passed;
}

unsigned check_failed(void)
{
    return failed;
}
