/*
 * Alarm capsule, driver 0x0 (Tock's alarm ABI), multiplexing one hardware
 * alarm among all processes.
 *
 *  command 1: frequency in Hz (Success with u32).
 *  command 2: current tick count (Success with u32).
 *  command 3: cancel the caller's alarm (ALREADY if none is armed).
 *  command 5 (dt): alarm at now + dt; returns that instant.
 *  command 6 (reference, dt): alarm at reference + dt; returns that instant.
 *  upcall 0 (now, instant): the alarm fired.
 * Each process's armed alarm lives in its grant; the hardware alarm is
 * always set for the soonest one. Board: alarm_init() then list &alarm.drv.
 */
#ifndef CAPSULES_ALARM_H
#define CAPSULES_ALARM_H

#include "hal/alarm.h"
#include "kernel/driver.h"

struct alarm_capsule {
    struct driver drv;
    struct alarm_hw *hw;
};

void alarm_init(struct alarm_capsule *a, struct alarm_hw *hw);

#endif /* CAPSULES_ALARM_H */
