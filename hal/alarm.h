/*
 * alarm: the hardware interface for a free-running tick counter with one
 * compare alarm.
 *
 * now() counts up at `frequency` Hz and wraps at 2^32. set(reference, dt)
 * arms the alarm for the instant reference + dt, which has passed once
 * now - reference >= dt (wrapping arithmetic, so any dt below 2^32 is in
 * the future when set with a recent reference); an instant already passed
 * fires as soon as possible. A driver whose alarm register cannot hold the
 * whole distance fires earlier: clients decide expiry themselves and
 * re-arm. When it fires the driver's bottom half (kernel context, never
 * the top half: kernel/kernel.h, service_interrupts) disarms it and then
 * calls the client once.
 */
#ifndef HAL_ALARM_H
#define HAL_ALARM_H

#include <stdint.h>

struct alarm_hw;

typedef void (*alarm_fired_fn)(void *ctx);

struct alarm_ops {
    uint32_t (*now)(struct alarm_hw *a);
    void (*set)(struct alarm_hw *a, uint32_t reference, uint32_t dt);
    void (*disarm)(struct alarm_hw *a);
    void (*bottom_half)(struct alarm_hw *a);
};

struct alarm_hw {
    const struct alarm_ops *ops;
    uint32_t frequency;
    alarm_fired_fn fired;
    void *fired_ctx;
};

#endif /* HAL_ALARM_H */
