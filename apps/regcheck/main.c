/*
 * regcheck: the return-register rule, seen from raw `svc` instructions.
 *
 * docs/abi.md (after Tock's TRD104) promises that the kernel writes r0 and
 * only those of r1-r3 that the return variant uses, and that r4-r11 survive
 * every system call. Our C wrappers read r0-r3 back as outputs, so they
 * cannot see a kernel that writes more; libtock-c can (it keeps a live
 * pointer in r3 across some calls). Here a small assembly stub per class
 * loads r0-r3 with the call's arguments and r4-r11 with known patterns,
 * executes `svc <class>`, and stores r0-r11 as they came back; the C side
 * checks, for every variant the kernel returns and every class, that the
 * registers the variant does not use hold exactly what went in.
 *
 * Prints one line per wrong register and "regcheck: N passed, M failed";
 * exits with M. tests/qemu/test_regcheck.py boots it.
 */
#include <stdint.h>
#include <stdio.h>

#include "userland/alarm.h"
#include "userland/console.h"
#include "userland/syscall.h"

#define IO_REGS   12u /* r0-r11 after the call */
#define ARG_REGS  4u  /* r0-r3 before it */
#define HIGH_REGS 8u  /* r4-r11 */

/* What the stubs put in r4-r11 (the same numbers as in the assembly). */
static const uint32_t high_pattern[HIGH_REGS] = {
    0x4a4a4a04u, 0x5b5b5b05u, 0x6c6c6c06u, 0x7d7d7d07u,
    0x8e8e8e08u, 0x9f9f9f09u, 0xa0a0a00au, 0xb1b1b10bu,
};

/* rc_svc_N(io): r0-r3 = io[0..3], r4-r11 = high_pattern, `svc N`, then
 * io[0..11] = r0-r11. r12 (scratch) carries io back; r9, the PIC base, is
 * restored with the other callee-saved registers before C runs again. */
#define RC_STUB(cls)                                                                               \
    __asm__(".text\n"                                                                              \
            ".balign 2\n"                                                                          \
            ".global rc_svc_" #cls "\n"                                                            \
            ".type rc_svc_" #cls ", %function\n"                                                   \
            ".thumb_func\n"                                                                        \
            "rc_svc_" #cls ":\n"                                                                   \
            "    push {r4-r11, lr}\n"                                                              \
            "    push {r0}\n"                                                                      \
            "    ldr r4, =0x4a4a4a04\n"                                                            \
            "    ldr r5, =0x5b5b5b05\n"                                                            \
            "    ldr r6, =0x6c6c6c06\n"                                                            \
            "    ldr r7, =0x7d7d7d07\n"                                                            \
            "    ldr r8, =0x8e8e8e08\n"                                                            \
            "    ldr r9, =0x9f9f9f09\n"                                                            \
            "    ldr r10, =0xa0a0a00a\n"                                                           \
            "    ldr r11, =0xb1b1b10b\n"                                                           \
            "    ldm r0, {r0-r3}\n"                                                                \
            "    svc " #cls "\n"                                                                   \
            "    ldr r12, [sp]\n"                                                                  \
            "    stm r12, {r0-r11}\n"                                                              \
            "    pop {r0}\n"                                                                       \
            "    pop {r4-r11, pc}\n"                                                               \
            ".ltorg\n");                                                                           \
    void rc_svc_##cls(uint32_t io[IO_REGS])

RC_STUB(0);
RC_STUB(1);
RC_STUB(2);
RC_STUB(3);
RC_STUB(4);
RC_STUB(5);
RC_STUB(6);
RC_STUB(7);

/* Values in r1-r3 that no return carries by accident. */
#define KEEP1 0x11c0ffeeu
#define KEEP2 0x22c0ffeeu
#define KEEP3 0x33c0ffeeu

#define UNKNOWN_DRIVER 0xdead0u
#define UNKNOWN_MEMOP  99u
#define UNKNOWN_EXIT   7u
#define UNKNOWN_YIELD  9u
#define BAD_ADDR       0x20000000u /* kernel RAM */
#define ANY            0xffffffffu /* r0 not checked (yield) */

static uint8_t buf[16];
static unsigned passed, failed;

struct rc_case {
    const char *what;
    void (*svc)(uint32_t io[IO_REGS]);
    uint32_t in[ARG_REGS];
    uint32_t variant; /* expected r0, or ANY */
    unsigned used;    /* r1..r<used> are the variant's; the rest must stay */
};

static void run(const struct rc_case *c)
{
    uint32_t io[IO_REGS] = {c->in[0], c->in[1], c->in[2], c->in[3]};
    unsigned bad = 0;

    c->svc(io);
    if (c->variant != ANY && io[0] != c->variant) {
        printf("regcheck: %s: r0 = %lu, want variant %lu\n", c->what, (unsigned long)io[0],
               (unsigned long)c->variant);
        bad++;
    }
    for (unsigned r = c->used + 1; r < ARG_REGS; r++) {
        if (io[r] != c->in[r]) {
            printf("regcheck: %s: r%u = %08lx, caller had %08lx\n", c->what, r,
                   (unsigned long)io[r], (unsigned long)c->in[r]);
            bad++;
        }
    }
    for (unsigned r = ARG_REGS; r < IO_REGS; r++) {
        if (io[r] != high_pattern[r - ARG_REGS]) {
            printf("regcheck: %s: r%u = %08lx, caller had %08lx\n", c->what, r,
                   (unsigned long)io[r], (unsigned long)high_pattern[r - ARG_REGS]);
            bad++;
        }
    }
    if (bad)
        failed++;
    else
        passed++;
}

int main(void)
{
    uint32_t b = (uint32_t)buf;
    const struct rc_case cases[] = {
        /* yield: no-wait with nothing pending and unknown variants change
         * nothing; wait-for writes r0-r2 only (below, with an event). */
        {"yield no-wait", rc_svc_0, {YIELD_NO_WAIT, 0, KEEP2, KEEP3}, ANY, 0},
        {"yield unknown", rc_svc_0, {UNKNOWN_YIELD, KEEP1, KEEP2, KEEP3}, UNKNOWN_YIELD, 0},
        /* subscribe: Success/Failure with 2 u32 */
        {"subscribe success", rc_svc_1, {DRIVER_ALARM, 0, 0, KEEP3}, RET_SUCCESS_2U32, 2},
        {"subscribe failure", rc_svc_1, {UNKNOWN_DRIVER, 0, 0, KEEP3}, RET_FAILURE_2U32, 3},
        /* command: Success, Success with u32, Failure */
        {"command success", rc_svc_2, {DRIVER_ALARM, 0, KEEP2, KEEP3}, RET_SUCCESS, 0},
        {"command success u32",
         rc_svc_2,
         {DRIVER_ALARM, ALARM_CMD_FREQUENCY, KEEP2, KEEP3},
         RET_SUCCESS_U32,
         1},
        {"command failure", rc_svc_2, {UNKNOWN_DRIVER, 1, KEEP2, KEEP3}, RET_FAILURE, 1},
        {"command failure (capsule)",
         rc_svc_2,
         {DRIVER_ALARM, ALARM_CMD_STOP, KEEP2, KEEP3},
         RET_FAILURE,
         1},
        /* allow read-write, read-only, userspace-readable */
        {"allow rw success",
         rc_svc_3,
         {DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, b, sizeof(buf)},
         RET_SUCCESS_2U32,
         2},
        {"allow rw unallow",
         rc_svc_3,
         {DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, 0, 0},
         RET_SUCCESS_2U32,
         2},
        {"allow rw failure",
         rc_svc_3,
         {DRIVER_CONSOLE, CONSOLE_ALLOW_RW_READ, BAD_ADDR, 4},
         RET_FAILURE_2U32,
         3},
        {"allow ro success",
         rc_svc_4,
         {DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, b, sizeof(buf)},
         RET_SUCCESS_2U32,
         2},
        {"allow ro unallow",
         rc_svc_4,
         {DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, 0, 0},
         RET_SUCCESS_2U32,
         2},
        {"allow ro failure",
         rc_svc_4,
         {DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, BAD_ADDR, 4},
         RET_FAILURE_2U32,
         3},
        {"allow userspace-readable failure",
         rc_svc_7,
         {DRIVER_CONSOLE, 0, b, sizeof(buf)},
         RET_FAILURE_2U32,
         3},
        /* memop: Success, Success with u32, Failure */
        {"memop success", rc_svc_5, {MEMOP_HEAP_START, 0, KEEP2, KEEP3}, RET_SUCCESS, 0},
        {"memop success u32", rc_svc_5, {MEMOP_RAM_START, 0, KEEP2, KEEP3}, RET_SUCCESS_U32, 1},
        {"memop failure", rc_svc_5, {UNKNOWN_MEMOP, 0, KEEP2, KEEP3}, RET_FAILURE, 1},
        /* exit: an unknown identifier returns Failure */
        {"exit failure", rc_svc_6, {UNKNOWN_EXIT, 0, KEEP2, KEEP3}, RET_FAILURE, 1},
    };

    printf("regcheck: start\n");
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run(&cases[i]);

    /* yield wait-for with an event queued (an alarm due at once): r0-r2 are
     * the event, r3 and r4-r11 the caller's. */
    tock_command(DRIVER_ALARM, ALARM_CMD_SET_RELATIVE, 0, 0);
    const struct rc_case wait_for = {"yield wait-for",
                                     rc_svc_0,
                                     {YIELD_WAIT_FOR, DRIVER_ALARM, ALARM_UPCALL_FIRED, KEEP3},
                                     ANY,
                                     2};
    run(&wait_for);

    printf("regcheck: %u passed, %u failed\n", passed, failed);
    return (int)failed;
}
