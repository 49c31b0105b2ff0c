/*
 * tock_lldebug: the low-level debug capsule (driver 0x8): the kernel prints
 * an alert code or one or two numbers for the app, with nothing but a
 * command. For start-up code and fault hunting, when printf is not an option
 * (no heap, broken console). Never blocks; the kernel may drop messages.
 */
#ifndef USERLAND_LLDEBUG_H
#define USERLAND_LLDEBUG_H

#include <stdint.h>

#define LLDEBUG_CMD_ALERT            1
#define LLDEBUG_CMD_PRINT1           2
#define LLDEBUG_CMD_PRINT2           3
#define LLDEBUG_ALERT_PANIC          0x01 /* Tock's predefined "application panic" */
#define LLDEBUG_ALERT_WRONG_LOCATION 0x02

/* Each returns TOCK_SUCCESS or a TOCK_E* code. */
int tock_lldebug_alert(uint32_t code);
int tock_lldebug_print(uint32_t value);
int tock_lldebug_print2(uint32_t a, uint32_t b);

#endif /* USERLAND_LLDEBUG_H */
