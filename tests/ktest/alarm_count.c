/*
 * ktest: the normal kernel with the board's apps, reporting at the end how
 * many hardware alarm interrupts the alarm capsule took
 * (tests/qemu/test_alarm_long.py: a distant alarm costs a handful).
 */
#include "tests/ktest/alarm_ktest.h"

void ktest_main(void);
void ktest_main(void)
{
    ktest_run_apps_and_count();
}
