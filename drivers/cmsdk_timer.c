/* CMSDK APB timers as an alarm: see cmsdk_timer.h. */
#include "drivers/cmsdk_timer.h"

#include <stddef.h>

#include "kernel/arch/cortex-m/arch.h"

/* Register offsets and bits (ARM CMSDK technical reference). */
#define TIMER_CTRL      0x00
#define TIMER_VALUE     0x04 /* counts down to 0, then reloads */
#define TIMER_RELOAD    0x08
#define TIMER_INTSTATUS 0x0c /* write 1 to clear */
#define CTRL_ENABLE     (1u << 0)
#define CTRL_IRQ_ENABLE (1u << 3)
#define INT_FIRED       (1u << 0)
#define COUNTER_TOP     0xffffffffu

static inline volatile uint32_t *reg(uintptr_t base, uint32_t off)
{
    return (volatile uint32_t *)(base + off);
}

static uint32_t alarm_now(struct alarm_hw *hw)
{
    struct cmsdk_alarm *a = (struct cmsdk_alarm *)hw;

    return COUNTER_TOP - *reg(a->counter_base, TIMER_VALUE);
}

static void alarm_set(struct alarm_hw *hw, uint32_t reference, uint32_t dt)
{
    struct cmsdk_alarm *a = (struct cmsdk_alarm *)hw;
    uint32_t elapsed = alarm_now(hw) - reference;
    uint32_t remaining;

    /* Wrap-safe: the instant has passed once elapsed reaches dt, whatever
     * the size of dt. Passed already (or due now): fire on the next tick.
     * Otherwise count down what is left, at most what the register holds
     * (the client re-arms for the rest). */
    if (elapsed >= dt)
        remaining = 1;
    else if (dt - elapsed > CMSDK_ALARM_MAX_TICKS)
        remaining = CMSDK_ALARM_MAX_TICKS;
    else
        remaining = dt - elapsed;
    *reg(a->alarm_base, TIMER_CTRL) = 0;
    *reg(a->alarm_base, TIMER_INTSTATUS) = INT_FIRED;
    *reg(a->alarm_base, TIMER_RELOAD) = COUNTER_TOP;
    *reg(a->alarm_base, TIMER_VALUE) = remaining;
    *reg(a->alarm_base, TIMER_CTRL) = CTRL_ENABLE | CTRL_IRQ_ENABLE;
}

static inline __attribute__((always_inline)) void alarm_disarm(struct alarm_hw *hw)
{
    struct cmsdk_alarm *a = (struct cmsdk_alarm *)hw;

    *reg(a->alarm_base, TIMER_CTRL) = 0;
    *reg(a->alarm_base, TIMER_INTSTATUS) = INT_FIRED;
}

static void alarm_bottom_half(struct alarm_hw *hw)
{
    struct cmsdk_alarm *a = (struct cmsdk_alarm *)hw;

    alarm_disarm(hw); /* quiet until alarm_set() */
    arch_irq_enable_quiet(a->alarm_irq);
    if (hw->fired != NULL)
        hw->fired(hw->fired_ctx);
}

static const struct alarm_ops cmsdk_alarm_ops = {
    .now = alarm_now,
    .set = alarm_set,
    .disarm = alarm_disarm,
    .bottom_half = alarm_bottom_half,
};

void cmsdk_alarm_test_set_now(struct alarm_hw *hw, uint32_t now)
{
    struct cmsdk_alarm *a = (struct cmsdk_alarm *)hw;

    *reg(a->counter_base, TIMER_VALUE) = COUNTER_TOP - now;
}

void cmsdk_alarm_init(struct cmsdk_alarm *a, uintptr_t counter_base, uintptr_t alarm_base,
                      unsigned alarm_irq, uint32_t pclk_hz)
{
    a->hw.ops = &cmsdk_alarm_ops;
    a->hw.frequency = pclk_hz;
    a->hw.fired = NULL;
    a->counter_base = counter_base;
    a->alarm_base = alarm_base;
    a->alarm_irq = alarm_irq;
    *reg(counter_base, TIMER_RELOAD) = COUNTER_TOP;
    *reg(counter_base, TIMER_VALUE) = COUNTER_TOP;
    *reg(counter_base, TIMER_CTRL) = CTRL_ENABLE;
    alarm_disarm(&a->hw);
    arch_irq_enable(alarm_irq);
}
