/*
 * tock_alarm: the alarm capsule (driver 0x0): tick frequency, current tick
 * count, one-shot alarms and a blocking sleep.
 *
 * Used by apps and libraries from main-line code (not from upcalls: sleeping
 * nests a yield). Ticks are the capsule's 32-bit wrapping counter.
 * tock_alarm_sleep_* leave other upcalls queued and use the process's one
 * alarm, so they cancel an alarm the caller had set.
 */
#ifndef USERLAND_ALARM_H
#define USERLAND_ALARM_H

#include <stdint.h>

#define ALARM_CMD_FREQUENCY    1
#define ALARM_CMD_NOW          2
#define ALARM_CMD_STOP         3
#define ALARM_CMD_SET_RELATIVE 5
#define ALARM_CMD_SET_ABSOLUTE 6
#define ALARM_UPCALL_FIRED     0

#define ALARM_MS_PER_SECOND 1000

/* Each returns TOCK_SUCCESS or a TOCK_E* code. */
int tock_alarm_frequency(uint32_t *hz);
int tock_alarm_now(uint32_t *ticks);
/* Fires dt ticks from now; *expires (may be NULL) gets the absolute tick. */
int tock_alarm_set_relative(uint32_t dt, uint32_t *expires);
int tock_alarm_stop(void);
/* Sleeps dt ticks; *fired_at (may be NULL) gets the tick the upcall reported. */
int tock_alarm_sleep_ticks(uint32_t dt, uint32_t *fired_at);
int tock_alarm_sleep_ms(uint32_t ms);

#endif /* USERLAND_ALARM_H */
