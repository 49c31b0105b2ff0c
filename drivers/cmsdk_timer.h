/*
 * Alarm on two ARM CMSDK APB timers: one runs free as the tick counter,
 * the other counts down to the next alarm (hal/alarm.h). Both are clocked
 * by the peripheral clock. The board calls cmsdk_alarm_init() once and
 * routes the alarm timer's interrupt to the bottom half.
 */
#ifndef DRIVERS_CMSDK_TIMER_H
#define DRIVERS_CMSDK_TIMER_H

#include <stdint.h>

#include "hal/alarm.h"

/* The alarm timer's VALUE register is 32 bits wide: the farthest ahead one
 * set() can program. Farther instants are reached in steps by the client. */
#define CMSDK_ALARM_MAX_TICKS 0xffffffffu

struct cmsdk_alarm {
    struct alarm_hw hw; /* first: the HAL view */
    uintptr_t counter_base, alarm_base;
    unsigned alarm_irq;
};

void cmsdk_alarm_init(struct cmsdk_alarm *a, uintptr_t counter_base, uintptr_t alarm_base,
                      unsigned alarm_irq, uint32_t pclk_hz);

/* Test-only (tests/ktest/): make the free-running counter read `now`
 * from this instant on, e.g. just before its 32-bit wrap. */
void cmsdk_alarm_test_set_now(struct alarm_hw *hw, uint32_t now);

#endif /* DRIVERS_CMSDK_TIMER_H */
