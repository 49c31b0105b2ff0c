/*
 * The storage capsule (0x50004) over the real I2C FRAM driver and SBCon
 * driver, on the bit-level FRAM model: a NACK (or a held-low SDA) at any byte
 * of an app's write or read reaches the app as FAIL, and the length the
 * upcall reports was acknowledged by the chip and holds the app's bytes.
 * Only commands are used, so the test does not depend on the on-FRAM format.
 */
// clang-format off
/* HOST_TEST_SRCS: capsules/nv_storage.c capsules/nv_region.c drivers/i2c_fram.c drivers/sbcon_i2c.c hal/nvram.c kernel/deferred.c kernel/fmt.c kernel/log.c tests/host/support/log_text.c tests/host/support/fake_kernel.c tests/host/support/i2c_fram_model.c */
// clang-format on
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/nv_storage.h"
#include "drivers/i2c_fram.h"
#include "drivers/sbcon_i2c.h"
#include "kernel/deferred.h"
#include "kernel/log.h"
#include "tests/host/support/fake_kernel.h"
#include "tests/host/support/i2c_fram_model.h"

#define DEV_ADDR    0x50u
#define DEV_SIZE    32768u
#define REGION_SIZE 1024u
#define OWNER       0x77u
#define SLOT        0u
#define XFER_OFF    7u
#define XFER_LEN    150u /* three I2C chunks */

static struct sbcon_i2c sb;
static struct i2c_fram fram;
static struct nvs_capsule cap;
static struct nvs_config cfg;
static uint8_t chip[DEV_SIZE]; /* the chip after the owner's region exists */
static uint8_t data[XFER_LEN], back[XFER_LEN];
static proc_id_t pid;

static void quiet(const char *s, size_t len)
{
    (void)s;
    (void)len;
}

static void run(void)
{
    while (deferred_any_pending())
        deferred_run();
}

/* Issue a command and take its upcall: returns the upcall's status; *len
 * gets its length argument. */
static uint32_t call(uint32_t cmd, uint32_t arg, uint32_t *len)
{
    const struct driver *drv = nvs_driver(&cap);
    struct syscall_ret r = command_ret_unpack(drv->command(drv, pid, cmd, arg, 0));
    struct fk_upcall up;

    assert_int_equal(r.variant, RET_SUCCESS);
    run();
    assert_true(fk_upcall_take(pid, &up));
    if (len != NULL)
        *len = up.a1;
    return up.a0;
}

/* Power on over `image`: bus, driver, probe, capsule boot scan, one app. */
static void boot(const uint8_t *image)
{
    struct storage_perms perms = fk_perms_owner(OWNER);

    i2c_model_reset(DEV_ADDR, DEV_SIZE);
    memcpy(i2c_model_mem(), image, DEV_SIZE);
    sbcon_i2c_init(&sb, I2C_MODEL_BASE, 0);
    i2c_fram_init(&fram, &sb.bus, DEV_ADDR, DEV_SIZE);
    assert_true(i2c_fram_probe(&fram));
    fk_reset();
    memset(&cfg, 0, sizeof(cfg));
    cfg.dev = &fram.nv;
    cfg.area_start = 0;
    cfg.area_len = DEV_SIZE;
    cfg.region_size = REGION_SIZE;
    nvs_init(&cap, &cfg);
    run();
    pid = fk_spawn(SLOT, &perms);
}

static uint32_t app_write(uint32_t *len)
{
    fk_allow_ro(pid, NVS_ALLOW_RO_WRITE, data, XFER_LEN);
    return call(NVS_CMD_WRITE, XFER_OFF, len);
}

static uint32_t app_read(uint32_t *len)
{
    fk_allow_rw(pid, NVS_ALLOW_RW_READ, back, XFER_LEN);
    return call(NVS_CMD_READ, XFER_OFF, len);
}

static int setup(void **state)
{
    static const uint8_t fresh[DEV_SIZE];
    size_t i;

    (void)state;
    log_set_sink(quiet);
    for (i = 0; i < XFER_LEN; i++)
        data[i] = (uint8_t)(0xC3u ^ (i * 13u));
    /* The owner's region is allocated once, without faults. */
    boot(fresh);
    assert_int_equal(call(NVS_CMD_GET_SIZE, 0, NULL), TOCK_SUCCESS);
    memcpy(chip, i2c_model_mem(), DEV_SIZE);
    return 0;
}

/* Frames of one clean command after a boot (to know where to plant). */
static uint32_t frames_of(uint32_t (*op)(uint32_t *))
{
    uint32_t len;

    boot(chip);
    i2c_model_clear_history();
    assert_int_equal(op(&len), TOCK_SUCCESS);
    assert_int_equal(len, XFER_LEN);
    assert_true(i2c_model_stats()->frames > XFER_LEN);
    return i2c_model_stats()->frames;
}

static void test_fault_at_any_byte_of_a_write_fails_the_app(void **state)
{
    static const enum i2c_model_fault kinds[] = {I2C_MODEL_FAULT_NACK, I2C_MODEL_FAULT_SDA_LOW};
    uint32_t frames = frames_of(app_write), frame, status, claimed, acked, n;
    size_t k;

    (void)state;
    for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        for (frame = 0; frame < frames; frame++) {
            boot(chip);
            i2c_model_clear_history();
            i2c_model_fault_at(frame, kinds[k], I2C_MODEL_FOREVER);
            status = app_write(&claimed);
            acked = i2c_model_stats()->data_acked;
            if (i2c_model_stats()->faults_fired == 1 && status != TOCK_EFAIL)
                fail_msg("fault %d at frame %u of %u: the app got %u", kinds[k], frame, frames,
                         status);
            if (status == TOCK_EFAIL && claimed > acked)
                fail_msg("fault %d at frame %u: %u bytes claimed, %u acknowledged", kinds[k], frame,
                         claimed, acked);
            /* After the fault clears, the app reads back what was claimed. */
            i2c_model_set_sda_stuck(0);
            assert_int_equal(app_read(&n), TOCK_SUCCESS);
            assert_memory_equal(back, data, claimed);
        }
    }
}

static void test_nack_at_any_byte_of_a_read_fails_the_app(void **state)
{
    uint32_t frames, frame, status, len;

    (void)state;
    boot(chip);
    assert_int_equal(app_write(&len), TOCK_SUCCESS);
    memcpy(chip, i2c_model_mem(), DEV_SIZE);
    frames = frames_of(app_read);
    for (frame = 0; frame < frames; frame++) {
        boot(chip);
        i2c_model_clear_history();
        i2c_model_fault_at(frame, I2C_MODEL_FAULT_NACK, 0);
        memset(back, 0, sizeof(back));
        status = app_read(&len);
        if (i2c_model_stats()->faults_fired == 1 && status != TOCK_EFAIL)
            fail_msg("NACK at frame %u of %u: the app got %u", frame, frames, status);
        if (status == TOCK_SUCCESS)
            assert_memory_equal(back, data, XFER_LEN);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fault_at_any_byte_of_a_write_fails_the_app, setup),
        cmocka_unit_test_setup(test_nack_at_any_byte_of_a_read_fails_the_app, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
