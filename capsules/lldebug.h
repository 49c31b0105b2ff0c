/*
 * Low-level debug capsule, driver 0x8: lets an app print an alert code or
 * one or two numbers with a single command, no buffers or upcalls.
 *  command 1 (code): print a predefined alert code (1 = app panic,
 *                    2 = app installed at the wrong flash address).
 *  command 2 (a):    print a in hex.   command 3 (a, b): print a and b.
 * Output is one kernel-console line naming the app. Board: lldebug_init()
 * then list &lldebug.drv.
 */
#ifndef CAPSULES_LLDEBUG_H
#define CAPSULES_LLDEBUG_H

#include "kernel/driver.h"

struct lldebug {
    struct driver drv;
};

void lldebug_init(struct lldebug *l);

#endif /* CAPSULES_LLDEBUG_H */
