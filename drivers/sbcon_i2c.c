/* sbcon_i2c: see sbcon_i2c.h. */
#include "drivers/sbcon_i2c.h"

#include <stddef.h>

#ifndef HOST_TEST
static inline uint32_t sbcon_io_read(uintptr_t addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void sbcon_io_write(uintptr_t addr, uint32_t value)
{
    *(volatile uint32_t *)addr = value;
}
#endif

static struct sbcon_i2c *to_sbcon(struct i2c_bus *bus)
{
    return (struct sbcon_i2c *)bus;
}

static void sbcon_delay(const struct sbcon_i2c *sb)
{
    volatile uint32_t n;

    for (n = 0; n < sb->half_period_spins; n++)
        ;
}

/* Open-drain lines: "release" lets the pull-up (or a slave) set the level. */
static void sbcon_release(const struct sbcon_i2c *sb, uint32_t lines)
{
    sbcon_io_write(sb->base + SBCON_REG_CONTROL, lines);
}

static void sbcon_pull_low(const struct sbcon_i2c *sb, uint32_t lines)
{
    sbcon_io_write(sb->base + SBCON_REG_CONTROL_CLR, lines);
}

static bool sbcon_sda(const struct sbcon_i2c *sb)
{
    return (sbcon_io_read(sb->base + SBCON_REG_CONTROL) & SBCON_SDA) != 0;
}

/* Release SCL and wait (bounded) while a slave stretches the clock. */
static bool sbcon_scl_high(const struct sbcon_i2c *sb)
{
    uint32_t polls;

    sbcon_release(sb, SBCON_SCL);
    for (polls = 0; polls < SBCON_STRETCH_POLLS; polls++) {
        if (sbcon_io_read(sb->base + SBCON_REG_CONTROL) & SBCON_SCL) {
            sbcon_delay(sb);
            return true;
        }
    }
    return false;
}

static void sbcon_scl_low(const struct sbcon_i2c *sb)
{
    sbcon_pull_low(sb, SBCON_SCL);
    sbcon_delay(sb);
}

/* From SCL low: SDA low, clock high, SDA high. Leaves the bus idle. */
static void sbcon_stop_condition(const struct sbcon_i2c *sb)
{
    sbcon_pull_low(sb, SBCON_SCL);
    sbcon_pull_low(sb, SBCON_SDA);
    sbcon_delay(sb);
    (void)sbcon_scl_high(sb);
    sbcon_release(sb, SBCON_SDA);
    sbcon_delay(sb);
}

static bool sbcon_idle(const struct sbcon_i2c *sb)
{
    uint32_t both = SBCON_SCL | SBCON_SDA;

    return (sbcon_io_read(sb->base + SBCON_REG_CONTROL) & both) == both;
}

static enum i2c_status sbcon_recover(struct i2c_bus *bus)
{
    struct sbcon_i2c *sb = to_sbcon(bus);
    uint32_t clocks;

    /* A slave that was sending when the master lost track holds SDA low
     * for a 0 bit; clocking it on lets it finish its byte and let go. */
    sbcon_release(sb, SBCON_SDA);
    (void)sbcon_scl_high(sb);
    for (clocks = 0; clocks < SBCON_RECOVER_CLOCKS && !sbcon_sda(sb); clocks++) {
        sbcon_scl_low(sb);
        if (!sbcon_scl_high(sb))
            break;
    }
    sbcon_stop_condition(sb);
    sb->active = false;
    return sbcon_idle(sb) ? I2C_OK : I2C_EBUS;
}

static enum i2c_status sbcon_start(struct i2c_bus *bus)
{
    struct sbcon_i2c *sb = to_sbcon(bus);

    if (sb->active)
        return I2C_ESTATE;
    sbcon_release(sb, SBCON_SCL | SBCON_SDA);
    sbcon_delay(sb);
    if (!sbcon_idle(sb) && sbcon_recover(bus) != I2C_OK)
        return I2C_EBUS;
    /* START: SDA falls while SCL is high. */
    sbcon_pull_low(sb, SBCON_SDA);
    sbcon_delay(sb);
    sbcon_scl_low(sb);
    sb->active = true;
    return I2C_OK;
}

static enum i2c_status sbcon_restart(struct i2c_bus *bus)
{
    struct sbcon_i2c *sb = to_sbcon(bus);

    if (!sb->active)
        return I2C_ESTATE;
    sbcon_release(sb, SBCON_SDA);
    sbcon_delay(sb);
    if (!sbcon_scl_high(sb) || !sbcon_sda(sb))
        return I2C_EBUS;
    sbcon_pull_low(sb, SBCON_SDA);
    sbcon_delay(sb);
    sbcon_scl_low(sb);
    return I2C_OK;
}

static enum i2c_status sbcon_stop(struct i2c_bus *bus)
{
    struct sbcon_i2c *sb = to_sbcon(bus);

    sbcon_stop_condition(sb);
    sb->active = false;
    if (sbcon_idle(sb))
        return I2C_OK;
    return sbcon_recover(bus);
}

static enum i2c_status sbcon_write_byte(struct i2c_bus *bus, uint8_t byte)
{
    struct sbcon_i2c *sb = to_sbcon(bus);
    unsigned bit;
    bool nack;

    if (!sb->active)
        return I2C_ESTATE;
    for (bit = 0; bit < 8; bit++) {
        bool one = (byte & (0x80u >> bit)) != 0;

        /* Data changes only while SCL is low; most significant bit first. */
        if (one)
            sbcon_release(sb, SBCON_SDA);
        else
            sbcon_pull_low(sb, SBCON_SDA);
        sbcon_delay(sb);
        if (!sbcon_scl_high(sb))
            return I2C_EBUS;
        /* A 1 we released but read as 0: something else holds SDA low, and
         * the receiver took a different byte than the one we sent. */
        if (one && !sbcon_sda(sb))
            return I2C_EBUS;
        sbcon_scl_low(sb);
    }
    /* Ninth clock: the receiver pulls SDA low to acknowledge. */
    sbcon_release(sb, SBCON_SDA);
    sbcon_delay(sb);
    if (!sbcon_scl_high(sb))
        return I2C_EBUS;
    nack = sbcon_sda(sb);
    sbcon_scl_low(sb);
    return nack ? I2C_ENACK : I2C_OK;
}

static enum i2c_status sbcon_read_byte(struct i2c_bus *bus, uint8_t *byte, bool ack)
{
    struct sbcon_i2c *sb = to_sbcon(bus);
    unsigned bit;
    uint8_t value = 0;

    if (!sb->active || byte == NULL)
        return I2C_ESTATE;
    sbcon_release(sb, SBCON_SDA);
    for (bit = 0; bit < 8; bit++) {
        sbcon_delay(sb);
        if (!sbcon_scl_high(sb))
            return I2C_EBUS;
        value = (uint8_t)((value << 1) | (sbcon_sda(sb) ? 1u : 0u));
        sbcon_scl_low(sb);
    }
    /* ACK asks the slave for another byte; NACK tells it to let go. */
    if (ack)
        sbcon_pull_low(sb, SBCON_SDA);
    sbcon_delay(sb);
    if (!sbcon_scl_high(sb))
        return I2C_EBUS;
    /* Our NACK leaves SDA released: low means a slave will not let go. */
    if (!ack && !sbcon_sda(sb))
        return I2C_EBUS;
    sbcon_scl_low(sb);
    sbcon_release(sb, SBCON_SDA);
    *byte = value;
    return I2C_OK;
}

static const struct i2c_ops sbcon_ops = {
    .start = sbcon_start,
    .restart = sbcon_restart,
    .stop = sbcon_stop,
    .write_byte = sbcon_write_byte,
    .read_byte = sbcon_read_byte,
    .recover = sbcon_recover,
};

void sbcon_i2c_init(struct sbcon_i2c *sb, uintptr_t base, uint32_t half_period_spins)
{
    sb->bus.ops = &sbcon_ops;
    sb->base = base;
    sb->half_period_spins = half_period_spins;
    sb->active = false;
    /* Both lines in one write: the controller's reset state may hold them
     * low, and releasing both at once cannot form a START. */
    sbcon_release(sb, SBCON_SCL | SBCON_SDA);
}
