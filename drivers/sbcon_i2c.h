/*
 * sbcon_i2c: I2C master on ARM's SBCon two-wire interface, a bit-banged
 * controller (the CPU moves SCL and SDA itself), as found on MPS2 boards.
 *
 * Registers (one controller per 4 KiB block):
 *   base + 0x0  read: current line levels; write: set (release) lines
 *   base + 0x4  write: clear (pull low) lines
 *   bit 0 = SCL, bit 1 = SDA
 *
 * It implements the I2C master HAL (hal/i2c.h); users hold a struct
 * i2c_bus * and never see this file, so a hardware controller can replace
 * it. Every wait is bounded: a clock held low by a slave longer than
 * SBCON_STRETCH_POLLS reads is a bus error, and recovery clocks a stuck
 * slave at most SBCON_RECOVER_CLOCKS times. The master reads back every
 * level it releases (each 1 bit it sends, its NACK after a read): a line
 * held low by someone else is I2C_EBUS at once, never a byte the receiver
 * took differently from what was sent. A bus stuck low at START is I2C_EBUS
 * after one recovery attempt.
 *
 * Called in kernel thread context only. Never blocks longer than one byte
 * (plus bounded stretch waits); never allocates.
 */
#ifndef DRIVERS_SBCON_I2C_H
#define DRIVERS_SBCON_I2C_H

#include <stdbool.h>
#include <stdint.h>

#include "hal/i2c.h"

#define SBCON_REG_CONTROL     0x0u /* read: lines; write: set bits */
#define SBCON_REG_CONTROL_CLR 0x4u /* write: clear bits */
#define SBCON_SCL             (1u << 0)
#define SBCON_SDA             (1u << 1)

/* How many times to read SCL while a slave stretches the clock. */
#define SBCON_STRETCH_POLLS 1000u
/* A slave stuck mid-byte lets go of SDA within 9 clocks (8 bits + ACK). */
#define SBCON_RECOVER_CLOCKS 9u

struct sbcon_i2c {
    struct i2c_bus bus; /* first: the HAL view */
    uintptr_t base;
    /* Busy-wait per half clock period; 0 under QEMU (no timing), set by the
     * board for real 100 kHz parts. */
    uint32_t half_period_spins;
    bool active; /* inside a transaction (between start and stop) */
};

/* Set up the controller and leave both lines released (bus idle). */
void sbcon_i2c_init(struct sbcon_i2c *sb, uintptr_t base, uint32_t half_period_spins);

#ifdef HOST_TEST
/* Host tests replace the memory-mapped registers with a software model. */
uint32_t sbcon_io_read(uintptr_t addr);
void sbcon_io_write(uintptr_t addr, uint32_t value);
#endif

#endif /* DRIVERS_SBCON_I2C_H */
