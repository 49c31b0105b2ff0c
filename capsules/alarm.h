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
 *
 * Expiry follows Tock: an alarm (reference, dt) is due once
 * now - reference >= dt in wrapping 32-bit arithmetic, so any dt up to
 * 2^32 - 1 means "that far ahead" and a reference in the past is fine (an
 * instant already passed fires at once). The capsule alone decides expiry;
 * the hardware is only asked to interrupt no later than the soonest
 * deadline and never more than ALARM_MAX_CHUNK ticks ahead, so that every
 * armed alarm is looked at (and re-based on "now") at least once per
 * half counter period and a deadline can never be lost to a wrap. A
 * hardware alarm that comes early costs one check, never an early upcall.
 *
 * Cost: the armed alarms are a bitmask over process slots plus one
 * (reference, dt) per slot, kept here rather than in grants. Set and stop
 * are O(1); a hardware interrupt looks at the armed alarms only, never at
 * processes that have none. Board: alarm_init() then list &alarm.drv.
 */
#ifndef CAPSULES_ALARM_H
#define CAPSULES_ALARM_H

#include <stdbool.h>
#include <stdint.h>

#include "hal/alarm.h"
#include "kernel/driver.h"

/* The farthest the hardware is ever programmed ahead: half the counter. */
#define ALARM_MAX_CHUNK 0x80000000u

struct alarm_entry {
    proc_id_t pid;      /* who armed it (a stale id: the upcall is dropped) */
    uint32_t reference; /* last re-base point; due at reference + dt */
    uint32_t dt;
};

struct alarm_capsule {
    struct driver drv;
    struct alarm_hw *hw;
    uint32_t armed; /* bit s: entry[s] is armed */
    struct alarm_entry entry[PROC_SLOTS];
    bool hw_armed;          /* the hardware alarm is programmed for hw_due */
    uint32_t hw_due;        /* absolute tick the hardware will interrupt at */
    uint32_t hw_interrupts; /* hardware alarm callbacks so far (for tests) */
};

void alarm_init(struct alarm_capsule *a, struct alarm_hw *hw);

#endif /* CAPSULES_ALARM_H */
