/* SBCon bit-banged I2C master against the software FRAM model: bus
 * conditions, ACK/NACK (of every byte), byte order, misuse, stuck lines, a
 * line held low mid-byte, clock stretching up to and past the limit, and
 * recovery. */
/* HOST_TEST_SRCS: drivers/sbcon_i2c.c tests/host/support/i2c_fram_model.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "drivers/sbcon_i2c.h"
#include "tests/host/support/i2c_fram_model.h"

#define DEV_ADDR   0x50u
#define OTHER_ADDR 0x51u
#define DEV_SIZE   32768u

static struct sbcon_i2c sb;
static struct i2c_bus *bus;

static int setup(void **state)
{
    (void)state;
    i2c_model_reset(DEV_ADDR, DEV_SIZE);
    sbcon_i2c_init(&sb, I2C_MODEL_BASE, 0);
    bus = &sb.bus;
    return 0;
}

static void test_init_leaves_bus_idle(void **state)
{
    (void)state;
    assert_true(i2c_model_bus_idle());
}

static void test_address_ack_then_stop(void **state)
{
    (void)state;
    assert_int_equal(i2c_start(bus), I2C_OK);
    assert_int_equal(i2c_address(bus, DEV_ADDR, I2C_DIR_WRITE), I2C_OK);
    assert_int_equal(i2c_stop(bus), I2C_OK);
    assert_int_equal(i2c_model_stats()->starts, 1);
    assert_int_equal(i2c_model_stats()->addr_acks, 1);
    assert_true(i2c_model_bus_idle());
}

static void test_absent_device_is_nack_not_hang(void **state)
{
    (void)state;
    i2c_model_set_absent(true);
    assert_int_equal(i2c_start(bus), I2C_OK);
    assert_int_equal(i2c_address(bus, DEV_ADDR, I2C_DIR_WRITE), I2C_ENACK);
    assert_int_equal(i2c_stop(bus), I2C_OK);
    assert_int_equal(i2c_model_stats()->addr_nacks, 1);
    /* Only the STOP's own clock after the NACK: no data was pushed on. */
    assert_true(i2c_model_stats()->ignored_clocks <= 1);
    assert_true(i2c_model_bus_idle());
}

static void test_wrong_address_is_nack(void **state)
{
    (void)state;
    assert_int_equal(i2c_start(bus), I2C_OK);
    assert_int_equal(i2c_address(bus, OTHER_ADDR, I2C_DIR_READ), I2C_ENACK);
    assert_int_equal(i2c_stop(bus), I2C_OK);
}

static void test_write_then_random_read(void **state)
{
    uint8_t a = 0, b = 0;

    (void)state;
    assert_int_equal(i2c_start(bus), I2C_OK);
    assert_int_equal(i2c_address(bus, DEV_ADDR, I2C_DIR_WRITE), I2C_OK);
    assert_int_equal(i2c_write_byte(bus, 0x12), I2C_OK);
    assert_int_equal(i2c_write_byte(bus, 0x34), I2C_OK);
    assert_int_equal(i2c_write_byte(bus, 0xA5), I2C_OK);
    assert_int_equal(i2c_write_byte(bus, 0x5A), I2C_OK);
    assert_int_equal(i2c_stop(bus), I2C_OK);
    /* Most significant bit first, memory address big-endian. */
    assert_int_equal(i2c_model_mem()[0x1234], 0xA5);
    assert_int_equal(i2c_model_mem()[0x1235], 0x5A);

    assert_int_equal(i2c_start(bus), I2C_OK);
    assert_int_equal(i2c_address(bus, DEV_ADDR, I2C_DIR_WRITE), I2C_OK);
    assert_int_equal(i2c_write_byte(bus, 0x12), I2C_OK);
    assert_int_equal(i2c_write_byte(bus, 0x34), I2C_OK);
    assert_int_equal(i2c_restart(bus), I2C_OK);
    assert_int_equal(i2c_address(bus, DEV_ADDR, I2C_DIR_READ), I2C_OK);
    assert_int_equal(i2c_read_byte(bus, &a, true), I2C_OK);
    assert_int_equal(i2c_read_byte(bus, &b, false), I2C_OK);
    assert_int_equal(i2c_stop(bus), I2C_OK);
    assert_int_equal(a, 0xA5);
    assert_int_equal(b, 0x5A);
    assert_int_equal(i2c_model_stats()->restarts, 1);
    assert_int_equal(i2c_model_stats()->master_nacks, 1);
    assert_true(i2c_model_bus_idle());
}

static void test_calls_out_of_order(void **state)
{
    uint8_t byte;

    (void)state;
    assert_int_equal(i2c_restart(bus), I2C_ESTATE);
    assert_int_equal(i2c_write_byte(bus, 0x00), I2C_ESTATE);
    assert_int_equal(i2c_read_byte(bus, &byte, false), I2C_ESTATE);
    assert_int_equal(i2c_start(bus), I2C_OK);
    assert_int_equal(i2c_start(bus), I2C_ESTATE);
    assert_int_equal(i2c_read_byte(bus, NULL, false), I2C_ESTATE);
    assert_int_equal(i2c_stop(bus), I2C_OK);
    assert_int_equal(i2c_model_stats()->starts, 1);
}

static void test_start_recovers_stuck_slave(void **state)
{
    (void)state;
    /* A slave left mid-byte holds SDA for a few more clocks. */
    i2c_model_set_sda_stuck(5);
    assert_false(i2c_model_bus_idle());
    assert_int_equal(i2c_start(bus), I2C_OK);
    assert_int_equal(i2c_address(bus, DEV_ADDR, I2C_DIR_WRITE), I2C_OK);
    assert_int_equal(i2c_stop(bus), I2C_OK);
    assert_true(i2c_model_bus_idle());
}

static void test_explicit_recover(void **state)
{
    (void)state;
    i2c_model_set_sda_stuck(SBCON_RECOVER_CLOCKS);
    assert_int_equal(i2c_recover(bus), I2C_OK);
    assert_true(i2c_model_bus_idle());
}

static void test_dead_sda_is_bus_error(void **state)
{
    (void)state;
    i2c_model_set_sda_stuck(I2C_MODEL_FOREVER);
    assert_int_equal(i2c_start(bus), I2C_EBUS);
    assert_int_equal(i2c_recover(bus), I2C_EBUS);
    assert_int_equal(i2c_stop(bus), I2C_EBUS);
    /* Once the slave lets go, the bus works again. */
    i2c_model_set_sda_stuck(0);
    assert_int_equal(i2c_start(bus), I2C_OK);
    assert_int_equal(i2c_address(bus, DEV_ADDR, I2C_DIR_WRITE), I2C_OK);
    assert_int_equal(i2c_stop(bus), I2C_OK);
}

static void test_sda_stuck_during_restart(void **state)
{
    (void)state;
    assert_int_equal(i2c_start(bus), I2C_OK);
    assert_int_equal(i2c_address(bus, DEV_ADDR, I2C_DIR_WRITE), I2C_OK);
    i2c_model_set_sda_stuck(I2C_MODEL_FOREVER);
    assert_int_equal(i2c_restart(bus), I2C_EBUS);
    assert_int_equal(i2c_stop(bus), I2C_EBUS);
}

static void test_stretched_clock_is_bounded(void **state)
{
    uint8_t byte;

    (void)state;
    i2c_model_set_scl_stuck(true);
    assert_int_equal(i2c_start(bus), I2C_EBUS);
    i2c_model_set_scl_stuck(false);

    assert_int_equal(i2c_start(bus), I2C_OK);
    i2c_model_set_scl_stuck(true);
    assert_int_equal(i2c_write_byte(bus, 0xA0), I2C_EBUS);
    assert_int_equal(i2c_read_byte(bus, &byte, true), I2C_EBUS);
    assert_int_equal(i2c_stop(bus), I2C_EBUS);
    i2c_model_set_scl_stuck(false);
    assert_int_equal(i2c_recover(bus), I2C_OK);
}

/* Frames of a write transaction: 0 address, 1-2 memory address, 3.. data. */
#define FRAME_ADDR    0u
#define FRAME_MEM_LO  2u
#define FRAME_DATA(i) (3u + (i))

/* START, address, memory address 0x0100, then the data; returns the first
 * status that is not OK (the caller still ends with STOP). */
static enum i2c_status send_write(const uint8_t *data, unsigned n)
{
    enum i2c_status st = i2c_start(bus);
    unsigned i;

    if (st == I2C_OK)
        st = i2c_address(bus, DEV_ADDR, I2C_DIR_WRITE);
    if (st == I2C_OK)
        st = i2c_write_byte(bus, 0x01);
    if (st == I2C_OK)
        st = i2c_write_byte(bus, 0x00);
    for (i = 0; i < n && st == I2C_OK; i++)
        st = i2c_write_byte(bus, data[i]);
    return st;
}

static void test_nack_of_any_written_byte_is_reported(void **state)
{
    static const uint8_t data[] = {0x11, 0x22, 0x33, 0x44};
    unsigned frame;

    (void)state;
    for (frame = FRAME_ADDR; frame <= FRAME_DATA(3); frame++) {
        i2c_model_reset(DEV_ADDR, DEV_SIZE);
        sbcon_i2c_init(&sb, I2C_MODEL_BASE, 0);
        i2c_model_fault_at(frame, I2C_MODEL_FAULT_NACK, 0);
        assert_int_equal(send_write(data, sizeof(data)), I2C_ENACK);
        assert_int_equal(i2c_stop(bus), I2C_OK);
        assert_int_equal(i2c_model_stats()->faults_fired, 1);
        assert_true(i2c_model_bus_idle());
        /* Only bytes acknowledged before the refused one reached the chip. */
        if (frame >= FRAME_DATA(0)) {
            assert_int_equal(i2c_model_stats()->data_acked, frame - FRAME_DATA(0));
            assert_memory_equal(i2c_model_mem() + 0x100, data, frame - FRAME_DATA(0));
        } else {
            assert_int_equal(i2c_model_stats()->data_acked, 0);
        }
        assert_int_equal(i2c_model_mem()[0x100 + (frame > FRAME_MEM_LO ? frame - 3 : 0)], 0);
    }
}

static void test_sda_held_low_mid_byte_is_bus_error(void **state)
{
    static const uint8_t ones[] = {0xFF};

    (void)state;
    /* Three clocks of a slave holding SDA inside a data byte of 1s: the
     * receiver would take 0x8F; the master must see it and stop. */
    i2c_model_fault_at(FRAME_DATA(0), I2C_MODEL_FAULT_SDA_LOW, 3);
    assert_int_equal(send_write(ones, 1), I2C_EBUS);
    (void)i2c_stop(bus);
    assert_int_equal(i2c_model_stats()->faults_fired, 1);
}

static void test_sda_held_low_on_read_nack_is_bus_error(void **state)
{
    uint8_t byte;

    (void)state;
    i2c_model_mem()[0] = 0xFF;
    assert_int_equal(i2c_start(bus), I2C_OK);
    assert_int_equal(i2c_address(bus, DEV_ADDR, I2C_DIR_WRITE), I2C_OK);
    assert_int_equal(i2c_write_byte(bus, 0x00), I2C_OK);
    assert_int_equal(i2c_write_byte(bus, 0x00), I2C_OK);
    assert_int_equal(i2c_restart(bus), I2C_OK);
    assert_int_equal(i2c_address(bus, DEV_ADDR, I2C_DIR_READ), I2C_OK);
    /* The slave keeps SDA low through the master's NACK. */
    i2c_model_fault_at(0, I2C_MODEL_FAULT_SDA_LOW, 9);
    assert_int_equal(i2c_read_byte(bus, &byte, false), I2C_EBUS);
    (void)i2c_stop(bus);
    i2c_model_set_sda_stuck(0);
    assert_int_equal(i2c_recover(bus), I2C_OK);
}

static void test_clock_stretch_up_to_the_limit_is_waited_out(void **state)
{
    static const uint8_t data[] = {0xA5, 0x5A};

    (void)state;
    /* Held for exactly SBCON_STRETCH_POLLS reads: the last poll sees it. */
    i2c_model_fault_at(FRAME_DATA(1), I2C_MODEL_FAULT_STRETCH, SBCON_STRETCH_POLLS);
    assert_int_equal(send_write(data, 2), I2C_OK);
    assert_int_equal(i2c_stop(bus), I2C_OK);
    assert_memory_equal(i2c_model_mem() + 0x100, data, 2);
    /* One read more: a bus error, not a hang and not a success. */
    i2c_model_fault_at(FRAME_DATA(1), I2C_MODEL_FAULT_STRETCH, SBCON_STRETCH_POLLS + 1);
    assert_int_equal(send_write(data, 2), I2C_EBUS);
    (void)i2c_stop(bus);
    assert_true(i2c_model_bus_idle());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_leaves_bus_idle, setup),
        cmocka_unit_test_setup(test_address_ack_then_stop, setup),
        cmocka_unit_test_setup(test_absent_device_is_nack_not_hang, setup),
        cmocka_unit_test_setup(test_wrong_address_is_nack, setup),
        cmocka_unit_test_setup(test_write_then_random_read, setup),
        cmocka_unit_test_setup(test_calls_out_of_order, setup),
        cmocka_unit_test_setup(test_start_recovers_stuck_slave, setup),
        cmocka_unit_test_setup(test_explicit_recover, setup),
        cmocka_unit_test_setup(test_dead_sda_is_bus_error, setup),
        cmocka_unit_test_setup(test_sda_stuck_during_restart, setup),
        cmocka_unit_test_setup(test_stretched_clock_is_bounded, setup),
        cmocka_unit_test_setup(test_nack_of_any_written_byte_is_reported, setup),
        cmocka_unit_test_setup(test_sda_held_low_mid_byte_is_bus_error, setup),
        cmocka_unit_test_setup(test_sda_held_low_on_read_nack_is_bus_error, setup),
        cmocka_unit_test_setup(test_clock_stretch_up_to_the_limit_is_waited_out, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
