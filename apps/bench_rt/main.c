/*
 * bench_rt: the alarm figures of the scale benchmarks (tools/bench_scale.py,
 * docs/performance.md), run beside bench_spin and N - 2 bench_idle.
 *
 *  1. sleeps a little, so that every other process has run and blocked;
 *  2. times TIMED_TRIPS alarm round trips (set 0 ticks ahead, then
 *     yield-wait-for its upcall) with the alarm's own counter and prints
 *     "BENCH alarm_roundtrip_timed=<instructions>";
 *  3. runs TRACED_TRIPS more through the labelled `svc`s bench_svc_rt_cmd
 *     and bench_svc_rt_yield, which the instruction trace measures;
 *  4. sleeps SLEEPS times SLEEP_TICKS ticks: each wake-up is a timer
 *     interrupt that preempts the spinner and switches back here;
 *  5. exits through the labelled bench_svc_rt_done (the trace stops there).
 */
#include <stdint.h>
#include <stdio.h>

#include "userland/alarm.h"
#include "userland/syscall.h"

#define SETTLE_TICKS  2000u
#define TIMED_TRIPS   2000u
#define TRACED_TRIPS  200u
#define SLEEPS        200u
#define SLEEP_TICKS   50u         /* 2,000-2,500 instructions: the spinner runs between */
#define NS_PER_SECOND 1000000000u /* -icount shift=0: 1 ns per instruction */
#define TENTHS        10u

/* One round trip: command (alarm, set relative, dt 0), whose upcall is
 * queued at once, then yield-wait-for (alarm, 0), which takes it. */
static void __attribute__((noinline)) round_trips(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        register uint32_t r0 __asm__("r0") = DRIVER_ALARM;
        register uint32_t r1 __asm__("r1") = ALARM_CMD_SET_RELATIVE;
        register uint32_t r2 __asm__("r2") = 0;
        register uint32_t r3 __asm__("r3") = 0;
        __asm__ volatile("bench_svc_rt_cmd: svc 2"
                         : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
                         :
                         : "memory", "r12", "lr", "cc");
        r0 = YIELD_WAIT_FOR;
        r1 = DRIVER_ALARM;
        r2 = ALARM_UPCALL_FIRED;
        __asm__ volatile("bench_svc_rt_yield: svc 0"
                         : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
                         :
                         : "memory", "r12", "lr", "cc");
    }
}

int main(void)
{
    uint32_t t0 = 0, t1 = 0, hz = 0;

    /* Instructions per tick: 40 at 25 MHz (mps2-an385), 50 at 20 MHz
     * (mps2-an505). */
    if (tock_alarm_frequency(&hz) != 0 || hz == 0)
        return 1;
    uint32_t instr_per_tick = NS_PER_SECOND / hz;
    tock_alarm_sleep_ticks(SETTLE_TICKS, NULL);
    tock_alarm_now(&t0);
    round_trips(TIMED_TRIPS);
    tock_alarm_now(&t1);
    uint32_t tenths = (uint32_t)((uint64_t)(t1 - t0) * instr_per_tick * TENTHS / TIMED_TRIPS);
    printf("BENCH alarm_roundtrip_timed=%lu.%lu\n", (unsigned long)(tenths / TENTHS),
           (unsigned long)(tenths % TENTHS));
    round_trips(TRACED_TRIPS);
    for (uint32_t i = 0; i < SLEEPS; i++)
        tock_alarm_sleep_ticks(SLEEP_TICKS, NULL);
    register uint32_t r0 __asm__("r0") = EXIT_TERMINATE;
    register uint32_t r1 __asm__("r1") = 0;
    __asm__ volatile("bench_svc_rt_done: svc 6" : : "r"(r0), "r"(r1) : "memory");
    return 0;
}
