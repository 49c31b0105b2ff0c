/* SBCon bit-banged I2C master against the software FRAM model: bus
 * conditions, ACK/NACK, byte order, misuse, stuck lines and recovery. */
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
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
