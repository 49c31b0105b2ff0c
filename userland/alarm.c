/*
 * Alarm driver calls. Sleeping arms a relative alarm and waits for exactly
 * its upcall with yield-wait-for, so nothing needs subscribing.
 */
#include "userland/alarm.h"
#include "userland/syscall.h"

int tock_alarm_frequency(uint32_t *hz)
{
    return tock_command_u32(DRIVER_ALARM, ALARM_CMD_FREQUENCY, 0, 0, hz);
}

int tock_alarm_now(uint32_t *ticks)
{
    return tock_command_u32(DRIVER_ALARM, ALARM_CMD_NOW, 0, 0, ticks);
}

int tock_alarm_set_relative(uint32_t dt, uint32_t *expires)
{
    return tock_command_u32(DRIVER_ALARM, ALARM_CMD_SET_RELATIVE, dt, 0, expires);
}

int tock_alarm_stop(void)
{
    return tock_command_ok(DRIVER_ALARM, ALARM_CMD_STOP, 0, 0);
}

int tock_alarm_sleep_ticks(uint32_t dt, uint32_t *fired_at)
{
    int rc = tock_alarm_set_relative(dt, NULL);
    if (rc != TOCK_SUCCESS) {
        return rc;
    }
    tock_event_t ev = tock_yield_wait_for(DRIVER_ALARM, ALARM_UPCALL_FIRED);
    if (fired_at != NULL) {
        *fired_at = ev.arg0;
    }
    return TOCK_SUCCESS;
}

int tock_alarm_sleep_ms(uint32_t ms)
{
    uint32_t hz;
    int rc = tock_alarm_frequency(&hz);
    if (rc != TOCK_SUCCESS) {
        return rc;
    }
    uint64_t ticks = (uint64_t)ms * hz / ALARM_MS_PER_SECOND;
    return tock_alarm_sleep_ticks(ticks > UINT32_MAX ? UINT32_MAX : (uint32_t)ticks, NULL);
}
