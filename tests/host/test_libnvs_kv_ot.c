/* The OpenThread-style settings adaptor (nvs_ot_settings.h) over the fake
 * region: get/set/add/delete/wipe with OpenThread's semantics and error
 * numbers, persistence across init, and errors at the limits. */
/* clang-format off */
/* HOST_TEST_SRCS: libnvstorage/nvs_error.c libnvstorage/nvs_crc32.c libnvstorage/nvs_kv.c libnvstorage/nvs_kv_format.c libnvstorage/nvs_kv_frame.c libnvstorage/nvs_kv_index.c libnvstorage/nvs_kv_scan.c libnvstorage/nvs_ot_settings.c libnvstorage/host/nvs_fake.c */
/* clang-format on */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "libnvstorage/host/nvs_fake.h"
#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_ot_settings.h"

#define REGION      4096u
#define AREA_OFF    512u
#define AREA        2048u
#define KEY_DATASET 1
#define KEY_CHILD   5

static struct nvs_ots ots;

static int setup(void **state)
{
    (void)state;
    nvs_fake_reset(REGION);
    nvs_fake_guard(AREA_OFF, AREA_OFF + AREA);
    assert_int_equal(nvs_ots_init(&ots, AREA_OFF, AREA), NVS_OK);
    return 0;
}

static void error_numbers_are_openthreads(void **state)
{
    (void)state;
    assert_int_equal(NVS_OTS_ERROR_NONE, 0);
    assert_int_equal(NVS_OTS_ERROR_FAILED, 1);
    assert_int_equal(NVS_OTS_ERROR_NO_BUFS, 3);
    assert_int_equal(NVS_OTS_ERROR_INVALID_ARGS, 7);
    assert_int_equal(NVS_OTS_ERROR_NOT_FOUND, 23);
}

static void set_get_and_length_queries(void **state)
{
    (void)state;
    uint8_t buf[16];
    uint16_t len = sizeof(buf);
    assert_int_equal(nvs_ots_get(&ots, KEY_DATASET, 0, buf, &len), NVS_OTS_ERROR_NOT_FOUND);
    assert_int_equal(nvs_ots_set(&ots, KEY_DATASET, (const uint8_t *)"dataset-1", 9),
                     NVS_OTS_ERROR_NONE);
    len = sizeof(buf);
    assert_int_equal(nvs_ots_get(&ots, KEY_DATASET, 0, buf, &len), NVS_OTS_ERROR_NONE);
    assert_int_equal(len, 9);
    assert_memory_equal(buf, "dataset-1", 9);
    len = 4; /* a short buffer: cut copy, full length back */
    memset(buf, 0, sizeof(buf));
    assert_int_equal(nvs_ots_get(&ots, KEY_DATASET, 0, buf, &len), NVS_OTS_ERROR_NONE);
    assert_int_equal(len, 9);
    assert_memory_equal(buf, "data\0", 5);
    len = 0;
    assert_int_equal(nvs_ots_get(&ots, KEY_DATASET, 0, NULL, &len), NVS_OTS_ERROR_NONE);
    assert_int_equal(len, 9);
    assert_int_equal(nvs_ots_get(&ots, KEY_DATASET, 0, NULL, NULL), NVS_OTS_ERROR_NONE);
    assert_int_equal(nvs_ots_get(&ots, KEY_DATASET, 1, NULL, NULL), NVS_OTS_ERROR_NOT_FOUND);
    assert_int_equal(nvs_ots_get(&ots, KEY_DATASET, -1, NULL, NULL), NVS_OTS_ERROR_INVALID_ARGS);
    assert_int_equal(nvs_ots_set(&ots, 2, NULL, 3), NVS_OTS_ERROR_INVALID_ARGS);
    assert_int_equal(ots.last_err, NVS_ERR_ARG);
}

static void add_and_delete_by_index_then_all(void **state)
{
    (void)state;
    uint8_t c;
    uint16_t len = 1;
    for (uint8_t i = 0; i < 4; i++)
        assert_int_equal(nvs_ots_add(&ots, KEY_CHILD, &i, 1), NVS_OTS_ERROR_NONE);
    assert_int_equal(nvs_ots_delete(&ots, KEY_CHILD, 1), NVS_OTS_ERROR_NONE);
    assert_int_equal(nvs_ots_init(&ots, AREA_OFF, AREA), NVS_OK); /* a reboot */
    assert_int_equal(nvs_ots_get(&ots, KEY_CHILD, 1, &c, &len), NVS_OTS_ERROR_NONE);
    assert_int_equal(c, 2);
    assert_int_equal(nvs_ots_delete(&ots, KEY_CHILD, 3), NVS_OTS_ERROR_NOT_FOUND); /* one past */
    assert_int_equal(nvs_ots_delete(&ots, KEY_CHILD, 2), NVS_OTS_ERROR_NONE);      /* the last */
    assert_int_equal(nvs_ots_delete(&ots, KEY_CHILD, -2), NVS_OTS_ERROR_INVALID_ARGS);
    assert_int_equal(nvs_ots_delete(&ots, KEY_CHILD, -1), NVS_OTS_ERROR_NONE);
    assert_int_equal(nvs_ots_get(&ots, KEY_CHILD, 0, NULL, NULL), NVS_OTS_ERROR_NOT_FOUND);
    assert_int_equal(nvs_ots_delete(&ots, KEY_CHILD, -1), NVS_OTS_ERROR_NOT_FOUND);
    /* set replaces a list with one value */
    assert_int_equal(nvs_ots_add(&ots, KEY_CHILD, (const uint8_t *)"a", 1), NVS_OTS_ERROR_NONE);
    assert_int_equal(nvs_ots_add(&ots, KEY_CHILD, (const uint8_t *)"b", 1), NVS_OTS_ERROR_NONE);
    assert_int_equal(nvs_ots_set(&ots, KEY_CHILD, (const uint8_t *)"c", 1), NVS_OTS_ERROR_NONE);
    assert_int_equal(nvs_ots_get(&ots, KEY_CHILD, 1, NULL, NULL), NVS_OTS_ERROR_NOT_FOUND);
}

static void wipe_and_space_errors(void **state)
{
    (void)state;
    static uint8_t big[NVS_KV_VALUE_MAX + 1];
    assert_int_equal(nvs_ots_set(&ots, 9, big, NVS_KV_VALUE_MAX + 1), NVS_OTS_ERROR_NO_BUFS);
    assert_int_equal(ots.last_err, NVS_ERR_VALUE_TOO_LONG);
    /* NVS_OTS_MAX_VALUES values fit in the index, one more does not. */
    for (unsigned i = 0; i < NVS_OTS_MAX_VALUES; i++)
        assert_int_equal(nvs_ots_add(&ots, 7, big, 1), NVS_OTS_ERROR_NONE);
    assert_int_equal(nvs_ots_add(&ots, 7, big, 1), NVS_OTS_ERROR_NO_BUFS);
    assert_int_equal(nvs_ots_wipe(&ots), NVS_OTS_ERROR_NONE);
    assert_int_equal(nvs_ots_get(&ots, 7, 0, NULL, NULL), NVS_OTS_ERROR_NOT_FOUND);
    assert_int_equal(nvs_ots_init(&ots, AREA_OFF, AREA), NVS_OK);
    assert_int_equal(nvs_ots_get(&ots, 7, 0, NULL, NULL), NVS_OTS_ERROR_NOT_FOUND);
    nvs_fake_fail_next(NVS_FAKE_WRITE, NVS_ERR_FAIL);
    assert_int_equal(nvs_ots_set(&ots, 1, big, 2), NVS_OTS_ERROR_FAILED);
    assert_int_equal(nvs_ots_init(NULL, 0, AREA), NVS_ERR_ARG);
    assert_int_equal(nvs_ots_get(NULL, 1, 0, NULL, NULL), NVS_OTS_ERROR_INVALID_ARGS);
    assert_int_equal(nvs_ots_set(NULL, 1, big, 1), NVS_OTS_ERROR_INVALID_ARGS);
    assert_int_equal(nvs_ots_delete(NULL, 1, 0), NVS_OTS_ERROR_INVALID_ARGS);
    assert_int_equal(nvs_ots_wipe(NULL), NVS_OTS_ERROR_INVALID_ARGS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_numbers_are_openthreads),
        cmocka_unit_test_setup(set_get_and_length_queries, setup),
        cmocka_unit_test_setup(add_and_delete_by_index_then_all, setup),
        cmocka_unit_test_setup(wipe_and_space_errors, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
