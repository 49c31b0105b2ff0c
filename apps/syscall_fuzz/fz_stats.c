/* fz_stats: see fz_stats.h. */
#include "fz_stats.h"

#include <stdio.h>

#include "abi/tock_abi.h"

static const char *const class_names[FZ_NUM_CLASSES] = {
    "yield", "subscribe", "command", "allow-rw", "allow-ro", "memop", "exit", "allow-ur",
};

static const char *const bucket_names[FZ_NUM_BUCKETS] = {
    "SUCCESS", "FAIL",  "BUSY",      "ALREADY",  "OFF",         "RESERVE", "INVAL",   "SIZE",
    "CANCEL",  "NOMEM", "NOSUPPORT", "NODEVICE", "UNINSTALLED", "NOACK",   "badcode", "returned",
};

static bool is_failure(uint32_t variant)
{
    return variant == RET_FAILURE || variant == RET_FAILURE_U32 || variant == RET_FAILURE_2U32 ||
           variant == RET_FAILURE_U64;
}

void fz_stats_count(struct fz_stats *s, unsigned cls, const struct fz_regs *ret)
{
    unsigned b;

    s->calls++;
    if (cls == SYSCALL_YIELD)
        b = FZ_B_RETURNED;
    else if (!is_failure(ret->r[0]))
        b = FZ_B_SUCCESS;
    else if (ret->r[1] >= TOCK_EFAIL && ret->r[1] <= FZ_B_LAST_CODE)
        b = ret->r[1];
    else
        b = FZ_B_BADCODE;
    s->counts[cls][b]++;
}

#define ALARM_FIRST_CLOCK_CMD 2u /* now, stop, set: answers depend on time */
#define ALARM_LAST_CLOCK_CMD  6u
#define DIGEST_MULT           16777619u /* FNV-1a prime */

void fz_stats_digest(struct fz_stats *s, unsigned cls, const struct fz_regs *args,
                     const struct fz_regs *ret)
{
    if (cls == SYSCALL_YIELD)
        return;
    if (cls == SYSCALL_COMMAND && args->r[0] == DRIVER_ALARM &&
        args->r[1] >= ALARM_FIRST_CLOCK_CMD && args->r[1] <= ALARM_LAST_CLOCK_CMD)
        return;
    s->digest = (s->digest ^ cls) * DIGEST_MULT;
    for (unsigned i = 0; i < 4; i++)
        s->digest = (s->digest ^ ret->r[i]) * DIGEST_MULT;
}

void fz_stats_violation(struct fz_stats *s, unsigned cls, const struct fz_regs *args,
                        const struct fz_regs *ret, const char *why)
{
    if (s->violations < FZ_KEEP_VIOLATIONS) {
        struct fz_violation *v = &s->kept[s->violations];
        v->call = s->calls;
        v->cls = cls;
        v->args = *args;
        v->ret = *ret;
        v->why = why;
    }
    s->violations++;
}

void fz_stats_print(const struct fz_stats *s, uint32_t seed)
{
    printf("syscall_fuzz: seed %08lx: %lu calls, %lu upcalls ran, %lu violations\n",
           (unsigned long)seed, (unsigned long)s->calls, (unsigned long)s->upcalls,
           (unsigned long)s->violations);
    printf("syscall_fuzz: answers digest %08lx\n", (unsigned long)s->digest);
    for (unsigned c = 0; c < FZ_NUM_CLASSES; c++) {
        uint32_t total = 0;
        for (unsigned b = 0; b < FZ_NUM_BUCKETS; b++)
            total += s->counts[c][b];
        printf("syscall_fuzz: class %u %-9s %7lu:", c, class_names[c], (unsigned long)total);
        for (unsigned b = 0; b < FZ_NUM_BUCKETS; b++)
            if (s->counts[c][b] != 0)
                printf(" %s=%lu", bucket_names[b], (unsigned long)s->counts[c][b]);
        printf("\n");
    }
    for (unsigned i = 0; i < s->violations && i < FZ_KEEP_VIOLATIONS; i++) {
        const struct fz_violation *v = &s->kept[i];
        printf("syscall_fuzz: VIOLATION %s: call %lu, class %u args %08lx %08lx %08lx %08lx -> "
               "%08lx %08lx %08lx %08lx\n",
               v->why, (unsigned long)v->call, v->cls, (unsigned long)v->args.r[0],
               (unsigned long)v->args.r[1], (unsigned long)v->args.r[2],
               (unsigned long)v->args.r[3], (unsigned long)v->ret.r[0], (unsigned long)v->ret.r[1],
               (unsigned long)v->ret.r[2], (unsigned long)v->ret.r[3]);
    }
}
