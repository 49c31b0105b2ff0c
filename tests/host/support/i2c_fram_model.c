/* i2c_fram_model: see i2c_fram_model.h. A bit-level slave state machine
 * driven by the line levels the fake SBCon registers produce. */
#include "tests/host/support/i2c_fram_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/sbcon_i2c.h"

/* Clock pulses in one byte frame: 8 data bits, then the ACK bit. */
#define FRAME_DATA_BITS 8u
#define FRAME_ACK_BIT   9u
#define ADDR_BYTES      2u

enum phase {
    PH_IDLE,   /* no transaction */
    PH_ADDR,   /* receiving the address byte */
    PH_WRITE,  /* master sends memory address, then data */
    PH_READ,   /* slave sends data */
    PH_IGNORE, /* not for us, or the master ended the read */
};

static struct {
    uint8_t mem[I2C_MODEL_MAX_SIZE];
    uint32_t size;  /* bytes per bus address (page) */
    uint32_t pages; /* consecutive bus addresses from addr7 */
    uint32_t page;  /* the page the last address byte selected */
    uint8_t addr7;
    bool absent, scl_stuck;
    uint32_t sda_stuck;
    uint32_t master;         /* bits the master releases (1) or pulls (0) */
    bool scl_line, sda_line; /* wired-AND levels */
    bool slave_sda;          /* slave's output: true = released */
    enum phase phase;
    unsigned bit; /* clock pulses seen in this frame */
    uint8_t shift, out_byte;
    bool addr_ok, reading, master_acked;
    unsigned addr_bytes;
    uint32_t ptr;
    bool tx_open;
    /* The armed fault (i2c_model_fault_at) and what it is doing now. */
    enum i2c_model_fault fault, fault_kind_fired;
    uint32_t fault_nth, fault_arg, frames_since_arm;
    bool nack_this_frame, drop_rest;
    uint32_t scl_hold; /* reads left while the slave stretches SCL */
    struct i2c_model_tx tx;
    struct i2c_model_stats stats;
    struct i2c_model_tx log[I2C_MODEL_MAX_LOG];
    size_t log_len;
} m;

/* Where the address pointer is, counted over all pages. */
static uint32_t abs_ptr(void)
{
    return m.page * m.size + m.ptr;
}

static void log_tx(enum i2c_model_kind kind, uint32_t mem, uint32_t bytes)
{
    if (m.log_len >= I2C_MODEL_MAX_LOG) {
        fprintf(stderr, "i2c_fram_model: transaction log full\n");
        abort();
    }
    m.log[m.log_len].kind = kind;
    m.log[m.log_len].mem = mem;
    m.log[m.log_len].bytes = bytes;
    m.log_len++;
}

static void close_tx(bool by_stop)
{
    if (!m.tx_open)
        return;
    m.tx_open = false;
    if (m.tx.kind == I2C_MODEL_TX_READ || m.tx.bytes > 0)
        log_tx(m.tx.kind, m.tx.mem, m.tx.bytes);
    else if (by_stop)
        log_tx(I2C_MODEL_TX_ADDR_ONLY, abs_ptr(), 0);
}

static void open_tx(enum i2c_model_kind kind)
{
    m.tx_open = true;
    m.tx.kind = kind;
    m.tx.mem = abs_ptr();
    m.tx.bytes = 0;
}

static void on_start(void)
{
    if (m.phase != PH_IDLE) {
        m.stats.restarts++;
        close_tx(false);
    } else {
        m.stats.starts++;
    }
    m.phase = PH_ADDR;
    m.bit = 0;
    m.shift = 0;
    m.slave_sda = true;
    m.drop_rest = false;
}

static void on_stop(void)
{
    m.stats.stops++;
    close_tx(true);
    m.phase = PH_IDLE;
    m.slave_sda = true;
}

/* The first clock of a frame has fallen (a clock that rises and is followed
 * by STOP or a repeated START is no frame): count it, and fire the armed
 * fault if this is its frame. A NACK acts at the ACK bit; the others from
 * now on, i.e. from the frame's second bit. */
static void frame_begins(void)
{
    uint32_t idx = m.frames_since_arm++;

    m.stats.frames++;
    m.nack_this_frame = false;
    if (m.fault == I2C_MODEL_FAULT_NONE || idx != m.fault_nth)
        return;
    /* It fires once. A NACK on a byte the slave sends has nothing to act on:
     * the master, not the slave, acknowledges those. */
    m.fault_kind_fired = m.fault;
    m.fault = I2C_MODEL_FAULT_NONE;
    if (m.fault_kind_fired == I2C_MODEL_FAULT_NACK && m.phase == PH_READ)
        return;
    m.stats.faults_fired++;
    if (m.fault_kind_fired == I2C_MODEL_FAULT_NACK)
        m.nack_this_frame = true;
    else if (m.fault_kind_fired == I2C_MODEL_FAULT_SDA_LOW)
        m.sda_stuck = m.fault_arg;
    else
        m.scl_hold = m.fault_arg;
}

static void on_rise(void)
{
    if (m.phase == PH_IDLE)
        return;
    if (m.phase == PH_IGNORE) {
        m.stats.ignored_clocks++;
        return;
    }
    if (m.bit < FRAME_DATA_BITS && m.phase != PH_READ)
        m.shift = (uint8_t)((m.shift << 1) | (m.sda_line ? 1u : 0u));
    else if (m.bit == FRAME_DATA_BITS && m.phase == PH_READ)
        m.master_acked = !m.sda_line;
    m.bit++;
}

static void load_next_byte(void)
{
    m.out_byte = m.mem[abs_ptr()];
    m.ptr = (m.ptr + 1) % m.size;
    m.slave_sda = (m.out_byte & 0x80u) != 0;
}

/* The 8th clock has fallen: decide the ACK (or release for the master's). */
static void end_of_data_bits(void)
{
    uint32_t dev;

    switch (m.phase) {
    case PH_ADDR:
        dev = (uint32_t)(m.shift >> 1);
        m.addr_ok = !m.absent && !m.nack_this_frame && dev >= m.addr7 && dev - m.addr7 < m.pages;
        if (m.addr_ok)
            m.page = dev - m.addr7;
        m.reading = (m.shift & 1u) != 0;
        if (m.addr_ok)
            m.stats.addr_acks++;
        else
            m.stats.addr_nacks++;
        m.slave_sda = !m.addr_ok;
        break;
    case PH_WRITE:
        if (m.nack_this_frame) {
            /* Refused: not stored, and the slave stops listening. */
            m.drop_rest = true;
            m.slave_sda = true;
            break;
        }
        if (m.addr_bytes < ADDR_BYTES) {
            m.ptr = ((m.ptr << 8) | m.shift) & 0xFFFFu;
            if (++m.addr_bytes == ADDR_BYTES)
                m.ptr %= m.size;
        } else {
            if (m.tx.bytes == 0)
                m.tx.mem = abs_ptr();
            m.mem[abs_ptr()] = m.shift;
            m.ptr = (m.ptr + 1) % m.size;
            m.tx.bytes++;
            m.stats.data_acked++;
        }
        m.slave_sda = false;
        break;
    case PH_READ:
        m.tx.bytes++;
        m.slave_sda = true;
        break;
    default:
        break;
    }
}

/* The ACK clock has fallen: the next frame begins. */
static void end_of_frame(void)
{
    m.bit = 0;
    m.shift = 0;
    m.slave_sda = true;
    if (m.drop_rest) {
        m.phase = PH_IGNORE;
        return;
    }
    switch (m.phase) {
    case PH_ADDR:
        if (!m.addr_ok) {
            m.phase = PH_IGNORE;
        } else if (m.reading) {
            m.phase = PH_READ;
            open_tx(I2C_MODEL_TX_READ);
            load_next_byte();
        } else {
            m.phase = PH_WRITE;
            m.addr_bytes = 0;
            open_tx(I2C_MODEL_TX_WRITE);
        }
        break;
    case PH_READ:
        if (m.master_acked) {
            load_next_byte();
        } else {
            m.stats.master_nacks++;
            m.phase = PH_IGNORE;
        }
        break;
    default:
        break;
    }
}

static void on_fall(void)
{
    if (m.sda_stuck != 0 && m.sda_stuck != I2C_MODEL_FOREVER)
        m.sda_stuck--;
    if (m.phase == PH_IDLE || m.phase == PH_IGNORE)
        return;
    if (m.bit == 1)
        frame_begins();
    if (m.bit == FRAME_DATA_BITS)
        end_of_data_bits();
    else if (m.bit == FRAME_ACK_BIT)
        end_of_frame();
    else if (m.phase == PH_READ && m.bit > 0 && m.bit < FRAME_DATA_BITS)
        m.slave_sda = ((m.out_byte >> (FRAME_DATA_BITS - 1 - m.bit)) & 1u) != 0;
}

static bool level_scl(void)
{
    return (m.master & SBCON_SCL) && !m.scl_stuck && m.scl_hold == 0;
}

static bool level_sda(void)
{
    return (m.master & SBCON_SDA) && m.slave_sda && m.sda_stuck == 0;
}

/* Re-evaluate the wires after the master or a knob changed something.
 * SCL first, then SDA, as one register write may change both. */
static void update_lines(void)
{
    bool scl = level_scl(), sda;

    if (scl != m.scl_line) {
        m.scl_line = scl;
        if (scl)
            on_rise();
        else
            on_fall();
    }
    sda = level_sda();
    if (sda != m.sda_line) {
        m.sda_line = sda;
        if (m.scl_line) {
            if (sda)
                on_stop();
            else
                on_start();
        }
    }
}

uint32_t sbcon_io_read(uintptr_t addr)
{
    if (addr != I2C_MODEL_BASE + SBCON_REG_CONTROL) {
        fprintf(stderr, "i2c_fram_model: read of unknown register %#lx\n", (unsigned long)addr);
        abort();
    }
    /* A stretching slave lets go of SCL after some reads. */
    if (m.scl_hold != 0 && m.scl_hold != I2C_MODEL_FOREVER && --m.scl_hold == 0)
        update_lines();
    return (m.scl_line ? SBCON_SCL : 0u) | (m.sda_line ? SBCON_SDA : 0u);
}

void sbcon_io_write(uintptr_t addr, uint32_t value)
{
    if (addr == I2C_MODEL_BASE + SBCON_REG_CONTROL) {
        m.master |= value & (SBCON_SCL | SBCON_SDA);
    } else if (addr == I2C_MODEL_BASE + SBCON_REG_CONTROL_CLR) {
        m.master &= ~value;
    } else {
        fprintf(stderr, "i2c_fram_model: write of unknown register %#lx\n", (unsigned long)addr);
        abort();
    }
    update_lines();
}

void i2c_model_reset(uint8_t addr7, uint32_t size)
{
    memset(&m, 0, sizeof(m));
    m.addr7 = addr7;
    /* Past 64 KiB: 64 KiB pages at consecutive addresses, each pointer
     * wrapping inside its own page (as two at24c devices do). */
    m.pages = size > I2C_MODEL_PAGE_SIZE ? size / I2C_MODEL_PAGE_SIZE : 1u;
    m.size = size / m.pages;
    /* Like the SBCon after reset: the controller drives both lines low. */
    m.slave_sda = true;
}

void i2c_model_clear_history(void)
{
    memset(&m.stats, 0, sizeof(m.stats));
    m.log_len = 0;
}

uint8_t *i2c_model_mem(void)
{
    return m.mem;
}

void i2c_model_set_absent(bool absent)
{
    m.absent = absent;
}

void i2c_model_set_sda_stuck(uint32_t falling_edges)
{
    m.sda_stuck = falling_edges;
    update_lines();
}

void i2c_model_set_scl_stuck(bool stuck)
{
    m.scl_stuck = stuck;
    m.scl_hold = 0;
    update_lines();
}

void i2c_model_fault_at(uint32_t nth, enum i2c_model_fault kind, uint32_t arg)
{
    m.fault = kind;
    m.fault_kind_fired = I2C_MODEL_FAULT_NONE;
    m.fault_nth = nth;
    m.fault_arg = arg;
    m.frames_since_arm = 0;
}

const struct i2c_model_stats *i2c_model_stats(void)
{
    return &m.stats;
}

size_t i2c_model_log_len(void)
{
    return m.log_len;
}

const struct i2c_model_tx *i2c_model_log(size_t i)
{
    return i < m.log_len ? &m.log[i] : NULL;
}

bool i2c_model_bus_idle(void)
{
    return m.scl_line && m.sda_line && m.phase == PH_IDLE;
}
