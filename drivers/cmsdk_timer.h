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

struct cmsdk_alarm {
    struct alarm_hw hw; /* first: the HAL view */
    uintptr_t counter_base, alarm_base;
    unsigned alarm_irq;
};

void cmsdk_alarm_init(struct cmsdk_alarm *a, uintptr_t counter_base, uintptr_t alarm_base,
                      unsigned alarm_irq, uint32_t pclk_hz);

#endif /* DRIVERS_CMSDK_TIMER_H */
