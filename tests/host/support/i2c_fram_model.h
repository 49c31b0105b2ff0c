/*
 * i2c_fram_model: a software I2C FRAM on a fake SBCon register block, for
 * host tests of the SBCon and FRAM drivers.
 *
 * It provides sbcon_io_read()/sbcon_io_write() (the hooks the SBCon driver
 * uses under HOST_TEST), tracks the wired-AND levels of SCL and SDA after
 * every register write, and behaves like an MB85RC-class slave: START and
 * STOP detection, address match and ACK, 2-byte big-endian memory address,
 * sequential write, repeated START and sequential read with master ACK/NACK.
 * A part past 64 KiB answers at consecutive bus addresses from addr7, one
 * per 64 KiB page (address bit 16 and up in the device address), and its
 * pointer wraps inside the page a transaction selected.
 * Like real parts (unlike QEMU's model) it changes SDA only after SCL falls.
 *
 * Knobs: absent (never ACKs its address), sda_stuck_clocks (holds SDA low
 * for that many SCL falling edges, like a slave left mid-byte; use
 * I2C_MODEL_FOREVER for a dead bus), scl_stuck (holds SCL low), and one
 * fault armed on the nth byte frame from now (i2c_model_fault_at): a NACK
 * of any byte the master sends (device address, memory address, data, the
 * read address after a repeated START), SDA held low from the start of a
 * frame, or the clock stretched before a frame. A NACKed data byte is not
 * stored, and the slave ignores the rest of the transaction, as real parts
 * do. It logs every completed transaction so tests can check chunking, and
 * counts the data bytes it acknowledged and stored.
 */
#ifndef TESTS_HOST_I2C_FRAM_MODEL_H
#define TESTS_HOST_I2C_FRAM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define I2C_MODEL_BASE      0x4002A000u
#define I2C_MODEL_PAGE_SIZE 65536u /* what a 2-byte memory address reaches */
#define I2C_MODEL_MAX_SIZE  (4u * I2C_MODEL_PAGE_SIZE)
#define I2C_MODEL_MAX_LOG   2048u
#define I2C_MODEL_FOREVER   UINT32_MAX

enum i2c_model_kind {
    I2C_MODEL_TX_WRITE, /* address-write transaction that carried data */
    I2C_MODEL_TX_READ,  /* bytes the slave sent in one read phase */
    I2C_MODEL_TX_ADDR_ONLY,
};

struct i2c_model_tx {
    enum i2c_model_kind kind;
    uint32_t mem;   /* memory address of the first data byte */
    uint32_t bytes; /* data bytes moved */
};

struct i2c_model_stats {
    uint32_t starts, restarts, stops;
    uint32_t addr_acks, addr_nacks;
    uint32_t master_nacks;   /* reads ended by the master's NACK */
    uint32_t ignored_clocks; /* SCL pulses while the slave was not listening */
    uint32_t frames;         /* byte frames begun (either direction) */
    uint32_t data_acked;     /* data bytes stored and acknowledged */
    uint32_t faults_fired;   /* armed faults that took effect */
};

/* What an armed fault does to its frame. */
enum i2c_model_fault {
    I2C_MODEL_FAULT_NONE,
    I2C_MODEL_FAULT_NACK,    /* no ACK for a byte the master sent; the byte is dropped */
    I2C_MODEL_FAULT_SDA_LOW, /* SDA held low for arg SCL falling edges (or FOREVER) */
    I2C_MODEL_FAULT_STRETCH, /* SCL held low for arg reads of the line register */
};

void i2c_model_reset(uint8_t addr7, uint32_t size);
uint8_t *i2c_model_mem(void);
/* Knobs. */
void i2c_model_set_absent(bool absent);
void i2c_model_set_sda_stuck(uint32_t falling_edges);
void i2c_model_set_scl_stuck(bool stuck);
/* Arm one fault on byte frame nth (0-based) counted from this call: every
 * frame counts, whichever side sends it (address bytes after START and
 * repeated START, memory address bytes, data bytes written or read). A NACK
 * armed on a frame the slave sends does nothing. One fault at a time; it
 * fires once. */
void i2c_model_fault_at(uint32_t nth, enum i2c_model_fault kind, uint32_t arg);
/* What happened (i2c_model_clear_history forgets it, keeps memory). */
void i2c_model_clear_history(void);
const struct i2c_model_stats *i2c_model_stats(void);
size_t i2c_model_log_len(void);
const struct i2c_model_tx *i2c_model_log(size_t i);
/* True when both lines are high and no transaction is open. */
bool i2c_model_bus_idle(void);

#endif /* TESTS_HOST_I2C_FRAM_MODEL_H */
