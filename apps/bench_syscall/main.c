/*
 * bench_syscall: mean cost, in instructions, of one system call round trip
 * (app `svc` -> kernel -> the app's next instruction) for each class the
 * issue names, and of one upcall round trip.
 *
 * Clock: the alarm capsule's "now" command, a 25 MHz tick. Under QEMU's
 * -icount shift=0 one instruction takes 1 ns, so one tick is 40
 * instructions. Each figure times BENCH_REPS repetitions between two "now"
 * calls, then subtracts a baseline loop timed the same way whose body is
 * the same register set-up with the `svc` left out: what remains is the svc
 * instruction itself plus everything the kernel executes for it.
 *
 * Output, one line per figure (tools/bench.py parses them):
 *   BENCH null_command=57.3
 * Values are instructions with one decimal; "FAIL" lines mean a call
 * returned an error and the figure is meaningless.
 */
#include <stdint.h>
#include <stdio.h>

#include "userland/alarm.h"
#include "userland/syscall.h"

#ifndef BENCH_REPS
#define BENCH_REPS 10000u
#endif

#define TENTHS             10u
#define ALARM_CMD_SET_REL  ALARM_CMD_SET_RELATIVE
#define ALARM_UPCALL       ALARM_UPCALL_FIRED
#define CONSOLE_ALLOW_READ 1u
#define ALLOW_BYTES        16u
#define NO_CMD             0u

/* Instructions per alarm tick: under -icount shift=0 one instruction takes
 * 1 ns, so 10^9 / the alarm's frequency (40 at 25 MHz on mps2-an385, 50 at
 * 20 MHz on mps2-an505). Set once at the start of main, before any timing. */
#define NS_PER_SECOND  1000000000u
#define INSTR_PER_TICK instr_per_tick
static uint32_t instr_per_tick;

static int set_instr_per_tick(void)
{
    uint32_t hz = 0;

    if (tock_alarm_frequency(&hz) != 0 || hz == 0)
        return -1;
    instr_per_tick = NS_PER_SECOND / hz;
    return 0;
}

/* One svc of class `cls` (or none, for the baseline) with r0-r3 loaded
 * from the four values. r0-r3 are outputs, so the compiler reloads them on
 * every turn in both variants and the loops differ only by the svc. */
#define SVC_IN_LOOP(insn, a, b, c, d)                                                              \
    do {                                                                                           \
        register uint32_t r0 __asm__("r0") = (a);                                                  \
        register uint32_t r1 __asm__("r1") = (b);                                                  \
        register uint32_t r2 __asm__("r2") = (c);                                                  \
        register uint32_t r3 __asm__("r3") = (d);                                                  \
        __asm__ volatile(insn                                                                      \
                         : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)                                  \
                         :                                                                         \
                         : "memory", "r12", "lr", "cc");                                           \
    } while (0)

/* "bench_svc_<op>: svc <class>": the label marks the instruction for the
 * trace in tools/bench.py (a second copy of a loop would not link). */
#define SVC_STR(op, cls) "bench_svc_" #op ": svc " #cls
#define SVC(op, cls)     SVC_STR(op, cls)

static uint8_t allow_buf[ALLOW_BYTES];
static uint8_t yield_flag;
static volatile uint32_t upcalls_seen;

static uint32_t now_ticks(void)
{
    uint32_t t = 0;
    tock_command_u32(DRIVER_ALARM, ALARM_CMD_NOW, 0, 0, &t);
    return t;
}

/* Lowest byte of the kernel's grant area in this process's RAM block: it
 * moves down by the size of each grant the kernel allocates. */
static uint32_t grant_start(void)
{
    uint32_t g = 0;
    tock_status_u32(tock_memop(MEMOP_GRANT_START, 0), &g);
    return g;
}

/* The loops. Each is noinline so every figure runs the same code shape. */
enum op {
    OP_BASELINE,
    OP_BASELINE_PAIR,
    OP_COMMAND_EXISTS,
    OP_NULL_COMMAND,
    OP_SUBSCRIBE,
    OP_ALLOW_RW,
    OP_YIELD_NO_WAIT,
    OP_UPCALL_WAIT_FOR,
    OP_UPCALL_FN,
};

static void upcall_fn(uint32_t a0, uint32_t a1, uint32_t a2, void *ud)
{
    (void)a0, (void)a1, (void)a2, (void)ud;
    upcalls_seen = upcalls_seen + 1;
}

static __attribute__((noinline)) void run_op(enum op op, uint32_t reps)
{
    uint32_t i;

    switch (op) {
    case OP_BASELINE:
        for (i = 0; i < reps; i++)
            SVC_IN_LOOP("", DRIVER_ALARM, ALARM_CMD_FREQUENCY, 0, 0);
        break;
    case OP_BASELINE_PAIR:
        for (i = 0; i < reps; i++) {
            SVC_IN_LOOP("", DRIVER_ALARM, ALARM_CMD_SET_REL, 0, 0);
            SVC_IN_LOOP("", YIELD_WAIT_FOR, DRIVER_ALARM, ALARM_UPCALL, 0);
        }
        break;
    case OP_COMMAND_EXISTS:
        for (i = 0; i < reps; i++)
            SVC_IN_LOOP(SVC(command_exists, SYSCALL_COMMAND), DRIVER_ALARM, NO_CMD, 0, 0);
        break;
    case OP_NULL_COMMAND:
        for (i = 0; i < reps; i++)
            SVC_IN_LOOP(SVC(null_command, SYSCALL_COMMAND), DRIVER_ALARM, ALARM_CMD_FREQUENCY, 0,
                        0);
        break;
    case OP_SUBSCRIBE:
        for (i = 0; i < reps; i++)
            SVC_IN_LOOP(SVC(subscribe, SYSCALL_SUBSCRIBE), DRIVER_ALARM, ALARM_UPCALL, 0, 0);
        break;
    case OP_ALLOW_RW:
        for (i = 0; i < reps; i++)
            SVC_IN_LOOP(SVC(allow_rw, SYSCALL_ALLOW_RW), DRIVER_CONSOLE, CONSOLE_ALLOW_READ,
                        (uint32_t)allow_buf, ALLOW_BYTES);
        break;
    case OP_YIELD_NO_WAIT:
        for (i = 0; i < reps; i++)
            SVC_IN_LOOP(SVC(yield_no_wait, SYSCALL_YIELD), YIELD_NO_WAIT, (uint32_t)&yield_flag, 0,
                        0);
        break;
    case OP_UPCALL_WAIT_FOR:
        /* An alarm 0 ticks ahead fires inside the command: its upcall is
         * queued before the yield, so the process never sleeps. */
        for (i = 0; i < reps; i++) {
            SVC_IN_LOOP(SVC(upcall_wait_for_cmd, SYSCALL_COMMAND), DRIVER_ALARM, ALARM_CMD_SET_REL,
                        0, 0);
            SVC_IN_LOOP(SVC(upcall_wait_for_yield, SYSCALL_YIELD), YIELD_WAIT_FOR, DRIVER_ALARM,
                        ALARM_UPCALL, 0);
        }
        break;
    case OP_UPCALL_FN:
        /* The same, but yield-wait runs upcall_fn in the app. */
        for (i = 0; i < reps; i++) {
            SVC_IN_LOOP(SVC(upcall_fn_cmd, SYSCALL_COMMAND), DRIVER_ALARM, ALARM_CMD_SET_REL, 0, 0);
            SVC_IN_LOOP(SVC(upcall_fn_yield, SYSCALL_YIELD), YIELD_WAIT, 0, 0, 0);
        }
        break;
    }
}

/* Instructions for `reps` turns of op, in tenths (timing calls included). */
static uint64_t time_tenths(enum op op, uint32_t reps)
{
    uint32_t t0 = now_ticks();
    run_op(op, reps);
    return (uint64_t)(now_ticks() - t0) * INSTR_PER_TICK * TENTHS;
}

static void report(const char *name, enum op op, enum op baseline)
{
    uint64_t t = time_tenths(op, BENCH_REPS), b = time_tenths(baseline, BENCH_REPS);
    uint64_t per = t > b ? (t - b) / BENCH_REPS : 0;

    printf("BENCH %s=%lu.%lu\n", name, (unsigned long)(per / TENTHS),
           (unsigned long)(per % TENTHS));
}

int main(void)
{
    uint32_t hz = 0;

    if (set_instr_per_tick() != 0) {
        printf("BENCH %s FAIL alarm frequency\n", APP_NAME);
        return 1;
    }

    uint32_t g0 = grant_start(), g1, g2;

    /* Warm-up: the first subscribe and allow allocate this process's grants
     * (their size is a footprint figure); the bench measures the steady
     * state after it. */
    if (tock_alarm_frequency(&hz) != 0 ||
        tock_subscribe_status(DRIVER_ALARM, ALARM_UPCALL, NULL, NULL) != 0) {
        printf("BENCH bench_syscall FAIL alarm set-up\n");
        return 1;
    }
    g1 = grant_start();
    if (tock_allow_rw_status(DRIVER_CONSOLE, CONSOLE_ALLOW_READ, allow_buf, ALLOW_BYTES) != 0) {
        printf("BENCH bench_syscall FAIL console set-up\n");
        return 1;
    }
    g2 = grant_start();
    printf("BENCH grant_alarm_bytes=%lu\n", (unsigned long)(g0 - g1));
    printf("BENCH grant_console_bytes=%lu\n", (unsigned long)(g1 - g2));
    printf("BENCH reps=%lu\n", (unsigned long)BENCH_REPS);
    report("command_exists", OP_COMMAND_EXISTS, OP_BASELINE);
    report("null_command", OP_NULL_COMMAND, OP_BASELINE);
    report("subscribe", OP_SUBSCRIBE, OP_BASELINE);
    report("allow_rw", OP_ALLOW_RW, OP_BASELINE);
    report("yield_no_wait", OP_YIELD_NO_WAIT, OP_BASELINE);
    report("upcall_wait_for", OP_UPCALL_WAIT_FOR, OP_BASELINE_PAIR);
    if (tock_subscribe_status(DRIVER_ALARM, ALARM_UPCALL, upcall_fn, NULL)) {
        printf("BENCH upcall_fn FAIL subscribe\n");
        return 1;
    }
    upcalls_seen = 0;
    report("upcall_fn", OP_UPCALL_FN, OP_BASELINE_PAIR);
    if (upcalls_seen != BENCH_REPS) {
        printf("BENCH upcall_fn FAIL %lu upcalls\n", (unsigned long)upcalls_seen);
        return 1;
    }
    tock_subscribe_status(DRIVER_ALARM, ALARM_UPCALL, NULL, NULL);
    return 0;
}
