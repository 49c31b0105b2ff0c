/*
 * Host tests of the alarm capsule (capsules/alarm.c) against a simulated
 * 32-bit tick counter whose time is kept in 64 bits, so the tests can tell
 * "2^32 - 1 ticks later" from "right away" and check every upcall against
 * the true elapsed time. The simulated hardware alarm checks the capsule's
 * contract (never asked for more than ALARM_MAX_CHUNK ahead) and can fire
 * early or late by a set number of ticks.
 */
/* clang-format off */
/* HOST_TEST_SRCS: capsules/alarm.c kernel/deferred.c kernel/fmt.c kernel/log.c tests/host/support/log_text.c tests/host/support/fake_kernel.c */
/* clang-format on */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "capsules/alarm.h"
#include "tests/host/support/fake_kernel.h"

#define CMD_STOP    3
#define CMD_SET_REL 5
#define CMD_SET_ABS 6
#define TURN        (1ull << 32)
#define MAX_IRQS    100 /* a runaway re-arm loop ends the simulation */
#define EARLY_DIV   8

/* The simulated hardware. */
static uint64_t sim_now; /* true time in ticks */
static bool hw_armed;
static uint64_t hw_due;    /* true time the alarm interrupts at */
static uint64_t hw_set_at; /* true time of the last set() */
static int64_t hw_skew;    /* fire this many ticks late (negative: early,
                              but by at most 1/EARLY_DIV of the delay) */
static unsigned hw_sets, hw_irqs;

static uint32_t sim_read(struct alarm_hw *hw)
{
    (void)hw;
    return (uint32_t)sim_now;
}

static void sim_set(struct alarm_hw *hw, uint32_t reference, uint32_t dt)
{
    uint32_t elapsed = sim_read(hw) - reference;

    assert_true(dt <= ALARM_MAX_CHUNK);
    hw_armed = true;
    hw_due = sim_now + (elapsed >= dt ? 1 : dt - elapsed);
    hw_set_at = sim_now;
    hw_sets++;
}

static void sim_disarm(struct alarm_hw *hw)
{
    (void)hw;
    hw_armed = false;
}

static void sim_bottom_half(struct alarm_hw *hw)
{
    (void)hw;
}

static const struct alarm_ops sim_ops = {sim_read, sim_set, sim_disarm, sim_bottom_half};
static struct alarm_hw hw = {&sim_ops, 25000000u, NULL, NULL};
static struct alarm_capsule alarm;

static int setup(void **state)
{
    (void)state;
    fk_reset();
    sim_now = 0;
    hw_armed = false;
    hw_skew = 0;
    hw_sets = hw_irqs = 0;
    alarm_init(&alarm, &hw);
    return 0;
}

static struct syscall_ret cmd(proc_id_t pid, uint32_t c, uint32_t a1, uint32_t a2)
{
    return command_ret_unpack(alarm.drv.command(&alarm.drv, pid, c, a1, a2));
}

/* Run the hardware until `until` (true time) or until nothing is armed. */
static void run_until(uint64_t until)
{
    while (hw_armed) {
        uint64_t early = hw_skew < 0 ? (uint64_t)-hw_skew : 0;
        uint64_t at = hw_skew < 0 ? hw_due : hw_due + (uint64_t)hw_skew;

        if (early > (hw_due - hw_set_at) / EARLY_DIV)
            early = (hw_due - hw_set_at) / EARLY_DIV;
        at -= early;
        if (at > until)
            break;
        sim_now = at;
        hw_armed = false;
        hw_irqs++;
        assert_true(hw_irqs < MAX_IRQS);
        hw.fired(hw.fired_ctx);
    }
    if (sim_now < until)
        sim_now = until;
}

/* The one upcall of pid: fired at or after `due` (true time), at most
 * `late` ticks after, reporting `instant`. */
static void expect_fired(proc_id_t pid, uint64_t due, uint64_t late, uint32_t instant)
{
    struct fk_upcall up;

    assert_true(fk_upcall_take(pid, &up));
    assert_int_equal(up.a1, instant);
    /* a0 is the 32-bit now at firing: an early upcall shows as a huge
     * lateness modulo 2^32. */
    assert_true((uint32_t)(up.a0 - (uint32_t)due) <= late);
    assert_false(fk_upcall_take(pid, &up));
}

static void test_longest_alarm_fires_once_after_a_full_turn(void **state)
{
    proc_id_t p = fk_spawn(0, NULL);
    uint32_t dt = UINT32_MAX;

    (void)state;
    sim_now = 12345;
    assert_int_equal(cmd(p, CMD_SET_REL, dt, 0).r1, (uint32_t)(12345 + dt));
    run_until(12345 + dt - 1);
    assert_int_equal(fk_upcall_count(), 0);
    run_until(12345 + 2 * TURN);
    assert_true(hw_irqs <= 2);
    /* run_until stops at the last event; check against the firing. */
    assert_int_equal(fk_upcall_count(), 1);
    assert_int_equal(fk_upcall_at(0)->a0, (uint32_t)(12345 + dt));
    assert_false(hw_armed);
}

static void test_late_interrupts_never_lose_a_near_full_turn_alarm(void **state)
{
    /* A full-turn alarm whose interrupt comes 100 ticks late: modulo 2^32
     * it would look 99 ticks after its reference, not due, if the capsule
     * had not re-based it on the way. */
    proc_id_t p = fk_spawn(0, NULL);
    uint64_t start = TURN - 500;

    (void)state;
    sim_now = start;
    hw_skew = 100;
    cmd(p, CMD_SET_REL, UINT32_MAX, 0);
    run_until(start + UINT32_MAX + 1000);
    assert_int_equal(fk_upcall_count(), 1);
    assert_int_equal(fk_upcall_at(0)->a1, (uint32_t)(start + UINT32_MAX));
    assert_int_equal(fk_upcall_at(0)->a0, (uint32_t)(start + UINT32_MAX + 100));
}

static void test_early_interrupts_never_fire_early(void **state)
{
    proc_id_t p = fk_spawn(1, NULL);
    uint64_t start = TURN - 3000;
    uint32_t dt = 0x80000000u + 1000u;

    (void)state;
    sim_now = start;
    hw_skew = -70; /* as QEMU's timer does under -icount sleep=off */
    cmd(p, CMD_SET_REL, dt, 0);
    run_until(start + TURN);
    expect_fired(p, start + dt, 0, (uint32_t)(start + dt));
    assert_true(hw_irqs <= 8);
}

static void test_several_alarms_across_the_wrap(void **state)
{
    proc_id_t p[FK_MAX_PROCS];
    uint64_t start = TURN - 10000;
    /* Due before, at, after the wrap, and one with a reference in the past. */
    uint64_t due[FK_MAX_PROCS] = {TURN - 4000, TURN, TURN + 5000, TURN + 200};
    unsigned i;

    (void)state;
    sim_now = start;
    hw_skew = 3;
    for (i = 0; i < FK_MAX_PROCS; i++)
        p[i] = fk_spawn(i, NULL);
    cmd(p[0], CMD_SET_REL, (uint32_t)(due[0] - start), 0);
    cmd(p[1], CMD_SET_ABS, (uint32_t)start, (uint32_t)(due[1] - start));
    cmd(p[2], CMD_SET_REL, (uint32_t)(due[2] - start), 0);
    cmd(p[3], CMD_SET_ABS, (uint32_t)(start - 50000), (uint32_t)(due[3] - (start - 50000)));
    run_until(TURN + 100000);
    for (i = 0; i < FK_MAX_PROCS; i++) {
        struct fk_upcall up;
        uint64_t fired;

        assert_true(fk_upcall_take(p[i], &up));
        assert_int_equal(up.a1, (uint32_t)due[i]);
        /* Place the 32-bit fire time near its due time on the true line. */
        fired = due[i] + (uint32_t)(up.a0 - (uint32_t)due[i]);
        assert_true(fired >= due[i] && fired - due[i] <= 3);
        assert_false(fk_upcall_take(p[i], &up));
    }
}

static void test_due_already_fires_at_set(void **state)
{
    proc_id_t p = fk_spawn(0, NULL);
    struct fk_upcall up;

    (void)state;
    sim_now = 100;
    /* Reference 1000 ticks back (across the wrap), dt 500: passed. */
    cmd(p, CMD_SET_ABS, (uint32_t)(100 - 1000), 500);
    assert_true(fk_upcall_take(p, &up));
    assert_int_equal(up.a0, 100);
    assert_int_equal(up.a1, (uint32_t)(100 - 500));
    /* dt 0 is due at once too. */
    cmd(p, CMD_SET_REL, 0, 0);
    assert_true(fk_upcall_take(p, &up));
    assert_int_equal(up.a1, 100);
    assert_false(hw_armed);
}

static void test_stop_and_stale_processes(void **state)
{
    proc_id_t a = fk_spawn(0, NULL), b = fk_spawn(1, NULL);

    (void)state;
    assert_int_equal(cmd(a, CMD_STOP, 0, 0).r1, TOCK_EALREADY);
    cmd(a, CMD_SET_REL, 1000, 0);
    cmd(b, CMD_SET_REL, 2000, 0);
    assert_int_equal(cmd(a, CMD_STOP, 0, 0).variant, RET_SUCCESS);
    assert_int_equal(cmd(a, CMD_STOP, 0, 0).r1, TOCK_EALREADY);
    /* b dies with its alarm armed; a restarted b must not see its alarm. */
    proc_id_t b2 = fk_restart(b);
    assert_int_equal(cmd(b2, CMD_STOP, 0, 0).r1, TOCK_EALREADY);
    run_until(5000);
    assert_int_equal(fk_upcall_count(), 0);
    assert_false(hw_armed);
    /* Stopping the only armed alarm disarms the hardware at once. */
    cmd(a, CMD_SET_REL, 1000, 0);
    assert_true(hw_armed);
    cmd(a, CMD_STOP, 0, 0);
    assert_false(hw_armed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_longest_alarm_fires_once_after_a_full_turn, setup),
        cmocka_unit_test_setup(test_late_interrupts_never_lose_a_near_full_turn_alarm, setup),
        cmocka_unit_test_setup(test_early_interrupts_never_fire_early, setup),
        cmocka_unit_test_setup(test_several_alarms_across_the_wrap, setup),
        cmocka_unit_test_setup(test_due_already_fires_at_set, setup),
        cmocka_unit_test_setup(test_stop_and_stale_processes, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
