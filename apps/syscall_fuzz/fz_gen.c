/* fz_gen: see fz_gen.h. */
#include "fz_gen.h"

#include <stddef.h>

#include "abi/tock_abi.h"
#include "fz_rng.h"
#include "userland/alarm.h"

/* Drivers to aim at: the board's (console and low-level debug are aimed at
 * with their printing commands filtered out), and numbers nobody serves. */
#define DRIVER_NONE_LOW   0x2u
#define DRIVER_NONE_NEAR  0x50003u
#define DRIVER_NONE_NEAR2 0x50005u
#define CONSOLE_CMD_WRITE 1u
#define CONSOLE_CMD_ABORT 3u
#define NUM_SMALL         6u /* subscribe/allow/command numbers tried most */
#define ALARM_DT_MAX      2000u
#define SBRK_SMALL_MAX    256u
#define MEMOP_OPS         12u /* MEMOP_BRK .. MEMOP_HEAP_START */
#define YIELD_ID_UNKNOWN  3u
#define EXIT_ID_UNKNOWN   2u
#define RESULT_UNTOUCHED  0xa5u
#define DRAIN_MAX         64u /* more than any upcall queue holds */
#define PERCENT           100u
#define FIXED_READS       8u /* fz_fixed_reads: storage reads into the scratch */

/* Where yield-no-wait's result byte goes when the fuzzer aims it at the
 * scratch: a byte of ours that no allow ever covers (fz_pick_buf turns any
 * buffer of ours outside the scratch into the scratch). Inside the scratch
 * a storage read still pending from an earlier allow may land on it during
 * the very yield, and the byte would then hold data, not 0/1: the kernel
 * keeping both promises, not a violation. */
static uint8_t yield_result;

static volatile uint32_t upcalls_ran;

static void on_upcall(uint32_t a0, uint32_t a1, uint32_t a2, void *userdata)
{
    (void)a0;
    (void)a1;
    (void)a2;
    (void)userdata;
    upcalls_ran++;
}

static volatile bool read_done;

static void on_read_done(uint32_t a0, uint32_t a1, uint32_t a2, void *userdata)
{
    (void)a0;
    (void)a1;
    (void)a2;
    (void)userdata;
    read_done = true;
}

static uint32_t real_fn(void)
{
    return (uint32_t)(uintptr_t)on_upcall;
}

static struct fz_regs regs4(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    struct fz_regs r = {{a, b, c, d}};
    return r;
}

static bool failed(const struct fz_regs *ret)
{
    return ret->r[0] < RET_SUCCESS;
}

/* One counted system call. */
static struct fz_regs issue(struct fz_state *st, unsigned cls, struct fz_regs args)
{
    struct fz_regs ret = args;

    fz_svc(cls, &ret);
    fz_stats_count(&st->stats, cls, &ret);
    fz_stats_digest(&st->stats, cls, &args, &ret);
    st->stats.upcalls = upcalls_ran;
    return ret;
}

static void check(struct fz_state *st, bool ok, unsigned cls, const struct fz_regs *args,
                  const struct fz_regs *ret, const char *why)
{
    if (!ok)
        fz_stats_violation(&st->stats, cls, args, ret, why);
}

static bool driver_exists(uint32_t d)
{
    return d == DRIVER_ALARM || d == DRIVER_CONSOLE || d == DRIVER_LLDEBUG || d == DRIVER_NVSTORAGE;
}

static uint32_t pick_driver(uint32_t *rng)
{
    static const uint32_t pool[] = {
        DRIVER_ALARM,     DRIVER_CONSOLE,  DRIVER_LLDEBUG,   DRIVER_NVSTORAGE,  DRIVER_NVSTORAGE,
        DRIVER_NVSTORAGE, DRIVER_NONE_LOW, DRIVER_NONE_NEAR, DRIVER_NONE_NEAR2, UINT32_MAX,
    };
    uint32_t n = sizeof(pool) / sizeof(pool[0]);
    uint32_t i = fz_below(rng, n + 1);

    return i < n ? pool[i] : fz_rand(rng);
}

/* Numbers 0 and 1 are the ones drivers serve, so they come up most. */
static uint32_t pick_num(uint32_t *rng)
{
    switch (fz_below(rng, 8)) {
    case 0:
    case 1:
    case 2:
        return 0;
    case 3:
    case 4:
        return 1;
    case 5:
    case 6:
        return fz_below(rng, NUM_SMALL);
    default:
        return fz_rand(rng);
    }
}

static uint32_t pick_arg(struct fz_state *st)
{
    switch (fz_below(&st->rng, 6)) {
    case 0:
        return 0;
    case 1:
        return fz_below(&st->rng, FZ_SCRATCH_SIZE * 2);
    case 2:
        return UINT32_MAX - fz_below(&st->rng, FZ_SCRATCH_SIZE);
    case 3:
        return fz_pick_addr(&st->rng, &st->lay);
    default:
        return fz_rand(&st->rng);
    }
}

/* Run (and drop) everything queued, so a wait below starts clean. */
static void drain(struct fz_state *st)
{
    for (unsigned i = 0; i < DRAIN_MAX; i++) {
        uint8_t ran = 0;
        struct fz_regs ret = issue(st, SYSCALL_YIELD, regs4(YIELD_NO_WAIT, (uint32_t)&ran, 0, 0));
        (void)ret;
        if (!ran)
            return;
    }
}

/* Set our one alarm a little ahead; true if the kernel took it. */
static bool alarm_soon(struct fz_state *st)
{
    struct fz_regs ret =
        issue(st, SYSCALL_COMMAND,
              regs4(DRIVER_ALARM, ALARM_CMD_SET_RELATIVE, 1 + fz_below(&st->rng, ALARM_DT_MAX), 0));
    return !failed(&ret);
}

/* Yield-no-wait with its result byte at addr (redirected to yield_result if
 * addr is in the scratch); checks the byte when it is ours. */
static void yield_no_wait_at(struct fz_state *st, uint32_t addr)
{
    bool ours = addr >= (uint32_t)(uintptr_t)fz_scratch &&
                addr < (uint32_t)(uintptr_t)fz_scratch + FZ_SCRATCH_SIZE;
    struct fz_regs args =
        regs4(YIELD_NO_WAIT, ours ? (uint32_t)(uintptr_t)&yield_result : addr, 0, 0);
    struct fz_regs ret;

    if (ours)
        yield_result = RESULT_UNTOUCHED;
    ret = issue(st, SYSCALL_YIELD, args);
    if (ours)
        check(st, yield_result <= 1, SYSCALL_YIELD, &args, &ret, "yield result byte not 0/1");
}

static void step_yield(struct fz_state *st)
{
    uint32_t *rng = &st->rng;

    switch (fz_below(rng, 8)) {
    case 0: /* yield-wait with an alarm surely due and a function for it */
        drain(st);
        issue(st, SYSCALL_SUBSCRIBE, regs4(DRIVER_ALARM, ALARM_UPCALL_FIRED, real_fn(), 0));
        if (alarm_soon(st))
            issue(st, SYSCALL_YIELD, regs4(YIELD_WAIT, fz_rand(rng), fz_rand(rng), 0));
        break;
    case 1: /* yield-wait-for the alarm: no function runs */
        drain(st);
        if (alarm_soon(st))
            issue(st, SYSCALL_YIELD, regs4(YIELD_WAIT_FOR, DRIVER_ALARM, ALARM_UPCALL_FIRED, 0));
        break;
    case 2: { /* yield-wait-for an event queued already (an alarm set 0
               * ahead fires in the command): the kernel's fast path. An
               * earlier alarm may have fired after the drain (its interrupt
               * served on the drain's last trap): then that older event
               * comes first, and this one next. */
        struct fz_regs args = regs4(YIELD_WAIT_FOR, DRIVER_ALARM, ALARM_UPCALL_FIRED, 0);
        struct fz_regs set, got;

        drain(st);
        set = issue(st, SYSCALL_COMMAND, regs4(DRIVER_ALARM, ALARM_CMD_SET_RELATIVE, 0, 0));
        if (failed(&set))
            break;
        got = issue(st, SYSCALL_YIELD, args);
        if (got.r[1] != set.r[1])
            got = issue(st, SYSCALL_YIELD, args); /* that was the older alarm's */
        check(st, got.r[1] == set.r[1], SYSCALL_YIELD, &args, &got,
              "yield-wait-for returned another event than the alarm's");
        break;
    }
    case 3: { /* unknown yield identifiers return at once */
        uint32_t id = YIELD_ID_UNKNOWN + fz_below(rng, UINT32_MAX - YIELD_ID_UNKNOWN);
        issue(st, SYSCALL_YIELD, regs4(id, fz_rand(rng), fz_rand(rng), fz_rand(rng)));
        break;
    }
    default: /* yield-no-wait, result byte aimed anywhere */
        yield_no_wait_at(st, fz_pick_addr(rng, &st->lay));
        break;
    }
}

static void step_subscribe(struct fz_state *st)
{
    uint32_t *rng = &st->rng;
    uint32_t fn = fz_pick_fn(rng, &st->lay, real_fn());
    struct fz_regs args = regs4(pick_driver(rng), pick_num(rng), fn, fz_rand(rng));
    struct fz_regs ret = issue(st, SYSCALL_SUBSCRIBE, args);

    if (failed(&ret))
        return;
    check(st, fz_fn_ok(&st->lay, fn), SYSCALL_SUBSCRIBE, &args, &ret,
          "upcall function outside the app's flash accepted");
    check(st, driver_exists(args.r[0]), SYSCALL_SUBSCRIBE, &args, &ret,
          "subscribe to a driver that does not exist accepted");
    /* A pointer that is no function must never be called: take it back. */
    if (fn != 0 && fn != real_fn())
        issue(st, SYSCALL_SUBSCRIBE, regs4(args.r[0], args.r[1], 0, 0));
}

static void step_command(struct fz_state *st)
{
    uint32_t *rng = &st->rng;
    struct fz_regs args = regs4(pick_driver(rng), pick_num(rng), pick_arg(st), pick_arg(st));
    struct fz_regs ret;

    if (args.r[0] == DRIVER_CONSOLE && args.r[1] == CONSOLE_CMD_WRITE)
        args.r[1] = CONSOLE_CMD_ABORT;
    if (args.r[0] == DRIVER_LLDEBUG)
        args.r[1] = 0;
    ret = issue(st, SYSCALL_COMMAND, args);
    if (!failed(&ret))
        check(st, driver_exists(args.r[0]), SYSCALL_COMMAND, &args, &ret,
              "command to a driver that does not exist succeeded");
}

static void step_allow(struct fz_state *st, unsigned cls)
{
    uint32_t *rng = &st->rng;
    struct fz_buf b = fz_pick_buf(rng, &st->lay);
    struct fz_regs args = regs4(pick_driver(rng), pick_num(rng), b.addr, b.len);
    struct fz_regs ret = issue(st, cls, args);
    bool ok;

    if (failed(&ret))
        return;
    ok = cls == SYSCALL_ALLOW_RO ? fz_ro_ok(&st->lay, b.addr, b.len)
                                 : fz_rw_ok(&st->lay, b.addr, b.len);
    check(st, ok, cls, &args, &ret, "buffer outside the app's memory accepted");
}

/* A break the kernel must refuse, or our own break (a no-op). */
static uint32_t pick_brk(struct fz_state *st)
{
    uint32_t a = fz_pick_addr(&st->rng, &st->lay);

    if (a >= st->lay.ram_start && a < st->lay.brk)
        a = st->lay.brk; /* never hide our own data */
    return a;
}

static uint32_t pick_sbrk(struct fz_state *st)
{
    const struct fz_layout *l = &st->lay;

    switch (fz_below(&st->rng, 6)) {
    case 0:
        return 0;
    case 1:
        return 1 + fz_below(&st->rng, SBRK_SMALL_MAX);
    case 2:
        return 0x7ffffff0u;
    case 3:
        return 0x80000000u;
    case 4:
        return 0u - (l->brk - l->ram_start) - fz_below(&st->rng, SBRK_SMALL_MAX);
    default:
        return l->ram_end - l->brk + fz_below(&st->rng, SBRK_SMALL_MAX); /* past the block */
    }
}

static void step_memop(struct fz_state *st)
{
    uint32_t op = fz_below(&st->rng, 8) ? fz_below(&st->rng, MEMOP_OPS) : fz_rand(&st->rng);
    uint32_t old = st->lay.brk;
    struct fz_regs args = regs4(op, fz_rand(&st->rng), 0, 0);
    struct fz_regs ret;
    uint32_t nb;

    if (op == MEMOP_BRK)
        args.r[1] = pick_brk(st);
    else if (op == MEMOP_SBRK)
        args.r[1] = pick_sbrk(st);
    ret = issue(st, SYSCALL_MEMOP, args);
    if (failed(&ret))
        return;
    switch (op) {
    case MEMOP_BRK:
    case MEMOP_SBRK:
        nb = op == MEMOP_BRK ? args.r[1] : old + args.r[1];
        check(st, nb >= st->lay.ram_start && nb <= st->lay.grant_start, SYSCALL_MEMOP, &args, &ret,
              "break moved outside the app's block");
        if (op == MEMOP_SBRK)
            check(st, ret.r[1] == old, SYSCALL_MEMOP, &args, &ret, "sbrk returned a wrong break");
        if (nb != old)
            issue(st, SYSCALL_MEMOP, regs4(MEMOP_BRK, old, 0, 0)); /* put it back */
        break;
    case MEMOP_RAM_START:
        check(st, ret.r[1] == st->lay.ram_start, SYSCALL_MEMOP, &args, &ret, "RAM start moved");
        break;
    case MEMOP_FLASH_START:
        check(st, ret.r[1] == st->lay.flash_start, SYSCALL_MEMOP, &args, &ret, "flash start moved");
        break;
    default:
        break;
    }
    if (op >= MEMOP_OPS)
        check(st, false, SYSCALL_MEMOP, &args, &ret, "unknown memop succeeded");
    fz_layout_read(&st->lay); /* grants may have grown meanwhile */
}

static void step_exit(struct fz_state *st)
{
    uint32_t id = EXIT_ID_UNKNOWN + fz_below(&st->rng, UINT32_MAX - EXIT_ID_UNKNOWN);
    struct fz_regs args = regs4(id, fz_rand(&st->rng), 0, 0);
    struct fz_regs ret = issue(st, SYSCALL_EXIT, args);

    check(st, failed(&ret), SYSCALL_EXIT, &args, &ret, "unknown exit identifier succeeded");
}

bool fz_init(struct fz_state *st, uint32_t seed)
{
    st->rng = seed != 0 ? seed : 1;
    return fz_layout_read(&st->lay);
}

void fz_fixed_reads(struct fz_state *st)
{
    for (uint32_t i = 0; i < FIXED_READS; i++) {
        struct fz_regs ret = issue(st, SYSCALL_ALLOW_RW,
                                   regs4(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ,
                                         (uint32_t)(uintptr_t)fz_scratch, FZ_SCRATCH_SIZE));
        if (failed(&ret))
            return; /* no storage on this board or boot */
        /* A function, not yield-wait-for: the read may end (and its
         * upcall be run) inside the yield-no-wait below. */
        issue(st, SYSCALL_SUBSCRIBE,
              regs4(DRIVER_NVSTORAGE, NVS_UPCALL_READ, (uint32_t)(uintptr_t)on_read_done, 0));
        read_done = false;
        ret = issue(st, SYSCALL_COMMAND, regs4(DRIVER_NVSTORAGE, NVS_CMD_READ, 0, 0));
        yield_no_wait_at(st, (uint32_t)(uintptr_t)fz_scratch + i);
        while (!failed(&ret) && !read_done)
            issue(st, SYSCALL_YIELD, regs4(YIELD_WAIT, 0, 0, 0));
        issue(st, SYSCALL_SUBSCRIBE, regs4(DRIVER_NVSTORAGE, NVS_UPCALL_READ, 0, 0));
        issue(st, SYSCALL_ALLOW_RW, regs4(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, 0, 0));
    }
}

void fz_step(struct fz_state *st)
{
    uint32_t pick = fz_below(&st->rng, PERCENT);

    if (pick < 8)
        step_yield(st);
    else if (pick < 22)
        step_subscribe(st);
    else if (pick < 52)
        step_command(st);
    else if (pick < 66)
        step_allow(st, SYSCALL_ALLOW_RW);
    else if (pick < 80)
        step_allow(st, SYSCALL_ALLOW_RO);
    else if (pick < 92)
        step_memop(st);
    else if (pick < 95)
        step_exit(st);
    else
        step_allow(st, SYSCALL_ALLOW_USERSPACE_READ);
}

void fz_settle(struct fz_state *st)
{
    static const uint32_t drivers[] = {DRIVER_ALARM, DRIVER_CONSOLE, DRIVER_LLDEBUG,
                                       DRIVER_NVSTORAGE};

    issue(st, SYSCALL_COMMAND, regs4(DRIVER_ALARM, ALARM_CMD_STOP, 0, 0));
    for (unsigned d = 0; d < sizeof(drivers) / sizeof(drivers[0]); d++)
        for (uint32_t n = 0; n < NUM_SMALL; n++)
            issue(st, SYSCALL_SUBSCRIBE, regs4(drivers[d], n, 0, 0));
    drain(st);
}
