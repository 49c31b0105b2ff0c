/*
 * i2c_fram: nvram driver for I2C FRAMs of the MB85RC / FM24 family (and
 * QEMU's at24c-eeprom model, which speaks the same protocol).
 *
 * Protocol: 7-bit bus address; a 2-byte big-endian memory address after the
 * write address byte; then data bytes (write) or a repeated START and the
 * read address byte (read). The chip's address pointer advances by itself,
 * so one transaction moves any number of bytes; FRAM has no write delay.
 *
 * Parts past 64 KiB (FM24V10, MB85RC1MT: 128 KiB) take memory address bit
 * 16 (and 17 on 256 KiB parts) in the device address: on the bus they are
 * 64 KiB "pages" at consecutive I2C addresses from the board's base
 * address, which must have those low bits clear. The driver picks the
 * device address for each access from the memory address and never lets a
 * transaction cross a 64 KiB page.
 *
 * The driver implements struct nvram_ops (hal/nvram.h). A transfer is split
 * into chunks of at most I2C_FRAM_CHUNK bytes (I2C_FRAM_WRITE_CHUNK for
 * writes), one I2C transaction each, never crossing a page, and every chunk
 * runs from the driver's deferred call, so the kernel loop runs processes
 * between chunks and a power cut tears a long write at a chunk boundary.
 * The client's callback runs once, after the STOP of the last chunk (or of
 * the chunk that failed).
 *
 * Called in kernel thread context. i2c_fram_init() and i2c_fram_probe() are
 * boot-time calls; after them the device is used only through the nvram HAL.
 */
#ifndef DRIVERS_I2C_FRAM_H
#define DRIVERS_I2C_FRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/i2c.h"
#include "hal/nvram.h"
#include "kernel/deferred.h"

/* Bytes per I2C transaction: 64 bytes are ~600 SCL clocks, short enough for
 * processes to run often during a long transfer, long enough that the 3-byte
 * address header costs under 5 %. */
#define I2C_FRAM_CHUNK 64u

/* Bytes per write transaction. A build constant so that a test kernel can
 * make every byte its own transaction (-DI2C_FRAM_WRITE_CHUNK=1): QEMU
 * persists its FRAM at each STOP, so every byte boundary becomes a point a
 * power cut can hit (tools/powercut.py --byte-cuts). */
#ifndef I2C_FRAM_WRITE_CHUNK
#define I2C_FRAM_WRITE_CHUNK I2C_FRAM_CHUNK
#endif

/* The 2-byte memory address covers one 64 KiB page; bits above it go into
 * the device address, at most I2C_FRAM_MAX_PAGES consecutive addresses. */
#define I2C_FRAM_PAGE_SIZE 0x10000u
#define I2C_FRAM_MAX_PAGES 4u
#define I2C_FRAM_MAX_SIZE  (I2C_FRAM_PAGE_SIZE * I2C_FRAM_MAX_PAGES)

enum i2c_fram_op {
    I2C_FRAM_IDLE,
    I2C_FRAM_READ,
    I2C_FRAM_WRITE,
    I2C_FRAM_FLUSH,
};

struct i2c_fram {
    struct nvram nv; /* first: the HAL view */
    struct i2c_bus *bus;
    uint8_t addr7;       /* bus address of the first 64 KiB page */
    uint32_t board_size; /* what the board says is fitted */
    bool present;
    /* The operation in flight. */
    enum i2c_fram_op op;
    uint8_t *dst;
    const uint8_t *src;
    uint32_t addr;
    size_t len;
    size_t done;
    struct deferred_call step;
};

/* Prepare the driver (no bus traffic). nv.size stays 0 until a probe finds
 * the chip. fram must have static storage: its deferred call stays on the
 * kernel's list. Initialising the same object again is allowed. */
void i2c_fram_init(struct i2c_fram *fram, struct i2c_bus *bus, uint8_t addr7, uint32_t size);

/* Boot time: check the board's description (size at most I2C_FRAM_MAX_SIZE,
 * a whole number of pages past 64 KiB, a base address with the page bits
 * clear), then look for the chip: a one-byte read at the last address of
 * each page (each page's bus address must answer). Sets nv.size to the
 * board's size when present, 0 when absent, logs the result, and returns
 * whether the chip answered. */
bool i2c_fram_probe(struct i2c_fram *fram);

#endif /* DRIVERS_I2C_FRAM_H */
