/* RAM-backed FRAM: the asynchronous contract and every fault injection
 * knob; plus the nvram HAL pieces no driver exercises (flush on a device
 * without a flush op, status names). */
/* HOST_TEST_SRCS: drivers/ram_fram.c hal/nvram.c kernel/deferred.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/ram_fram.h"

#define MEM_SIZE 1024u

static uint8_t mem[MEM_SIZE];
static struct ram_fram rf;
static struct nvram *dev;
static uint8_t buf[MEM_SIZE], back[MEM_SIZE];

static struct {
    int calls;
    enum nvram_status status;
    size_t count;
} cb;

static void on_done(void *ctx, enum nvram_status status, size_t count)
{
    (void)ctx;
    cb.calls++;
    cb.status = status;
    cb.count = count;
}

static void run(void)
{
    while (deferred_any_pending())
        deferred_run();
}

static int setup(void **state)
{
    size_t i;

    (void)state;
    memset(mem, 0, sizeof(mem));
    for (i = 0; i < MEM_SIZE; i++)
        buf[i] = (uint8_t)(i * 13u + 1u);
    memset(&cb, 0, sizeof(cb));
    ram_fram_init(&rf, mem, MEM_SIZE);
    dev = &rf.nv;
    nvram_set_client(dev, on_done, NULL);
    return 0;
}

static void test_write_read_async(void **state)
{
    (void)state;
    assert_int_equal(nvram_write(dev, buf, 10, 100), NVRAM_OK);
    assert_int_equal(cb.calls, 0);
    assert_int_equal(mem[10], 0); /* nothing moves in the start function */
    assert_int_equal(nvram_read(dev, back, 0, 1), NVRAM_EBUSY);
    run();
    assert_int_equal(cb.calls, 1);
    assert_int_equal(cb.status, NVRAM_OK);
    assert_int_equal(cb.count, 100);
    assert_memory_equal(mem + 10, buf, 100);
    assert_int_equal(nvram_read(dev, back, 10, 100), NVRAM_OK);
    run();
    assert_memory_equal(back, buf, 100);
    assert_int_equal(nvram_read(dev, back, MEM_SIZE - 1, 2), NVRAM_ERANGE);
    assert_int_equal(dev->ops->read(dev, back, MEM_SIZE, 1), NVRAM_ERANGE);
}

/* The shared range check, at the end of the device and one past it, and
 * for starts past the end (which must not wrap the length check). */
static void test_range_at_the_end_and_one_past(void **state)
{
    (void)state;
    assert_int_equal(nvram_write(dev, buf, MEM_SIZE - 2, 2), NVRAM_OK);
    run();
    assert_memory_equal(mem + MEM_SIZE - 2, buf, 2);
    assert_int_equal(nvram_read(dev, back, MEM_SIZE, 0), NVRAM_OK); /* empty, at the end */
    run();
    assert_int_equal(nvram_write(dev, buf, MEM_SIZE - 1, 2), NVRAM_ERANGE);
    assert_int_equal(nvram_read(dev, back, MEM_SIZE + 1, 0), NVRAM_ERANGE);
    assert_int_equal(nvram_read(dev, back, MEM_SIZE + 1, 1), NVRAM_ERANGE);
    assert_int_equal(nvram_write(dev, buf, UINT32_MAX, 2), NVRAM_ERANGE);
    assert_int_equal(cb.calls, 2);
}

static void test_fail_nth_operation(void **state)
{
    (void)state;
    ram_fram_fail_op(&rf, 2);
    assert_int_equal(nvram_write(dev, buf, 0, 8), NVRAM_OK); /* 1st: fine */
    run();
    assert_int_equal(cb.status, NVRAM_OK);
    memset(back, 0xAA, 8);
    assert_int_equal(nvram_read(dev, back, 0, 8), NVRAM_OK); /* 2nd: fails */
    run();
    assert_int_equal(cb.calls, 2);
    assert_int_equal(cb.status, NVRAM_EIO);
    assert_int_equal(cb.count, 0);
    assert_int_equal(back[0], 0xAA);                         /* nothing was moved */
    assert_int_equal(nvram_read(dev, back, 0, 8), NVRAM_OK); /* one shot */
    run();
    assert_int_equal(cb.status, NVRAM_OK);
    assert_memory_equal(back, buf, 8);
}

static void test_failed_write_moves_nothing(void **state)
{
    (void)state;
    ram_fram_fail_op(&rf, 1);
    assert_int_equal(nvram_write(dev, buf, 0, 8), NVRAM_OK);
    run();
    assert_int_equal(cb.status, NVRAM_EIO);
    assert_int_equal(mem[0], 0);
    ram_fram_fail_op(&rf, 1);
    assert_int_equal(nvram_flush(dev), NVRAM_OK);
    run();
    assert_int_equal(cb.status, NVRAM_EIO);
}

static void test_power_cut_tears_write_and_stays_off(void **state)
{
    (void)state;
    memset(mem, 0x55, MEM_SIZE);
    ram_fram_cut_power_after(&rf, 5);
    assert_int_equal(nvram_write(dev, buf, 100, 20), NVRAM_OK);
    run();
    assert_int_equal(cb.status, NVRAM_EIO);
    assert_int_equal(cb.count, 5);
    assert_memory_equal(mem + 100, buf, 5);
    assert_int_equal(mem[105], 0x55); /* the rest kept its old contents */
    assert_int_equal(mem[119], 0x55);
    assert_false(ram_fram_powered(&rf));
    /* Off: every start fails at once, and no callback follows. */
    assert_int_equal(nvram_read(dev, back, 0, 1), NVRAM_EIO);
    assert_int_equal(nvram_write(dev, buf, 0, 1), NVRAM_EIO);
    assert_int_equal(nvram_flush(dev), NVRAM_EIO);
    assert_int_equal(nvram_read_blocking(dev, back, 0, 1, NULL), NVRAM_EIO);
    run();
    assert_int_equal(cb.calls, 1);
    ram_fram_power_on(&rf);
    assert_int_equal(nvram_write(dev, buf, 100, 20), NVRAM_OK);
    run();
    assert_int_equal(cb.status, NVRAM_OK);
    assert_memory_equal(mem + 100, buf, 20);
}

static void test_power_cut_at_zero_and_beyond_length(void **state)
{
    (void)state;
    ram_fram_cut_power_after(&rf, 0);
    assert_int_equal(nvram_write(dev, buf, 0, 4), NVRAM_OK);
    run();
    assert_int_equal(cb.count, 0);
    assert_int_equal(mem[0], 0);
    ram_fram_power_on(&rf);
    /* A cut "after" more bytes than the write has: all of it lands, but the
     * power still goes. */
    ram_fram_cut_power_after(&rf, 100);
    assert_int_equal(nvram_write(dev, buf, 0, 4), NVRAM_OK);
    run();
    assert_int_equal(cb.status, NVRAM_EIO);
    assert_int_equal(cb.count, 4);
    assert_memory_equal(mem, buf, 4);
    assert_false(ram_fram_powered(&rf));
}

static void test_reads_do_not_trigger_power_cut(void **state)
{
    (void)state;
    ram_fram_cut_power_after(&rf, 1);
    assert_int_equal(nvram_read(dev, back, 0, 4), NVRAM_OK);
    run();
    assert_int_equal(cb.status, NVRAM_OK);
    assert_true(ram_fram_powered(&rf));
}

static void test_bit_flips_on_read(void **state)
{
    (void)state;
    memcpy(mem, buf, 64);
    assert_true(ram_fram_flip_on_read(&rf, 10, 0x81));
    assert_true(ram_fram_flip_on_read(&rf, 63, 0x01));
    assert_false(ram_fram_flip_on_read(&rf, 5, 0));
    assert_int_equal(nvram_read(dev, back, 8, 8), NVRAM_OK);
    run();
    assert_int_equal(back[2], buf[10] ^ 0x81);
    assert_int_equal(back[1], buf[9]);
    assert_int_equal(mem[10], buf[10]); /* stored byte untouched */
    /* A read that does not cover the address sees no flip; the flip at 63
     * is one past this read, and the byte after the read is not touched. */
    memset(back, 0x5A, sizeof(back));
    assert_int_equal(nvram_read(dev, back, 11, 52), NVRAM_OK);
    run();
    assert_memory_equal(back, buf + 11, 52);
    assert_int_equal(back[52], 0x5A);
    assert_int_equal(nvram_read(dev, back, 63, 1), NVRAM_OK);
    run();
    assert_int_equal(back[0], buf[63] ^ 0x01);
    /* The table is bounded. */
    assert_true(ram_fram_flip_on_read(&rf, 1, 1));
    assert_true(ram_fram_flip_on_read(&rf, 2, 1));
    assert_false(ram_fram_flip_on_read(&rf, 3, 1));
    ram_fram_clear_faults(&rf);
    assert_int_equal(nvram_read(dev, back, 0, 64), NVRAM_OK);
    run();
    assert_memory_equal(back, buf, 64);
}

static void test_reinit_same_object(void **state)
{
    (void)state;
    ram_fram_init(&rf, mem, MEM_SIZE);
    nvram_set_client(dev, on_done, NULL);
    assert_int_equal(nvram_write(dev, buf, 0, 4), NVRAM_OK);
    run(); /* would never end if the deferred list had looped */
    assert_int_equal(cb.calls, 1);
}

/* A device with no flush op: the HAL itself reports "flush done" later. */
static enum nvram_status plain_read(struct nvram *d, uint8_t *dst, uint32_t addr, size_t len)
{
    (void)d, (void)dst, (void)addr, (void)len;
    return NVRAM_OK;
}

static const struct nvram_ops plain_ops = {.read = plain_read};

static void test_flush_without_flush_op(void **state)
{
    struct nvram plain[5];
    int i;

    (void)state;
    for (i = 0; i < 5; i++) {
        memset(&plain[i], 0, sizeof(plain[i]));
        plain[i].ops = &plain_ops;
        plain[i].size = MEM_SIZE;
        nvram_set_client(&plain[i], on_done, NULL);
    }
    assert_int_equal(nvram_flush(&plain[0]), NVRAM_OK);
    assert_int_equal(nvram_flush(&plain[0]), NVRAM_EBUSY);
    assert_int_equal(cb.calls, 0);
    run();
    assert_int_equal(cb.calls, 1);
    assert_int_equal(cb.count, 0);
    for (i = 0; i < 4; i++)
        assert_int_equal(nvram_flush(&plain[i]), NVRAM_OK);
    assert_int_equal(nvram_flush(&plain[4]), NVRAM_EBUSY); /* slots full */
    run();
    assert_int_equal(cb.calls, 5);
    /* No write op: refused as no device; a device of size 0 too. */
    assert_int_equal(nvram_write(&plain[0], buf, 0, 1), NVRAM_ENODEV);
    plain[0].size = 0;
    assert_int_equal(nvram_flush(&plain[0]), NVRAM_ENODEV);
    plain[0].ops = NULL;
    plain[0].size = MEM_SIZE;
    assert_int_equal(nvram_read(&plain[0], back, 0, 1), NVRAM_ENODEV);
}

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(nvram_status_name(NVRAM_OK), "ok");
    assert_string_equal(nvram_status_name(NVRAM_EBUSY), "busy");
    assert_string_equal(nvram_status_name(NVRAM_ERANGE), "out of range");
    assert_string_equal(nvram_status_name(NVRAM_EIO), "i/o error");
    assert_string_equal(nvram_status_name(NVRAM_ENODEV), "no device");
    assert_string_equal(nvram_status_name(NVRAM_EINVAL), "invalid argument");
    assert_string_equal(nvram_status_name((enum nvram_status)42), "unknown status");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_write_read_async, setup),
        cmocka_unit_test_setup(test_range_at_the_end_and_one_past, setup),
        cmocka_unit_test_setup(test_fail_nth_operation, setup),
        cmocka_unit_test_setup(test_failed_write_moves_nothing, setup),
        cmocka_unit_test_setup(test_power_cut_tears_write_and_stays_off, setup),
        cmocka_unit_test_setup(test_power_cut_at_zero_and_beyond_length, setup),
        cmocka_unit_test_setup(test_reads_do_not_trigger_power_cut, setup),
        cmocka_unit_test_setup(test_bit_flips_on_read, setup),
        cmocka_unit_test_setup(test_reinit_same_object, setup),
        cmocka_unit_test_setup(test_flush_without_flush_op, setup),
        cmocka_unit_test_setup(test_status_names, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
