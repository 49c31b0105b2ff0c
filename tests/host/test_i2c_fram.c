/* I2C FRAM driver over the SBCon driver and the software FRAM model:
 * probe, chunking, addressing, both ends, range and argument errors, device
 * errors mid-transfer, a NACK, a held-low SDA or a stretched clock at every
 * byte of a read and a write, parts past 64 KiB (pages at consecutive bus
 * addresses, transfers across page boundaries), the asynchronous contract. */
/* clang-format off */
/* HOST_TEST_SRCS: drivers/i2c_fram.c drivers/sbcon_i2c.c hal/nvram.c kernel/deferred.c kernel/fmt.c kernel/log.c tests/host/support/log_text.c tests/host/support/i2c_fram_model.c */
/* clang-format on */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/i2c_fram.h"
#include "drivers/sbcon_i2c.h"
#include "kernel/log.h"
#include "tests/host/support/i2c_fram_model.h"

#define DEV_ADDR 0x50u
#define DEV_SIZE 32768u
#define LOG_CAP  4096

static struct sbcon_i2c sb;
static struct i2c_fram fram;
static struct nvram *dev;
static char logbuf[LOG_CAP];
static size_t loglen;
static uint8_t buf[DEV_SIZE], back[DEV_SIZE];

static struct {
    int calls;
    enum nvram_status status;
    size_t count;
} cb;

static void capture_log(const char *s, size_t len)
{
    if (loglen + len < LOG_CAP) {
        memcpy(logbuf + loglen, s, len);
        loglen += len;
        logbuf[loglen] = '\0';
    }
}

static void on_done(void *ctx, enum nvram_status status, size_t count)
{
    (void)ctx;
    cb.calls++;
    cb.status = status;
    cb.count = count;
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    size_t i;

    for (i = 0; i < n; i++)
        p[i] = (uint8_t)(seed + i * 7u + (i >> 8));
}

/* Run the kernel loop's deferred pass until the callback came. */
static int run_until_done(void)
{
    int passes = 0;

    while (cb.calls == 0 && deferred_any_pending()) {
        deferred_run();
        passes++;
    }
    return passes;
}

static int setup(void **state)
{
    (void)state;
    i2c_model_reset(DEV_ADDR, DEV_SIZE);
    loglen = 0;
    logbuf[0] = '\0';
    log_set_sink(capture_log);
    memset(&cb, 0, sizeof(cb));
    sbcon_i2c_init(&sb, I2C_MODEL_BASE, 0);
    i2c_fram_init(&fram, &sb.bus, DEV_ADDR, DEV_SIZE);
    dev = &fram.nv;
    nvram_set_client(dev, on_done, NULL);
    return 0;
}

static int setup_probed(void **state)
{
    setup(state);
    assert_true(i2c_fram_probe(&fram));
    i2c_model_clear_history();
    loglen = 0;
    return 0;
}

static void test_probe_present(void **state)
{
    (void)state;
    assert_int_equal(nvram_size(dev), 0);
    assert_true(i2c_fram_probe(&fram));
    assert_int_equal(nvram_size(dev), DEV_SIZE);
    assert_non_null(strstr(logbuf, "INFO  fram: FRAM present at i2c 0x50, 32768 bytes"));
    assert_true(i2c_model_bus_idle());
}

static void test_probe_absent_then_requests_fail(void **state)
{
    (void)state;
    i2c_model_set_absent(true);
    assert_false(i2c_fram_probe(&fram));
    assert_int_equal(nvram_size(dev), 0);
    assert_non_null(strstr(logbuf, "WARN  fram: FRAM absent (i2c 0x50: no ACK)"));
    assert_int_equal(nvram_read(dev, buf, 0, 1), NVRAM_ENODEV);
    assert_int_equal(nvram_write(dev, buf, 0, 1), NVRAM_ENODEV);
    assert_int_equal(nvram_flush(dev), NVRAM_ENODEV);
    assert_int_equal(nvram_read_blocking(dev, buf, 0, 1, NULL), NVRAM_ENODEV);
    /* The driver itself refuses too, if someone bypasses the wrapper. */
    assert_int_equal(dev->ops->read(dev, buf, 0, 1), NVRAM_ENODEV);
    assert_false(deferred_any_pending());
    assert_int_equal(cb.calls, 0);
}

static void test_probe_stuck_bus(void **state)
{
    (void)state;
    i2c_model_set_sda_stuck(I2C_MODEL_FOREVER);
    assert_false(i2c_fram_probe(&fram));
    assert_int_equal(nvram_size(dev), 0);
    assert_non_null(strstr(logbuf, "bus stuck"));
}

static void test_probe_bad_configuration(void **state)
{
    (void)state;
    i2c_fram_init(&fram, &sb.bus, DEV_ADDR, 0);
    assert_false(i2c_fram_probe(&fram));
    i2c_fram_init(&fram, &sb.bus, DEV_ADDR, I2C_FRAM_MAX_SIZE + 1);
    assert_false(i2c_fram_probe(&fram));
    i2c_fram_init(&fram, &sb.bus, I2C_ADDR7_LIMIT, DEV_SIZE);
    assert_false(i2c_fram_probe(&fram));
    assert_non_null(strstr(logbuf, "ERROR fram: bad configuration"));
    assert_int_equal(i2c_model_stats()->starts, 0);
}

static void test_write_is_chunked_and_async(void **state)
{
    const uint32_t at = 100;
    const size_t len = 3 * I2C_FRAM_CHUNK + 8;
    size_t i;

    (void)state;
    fill(buf, len, 1);
    assert_int_equal(nvram_write(dev, buf, at, len), NVRAM_OK);
    /* Nothing moves inside the start function. */
    assert_int_equal(cb.calls, 0);
    assert_int_equal(i2c_model_log_len(), 0);
    deferred_run();
    assert_int_equal(i2c_model_log_len(), 1);
    assert_int_equal(cb.calls, 0);
    assert_int_equal(run_until_done(), 3);
    assert_int_equal(cb.calls, 1);
    assert_int_equal(cb.status, NVRAM_OK);
    assert_int_equal(cb.count, len);
    /* One transaction per chunk, each at the right address. */
    assert_int_equal(i2c_model_log_len(), 4);
    for (i = 0; i < 4; i++) {
        assert_int_equal(i2c_model_log(i)->kind, I2C_MODEL_TX_WRITE);
        assert_int_equal(i2c_model_log(i)->mem, at + i * I2C_FRAM_CHUNK);
        assert_int_equal(i2c_model_log(i)->bytes, i < 3 ? I2C_FRAM_CHUNK : 8);
    }
    assert_memory_equal(i2c_model_mem() + at, buf, len);
    assert_int_equal(i2c_model_mem()[at - 1], 0);
    assert_int_equal(i2c_model_mem()[at + len], 0);
    assert_false(deferred_any_pending());
}

static void test_read_is_chunked(void **state)
{
    const uint32_t at = 0x0201; /* distinct high and low address bytes */
    const size_t len = 2 * I2C_FRAM_CHUNK + 1;

    (void)state;
    fill(i2c_model_mem() + at, len, 9);
    assert_int_equal(nvram_read(dev, back, at, len), NVRAM_OK);
    assert_int_equal(cb.calls, 0);
    run_until_done();
    assert_int_equal(cb.status, NVRAM_OK);
    assert_int_equal(cb.count, len);
    assert_memory_equal(back, i2c_model_mem() + at, len);
    assert_int_equal(i2c_model_log_len(), 3);
    assert_int_equal(i2c_model_log(0)->kind, I2C_MODEL_TX_READ);
    assert_int_equal(i2c_model_log(0)->mem, at);
    assert_int_equal(i2c_model_log(2)->mem, at + 2 * I2C_FRAM_CHUNK);
    assert_int_equal(i2c_model_log(2)->bytes, 1);
    /* Each read ends with the master's NACK, then STOP. */
    assert_int_equal(i2c_model_stats()->master_nacks, 3);
    assert_true(i2c_model_bus_idle());
}

static void test_both_ends_and_whole_device(void **state)
{
    size_t count = 0;
    uint8_t one = 0xEE;

    (void)state;
    assert_int_equal(nvram_write_blocking(dev, &one, 0, 1, &count), NVRAM_OK);
    assert_int_equal(count, 1);
    assert_int_equal(nvram_write_blocking(dev, &one, DEV_SIZE - 1, 1, &count), NVRAM_OK);
    assert_int_equal(i2c_model_mem()[0], 0xEE);
    assert_int_equal(i2c_model_mem()[DEV_SIZE - 1], 0xEE);

    fill(buf, DEV_SIZE, 3);
    assert_int_equal(nvram_write_blocking(dev, buf, 0, DEV_SIZE, &count), NVRAM_OK);
    assert_int_equal(count, DEV_SIZE);
    assert_memory_equal(i2c_model_mem(), buf, DEV_SIZE);
    memset(back, 0, sizeof(back));
    assert_int_equal(nvram_read_blocking(dev, back, 0, DEV_SIZE, &count), NVRAM_OK);
    assert_int_equal(count, DEV_SIZE);
    assert_memory_equal(back, buf, DEV_SIZE);
    /* The blocking helpers gave the client callback back. */
    assert_ptr_equal(dev->done, on_done);
    assert_int_equal(cb.calls, 0);
}

static void test_out_of_range_rejected_before_bus(void **state)
{
    (void)state;
    assert_int_equal(nvram_read(dev, back, DEV_SIZE, 1), NVRAM_ERANGE);
    assert_int_equal(nvram_write(dev, buf, DEV_SIZE - 1, 2), NVRAM_ERANGE);
    assert_int_equal(nvram_read(dev, back, 0, DEV_SIZE + 1), NVRAM_ERANGE);
    assert_int_equal(nvram_write(dev, buf, UINT32_MAX, 2), NVRAM_ERANGE);
    assert_int_equal(nvram_read(dev, back, 1, SIZE_MAX), NVRAM_ERANGE);
    assert_int_equal(dev->ops->write(dev, buf, DEV_SIZE, 1), NVRAM_ERANGE);
    assert_int_equal(nvram_read_blocking(dev, back, DEV_SIZE, 1, NULL), NVRAM_ERANGE);
    assert_false(deferred_any_pending());
    assert_int_equal(i2c_model_stats()->starts, 0);
    assert_int_equal(cb.calls, 0);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    assert_int_equal(nvram_read(NULL, back, 0, 1), NVRAM_EINVAL);
    assert_int_equal(nvram_read(dev, NULL, 0, 1), NVRAM_EINVAL);
    assert_int_equal(nvram_write(dev, NULL, 0, 1), NVRAM_EINVAL);
    assert_int_equal(nvram_flush(NULL), NVRAM_EINVAL);
    assert_int_equal(nvram_write_blocking(dev, NULL, 0, 1, NULL), NVRAM_EINVAL);
    assert_int_equal(nvram_read_blocking(dev, NULL, 0, 1, NULL), NVRAM_EINVAL);
    assert_int_equal(nvram_write_blocking(NULL, buf, 0, 1, NULL), NVRAM_EINVAL);
    assert_false(deferred_any_pending());
}

static void test_busy_while_in_flight(void **state)
{
    (void)state;
    assert_int_equal(nvram_write(dev, buf, 0, 2 * I2C_FRAM_CHUNK), NVRAM_OK);
    assert_int_equal(nvram_write(dev, buf, 0, 1), NVRAM_EBUSY);
    assert_int_equal(nvram_read(dev, back, 0, 1), NVRAM_EBUSY);
    assert_int_equal(nvram_flush(dev), NVRAM_EBUSY);
    deferred_run();
    assert_int_equal(nvram_read(dev, back, 0, 1), NVRAM_EBUSY);
    run_until_done();
    assert_int_equal(cb.calls, 1);
    assert_int_equal(cb.status, NVRAM_OK);
}

static void test_zero_length_and_flush_complete_later(void **state)
{
    (void)state;
    assert_int_equal(nvram_read(dev, back, DEV_SIZE, 0), NVRAM_OK);
    assert_int_equal(cb.calls, 0);
    run_until_done();
    assert_int_equal(cb.calls, 1);
    assert_int_equal(cb.count, 0);
    cb.calls = 0;
    assert_int_equal(nvram_flush(dev), NVRAM_OK);
    assert_int_equal(cb.calls, 0);
    run_until_done();
    assert_int_equal(cb.calls, 1);
    assert_int_equal(cb.status, NVRAM_OK);
    assert_int_equal(i2c_model_stats()->starts, 0);
}

/* Completion callbacks may start the next operation. */
static int chained;
static void on_done_chain(void *ctx, enum nvram_status status, size_t count)
{
    on_done(ctx, status, count);
    if (chained++ == 0)
        assert_int_equal(nvram_read(dev, back, 0, 4), NVRAM_OK);
}

static void test_next_op_from_callback(void **state)
{
    (void)state;
    chained = 0;
    nvram_set_client(dev, on_done_chain, NULL);
    fill(buf, 4, 5);
    assert_int_equal(nvram_write(dev, buf, 0, 4), NVRAM_OK);
    deferred_run();
    assert_int_equal(cb.calls, 1);
    deferred_run();
    assert_int_equal(cb.calls, 2);
    assert_memory_equal(back, buf, 4);
}

static void test_device_lost_mid_write(void **state)
{
    (void)state;
    fill(buf, 3 * I2C_FRAM_CHUNK, 2);
    assert_int_equal(nvram_write(dev, buf, 64, 3 * I2C_FRAM_CHUNK), NVRAM_OK);
    deferred_run();
    i2c_model_set_absent(true);
    run_until_done();
    assert_int_equal(cb.status, NVRAM_EIO);
    assert_int_equal(cb.count, I2C_FRAM_CHUNK);
    assert_non_null(strstr(logbuf, "WARN  fram: i2c error at 0x80: no ACK"));
    assert_true(i2c_model_bus_idle());
    assert_false(deferred_any_pending());
    /* The device comes back: the driver is usable again. */
    i2c_model_set_absent(false);
    assert_int_equal(nvram_read_blocking(dev, back, 64, I2C_FRAM_CHUNK, NULL), NVRAM_OK);
    assert_memory_equal(back, buf, I2C_FRAM_CHUNK);
}

static void test_stuck_bus_mid_read_then_recovery(void **state)
{
    (void)state;
    assert_int_equal(nvram_read(dev, back, 0, 2 * I2C_FRAM_CHUNK), NVRAM_OK);
    deferred_run();
    i2c_model_set_sda_stuck(I2C_MODEL_FOREVER);
    run_until_done();
    assert_int_equal(cb.status, NVRAM_EIO);
    assert_int_equal(cb.count, I2C_FRAM_CHUNK);
    /* A slave that lets go within 9 clocks is recovered by the next START. */
    i2c_model_set_sda_stuck(4);
    assert_int_equal(nvram_write_blocking(dev, buf, 0, 1, NULL), NVRAM_OK);
}

/* Byte-level faults over a whole operation: the transfer below takes three
 * chunks (three transactions). For each fault kind, and each byte frame of
 * the operation (every address, memory-address and data byte, both
 * directions), plant the fault and check what the caller hears. */
#define FAULT_AT  0x0123u
#define FAULT_LEN (2u * I2C_FRAM_CHUNK + 5u)
#define OLD_BYTE  0x00u

struct fault_case {
    enum i2c_model_fault kind;
    uint32_t arg;
    bool must_fail; /* whenever it fires */
};

static const struct fault_case fault_cases[] = {
    {I2C_MODEL_FAULT_NACK, 0, true},
    {I2C_MODEL_FAULT_SDA_LOW, I2C_MODEL_FOREVER, true},
    {I2C_MODEL_FAULT_STRETCH, I2C_MODEL_FOREVER, true},
    {I2C_MODEL_FAULT_STRETCH, SBCON_STRETCH_POLLS + 1, true},
    /* Transient: may pass unnoticed only where it changed nothing. */
    {I2C_MODEL_FAULT_SDA_LOW, 3, false},
    {I2C_MODEL_FAULT_STRETCH, SBCON_STRETCH_POLLS, false},
};

/* Frames one clean operation takes (to know how far to plant faults). */
static uint32_t frames_of(bool write)
{
    uint32_t frames;

    i2c_model_clear_history();
    if (write)
        assert_int_equal(nvram_write_blocking(dev, buf, FAULT_AT, FAULT_LEN, NULL), NVRAM_OK);
    else
        assert_int_equal(nvram_read_blocking(dev, back, FAULT_AT, FAULT_LEN, NULL), NVRAM_OK);
    frames = i2c_model_stats()->frames;
    assert_true(frames > FAULT_LEN);
    return frames;
}

/* Fresh chip and driver; the bus is idle again after any earlier fault. */
static void fault_reset(void)
{
    i2c_model_reset(DEV_ADDR, DEV_SIZE);
    memset(i2c_model_mem(), OLD_BYTE, DEV_SIZE);
    i2c_fram_init(&fram, &sb.bus, DEV_ADDR, DEV_SIZE);
    assert_true(i2c_fram_probe(&fram));
    nvram_set_client(dev, on_done, NULL);
    i2c_model_clear_history();
    memset(&cb, 0, sizeof(cb));
}

static void check_write_outcome(const struct fault_case *fc, uint32_t frame)
{
    const uint8_t *mem = i2c_model_mem();
    bool fired = i2c_model_stats()->faults_fired == 1;

    assert_int_equal(cb.calls, 1);
    if (fired && fc->must_fail && cb.status == NVRAM_OK)
        fail_msg("fault %d/%u at frame %u: write reported OK", fc->kind, fc->arg, frame);
    if (cb.status == NVRAM_OK) {
        /* Nothing went wrong that matters: every byte is right. */
        assert_int_equal(cb.count, FAULT_LEN);
        assert_memory_equal(mem + FAULT_AT, buf, FAULT_LEN);
    } else {
        assert_int_equal(cb.status, NVRAM_EIO);
        /* Claimed bytes were acknowledged, and are the caller's bytes. */
        if (cb.count > i2c_model_stats()->data_acked)
            fail_msg("fault %d/%u at frame %u: %zu bytes claimed, %u acknowledged", fc->kind,
                     fc->arg, frame, cb.count, i2c_model_stats()->data_acked);
        assert_memory_equal(mem + FAULT_AT, buf, cb.count);
    }
    /* Never anything outside the request. */
    assert_int_equal(mem[FAULT_AT - 1], OLD_BYTE);
    assert_int_equal(mem[FAULT_AT + FAULT_LEN], OLD_BYTE);
}

static void test_every_byte_fault_during_a_write(void **state)
{
    uint32_t frames, frame;
    size_t c;

    (void)state;
    fill(buf, FAULT_LEN, 0x3C);
    buf[0] = 0xFF; /* 1s in every bit: a held-low SDA changes it */
    frames = frames_of(true);
    for (c = 0; c < sizeof(fault_cases) / sizeof(fault_cases[0]); c++) {
        for (frame = 0; frame < frames; frame++) {
            fault_reset();
            i2c_model_fault_at(frame, fault_cases[c].kind, fault_cases[c].arg);
            assert_int_equal(nvram_write(dev, buf, FAULT_AT, FAULT_LEN), NVRAM_OK);
            run_until_done();
            check_write_outcome(&fault_cases[c], frame);
            assert_false(deferred_any_pending());
        }
    }
}

static void test_every_byte_fault_during_a_read(void **state)
{
    uint32_t frames, frame;
    size_t c;
    bool fired;

    (void)state;
    fill(buf, FAULT_LEN, 0x5A);
    frames = frames_of(false);
    for (c = 0; c < sizeof(fault_cases) / sizeof(fault_cases[0]); c++) {
        if (fault_cases[c].kind == I2C_MODEL_FAULT_SDA_LOW && !fault_cases[c].must_fail)
            continue; /* a slave sending 0s is what a held-low SDA looks like */
        for (frame = 0; frame < frames; frame++) {
            fault_reset();
            memcpy(i2c_model_mem() + FAULT_AT, buf, FAULT_LEN);
            memset(back, 0, FAULT_LEN);
            i2c_model_fault_at(frame, fault_cases[c].kind, fault_cases[c].arg);
            assert_int_equal(nvram_read(dev, back, FAULT_AT, FAULT_LEN), NVRAM_OK);
            run_until_done();
            fired = i2c_model_stats()->faults_fired == 1;
            assert_int_equal(cb.calls, 1);
            if (fired && fault_cases[c].must_fail && cb.status == NVRAM_OK)
                fail_msg("fault %d at frame %u: read reported OK", fault_cases[c].kind, frame);
            if (cb.status == NVRAM_OK)
                assert_int_equal(cb.count, FAULT_LEN);
            else
                assert_int_equal(cb.status, NVRAM_EIO);
            /* What is reported read is what the chip holds. */
            assert_memory_equal(back, buf, cb.count);
        }
    }
}

static void test_bus_errors_are_named_in_the_log(void **state)
{
    (void)state;
    i2c_model_fault_at(3, I2C_MODEL_FAULT_NACK, 0);
    assert_int_equal(nvram_write_blocking(dev, buf, 0x40, 4, NULL), NVRAM_EIO);
    assert_non_null(strstr(logbuf, "WARN  fram: i2c error at 0x40: no ACK"));
    i2c_model_fault_at(3, I2C_MODEL_FAULT_SDA_LOW, I2C_MODEL_FOREVER);
    assert_int_equal(nvram_write_blocking(dev, buf, 0x80, 4, NULL), NVRAM_EIO);
    assert_non_null(strstr(logbuf, "WARN  fram: i2c error at 0x80: bus stuck (a line held low)"));
    /* Until the slave lets go, every request fails at once, cleanly. */
    assert_int_equal(nvram_read_blocking(dev, back, 0, 1, NULL), NVRAM_EIO);
    i2c_model_set_sda_stuck(0);
    assert_int_equal(nvram_read_blocking(dev, back, 0, 1, NULL), NVRAM_OK);
}

/* Parts past 64 KiB: 64 KiB pages at consecutive bus addresses. */
#define KIB128    (2u * I2C_FRAM_PAGE_SIZE)
#define KIB256    (4u * I2C_FRAM_PAGE_SIZE)
#define CROSS_LEN 300u

static void large_part(uint32_t size)
{
    i2c_model_reset(DEV_ADDR, size);
    i2c_fram_init(&fram, &sb.bus, DEV_ADDR, size);
}

static void test_probe_128k_part_checks_both_addresses(void **state)
{
    (void)state;
    large_part(KIB128);
    assert_true(i2c_fram_probe(&fram));
    assert_int_equal(nvram_size(dev), KIB128);
    assert_non_null(strstr(logbuf, "INFO  fram: FRAM present at i2c 0x50..0x51, 131072 bytes"));
    /* One read at the last byte of each page, each at its own address. */
    assert_int_equal(i2c_model_log_len(), 2);
    assert_int_equal(i2c_model_log(0)->mem, KIB128 - 1);
    assert_int_equal(i2c_model_log(1)->mem, I2C_FRAM_PAGE_SIZE - 1);
}

static void test_probe_128k_board_on_64k_chip_is_absent(void **state)
{
    (void)state;
    i2c_fram_init(&fram, &sb.bus, DEV_ADDR, KIB128); /* the model is 32 KiB at 0x50 */
    assert_false(i2c_fram_probe(&fram));
    assert_int_equal(nvram_size(dev), 0);
    assert_non_null(strstr(logbuf, "WARN  fram: FRAM absent (i2c 0x51: no ACK)"));
}

static void test_large_part_bad_configurations(void **state)
{
    static const struct {
        uint8_t addr7;
        uint32_t size;
    } bad[] = {
        {DEV_ADDR, KIB128 + 1},              /* not whole pages */
        {DEV_ADDR, 3u * I2C_FRAM_PAGE_SIZE}, /* 3 pages: no such address bits */
        {DEV_ADDR, 2u * KIB256},             /* past the limit */
        {DEV_ADDR + 1u, KIB128},             /* page bit of the base set */
        {DEV_ADDR + 2u, KIB256},             /* page bits of the base set */
        {I2C_ADDR7_LIMIT - 2u, KIB256},      /* pages past the 7-bit range */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        loglen = 0;
        i2c_fram_init(&fram, &sb.bus, bad[i].addr7, bad[i].size);
        assert_false(i2c_fram_probe(&fram));
        assert_non_null(strstr(logbuf, "ERROR fram: bad configuration"));
    }
    assert_int_equal(i2c_model_stats()->starts, 0);
    /* The largest part at an aligned base is fine. */
    large_part(KIB256);
    assert_true(i2c_fram_probe(&fram));
    assert_non_null(strstr(logbuf, "present at i2c 0x50..0x53, 262144 bytes"));
}

/* One write and one read across the page boundary at `boundary`. */
static void cross_once(uint32_t boundary, uint8_t seed)
{
    const uint32_t at = boundary - 16u; /* 16 bytes below: a short first chunk */
    size_t i, n0 = i2c_model_log_len();

    fill(buf, CROSS_LEN, seed);
    assert_int_equal(nvram_write_blocking(dev, buf, at, CROSS_LEN, NULL), NVRAM_OK);
    assert_memory_equal(i2c_model_mem() + at, buf, CROSS_LEN);
    /* No transaction spans the boundary: the chip would wrap to the start
     * of the page instead. */
    for (i = n0; i < i2c_model_log_len(); i++) {
        const struct i2c_model_tx *tx = i2c_model_log(i);

        assert_true(tx->mem >= boundary || tx->mem + tx->bytes <= boundary);
    }
    assert_int_equal(i2c_model_log(n0)->mem, at);
    assert_int_equal(i2c_model_log(n0)->bytes, 16);
    assert_int_equal(i2c_model_log(n0 + 1)->mem, boundary);
    memset(back, 0, CROSS_LEN);
    assert_int_equal(nvram_read_blocking(dev, back, at, CROSS_LEN, NULL), NVRAM_OK);
    assert_memory_equal(back, buf, CROSS_LEN);
}

static void test_transfers_across_64k_pages(void **state)
{
    uint32_t b;

    (void)state;
    large_part(KIB128);
    assert_true(i2c_fram_probe(&fram));
    i2c_model_clear_history();
    cross_once(I2C_FRAM_PAGE_SIZE, 1);
    /* Nothing landed at the start of either page (no wrap). */
    assert_int_equal(i2c_model_mem()[0], 0);
    assert_int_equal(i2c_model_mem()[I2C_FRAM_PAGE_SIZE + CROSS_LEN], 0);
    /* Both ends of a 128 KiB part. */
    assert_int_equal(nvram_write_blocking(dev, buf, KIB128 - 1, 1, NULL), NVRAM_OK);
    assert_int_equal(i2c_model_mem()[KIB128 - 1], buf[0]);
    assert_int_equal(nvram_read(dev, back, KIB128, 1), NVRAM_ERANGE);

    large_part(KIB256);
    assert_true(i2c_fram_probe(&fram));
    i2c_model_clear_history();
    for (b = I2C_FRAM_PAGE_SIZE; b < KIB256; b += I2C_FRAM_PAGE_SIZE)
        cross_once(b, (uint8_t)(b >> 16));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_probe_present, setup),
        cmocka_unit_test_setup(test_probe_absent_then_requests_fail, setup),
        cmocka_unit_test_setup(test_probe_stuck_bus, setup),
        cmocka_unit_test_setup(test_probe_bad_configuration, setup),
        cmocka_unit_test_setup(test_write_is_chunked_and_async, setup_probed),
        cmocka_unit_test_setup(test_read_is_chunked, setup_probed),
        cmocka_unit_test_setup(test_both_ends_and_whole_device, setup_probed),
        cmocka_unit_test_setup(test_out_of_range_rejected_before_bus, setup_probed),
        cmocka_unit_test_setup(test_bad_arguments, setup_probed),
        cmocka_unit_test_setup(test_busy_while_in_flight, setup_probed),
        cmocka_unit_test_setup(test_zero_length_and_flush_complete_later, setup_probed),
        cmocka_unit_test_setup(test_next_op_from_callback, setup_probed),
        cmocka_unit_test_setup(test_device_lost_mid_write, setup_probed),
        cmocka_unit_test_setup(test_stuck_bus_mid_read_then_recovery, setup_probed),
        cmocka_unit_test_setup(test_every_byte_fault_during_a_write, setup_probed),
        cmocka_unit_test_setup(test_every_byte_fault_during_a_read, setup_probed),
        cmocka_unit_test_setup(test_bus_errors_are_named_in_the_log, setup_probed),
        cmocka_unit_test_setup(test_probe_128k_part_checks_both_addresses, setup),
        cmocka_unit_test_setup(test_probe_128k_board_on_64k_chip_is_absent, setup),
        cmocka_unit_test_setup(test_large_part_bad_configurations, setup),
        cmocka_unit_test_setup(test_transfers_across_64k_pages, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
