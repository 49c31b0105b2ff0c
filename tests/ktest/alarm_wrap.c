/*
 * ktest: the normal kernel with the board's apps, but the free-running tick
 * counter starts KTEST_WRAP_LEAD ticks before its 32-bit wrap, so alarms
 * across the wrap are reached in a fraction of a second instead of
 * 2^32 ticks (171 s at 25 MHz). Reports the hardware alarm interrupts at
 * the end (tests/qemu/test_alarm_long.py).
 */
#include "drivers/cmsdk_timer.h"
#include "tests/ktest/alarm_ktest.h"

/* 200,000 ticks = 8 ms at 25 MHz: time for the apps to start and arm. */
#define KTEST_WRAP_LEAD 200000u

void ktest_main(void);
void ktest_main(void)
{
    struct alarm_capsule *alarm = ktest_alarm(board_kernel_config());

    cmsdk_alarm_test_set_now(alarm->hw, 0u - KTEST_WRAP_LEAD);
    log_info("ktest alarm_wrap: counter set to %u", (unsigned)alarm->hw->ops->now(alarm->hw));
    ktest_run_apps_and_count();
}
