/*
 * i2c: the I2C master interface device drivers use (FRAM today, sensors
 * tomorrow). It works at the level of bus conditions and bytes, so a
 * bit-banged controller (SBCon) and a byte-oriented hardware controller can
 * both sit behind it.
 *
 * Contract
 *  - Callers: device drivers, in kernel thread context (a deferred call, the
 *    kernel loop, boot code). Never from a process; never from an interrupt
 *    handler (a transaction holds the bus across several calls).
 *  - Every call is bounded: a controller never waits on the bus without a
 *    limit. A device that does not answer gives I2C_ENACK, a bus that stays
 *    stuck gives I2C_EBUS; neither ever hangs the kernel.
 *  - One transaction at a time per bus: start, bytes, optional restart and
 *    more bytes, stop. After any error the caller still ends the
 *    transaction with stop() (it is safe on a bus in any state).
 *  - Calls never allocate and never call back into the caller.
 */
#ifndef HAL_I2C_H
#define HAL_I2C_H

#include <stdbool.h>
#include <stdint.h>

enum i2c_status {
    I2C_OK = 0,
    I2C_ENACK = -1,  /* the addressed device or the byte was not acknowledged */
    I2C_EBUS = -2,   /* a line is stuck (recovery did not free it) */
    I2C_ESTATE = -3, /* call out of order (e.g. restart with no transaction) */
};

/* Direction bit appended to the 7-bit address on the wire. */
#define I2C_DIR_WRITE   0u
#define I2C_DIR_READ    1u
#define I2C_ADDR7_LIMIT 0x80u /* 7-bit addresses are below this */

struct i2c_bus;

struct i2c_ops {
    /* START on an idle bus; if the bus is not idle, recover it first. */
    enum i2c_status (*start)(struct i2c_bus *bus);
    /* Repeated START inside a transaction (after start()). */
    enum i2c_status (*restart)(struct i2c_bus *bus);
    /* STOP: ends the transaction and leaves the bus idle. */
    enum i2c_status (*stop)(struct i2c_bus *bus);
    /* Send one byte; I2C_ENACK when the receiver does not acknowledge. */
    enum i2c_status (*write_byte)(struct i2c_bus *bus, uint8_t byte);
    /* Receive one byte; ack = true asks for more, false ends the read. */
    enum i2c_status (*read_byte)(struct i2c_bus *bus, uint8_t *byte, bool ack);
    /* Free a bus held by a confused slave (clocks, then STOP). */
    enum i2c_status (*recover)(struct i2c_bus *bus);
};

/* Controller drivers embed this as their first member. */
struct i2c_bus {
    const struct i2c_ops *ops;
};

static inline enum i2c_status i2c_start(struct i2c_bus *bus)
{
    return bus->ops->start(bus);
}

static inline enum i2c_status i2c_restart(struct i2c_bus *bus)
{
    return bus->ops->restart(bus);
}

static inline enum i2c_status i2c_stop(struct i2c_bus *bus)
{
    return bus->ops->stop(bus);
}

static inline enum i2c_status i2c_write_byte(struct i2c_bus *bus, uint8_t byte)
{
    return bus->ops->write_byte(bus, byte);
}

static inline enum i2c_status i2c_read_byte(struct i2c_bus *bus, uint8_t *byte, bool ack)
{
    return bus->ops->read_byte(bus, byte, ack);
}

static inline enum i2c_status i2c_recover(struct i2c_bus *bus)
{
    return bus->ops->recover(bus);
}

/* Send the address byte of a transfer: 7-bit address plus direction. */
static inline enum i2c_status i2c_address(struct i2c_bus *bus, uint8_t addr7, unsigned dir)
{
    return bus->ops->write_byte(bus, (uint8_t)((addr7 << 1) | (dir & I2C_DIR_READ)));
}

#endif /* HAL_I2C_H */
