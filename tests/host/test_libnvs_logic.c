/* libnvstorage plain logic: CRC-32, error mapping and text, span arithmetic
 * of pread/pwrite, slot header encoding and the slot choice rule. */
/* clang-format off */
/* HOST_TEST_SRCS: libnvstorage/nvs_error.c libnvstorage/nvs_crc32.c libnvstorage/nvs_posix.c libnvstorage/nvs_slot.c libnvstorage/host/nvs_fake.c */
/* clang-format on */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_crc32.h"
#include "libnvstorage/nvs_posix.h"
#include "libnvstorage/nvs_slot.h"

static void crc32_matches_standard_check_values(void **state)
{
    (void)state;
    assert_int_equal(nvs_crc32(0, "123456789", 9), 0xCBF43926u);
    assert_int_equal(nvs_crc32(0, "", 0), 0);
    assert_int_equal(nvs_crc32(0, "a", 1), 0xE8B7BE43u);
    assert_int_equal(nvs_crc32(0, "The quick brown fox jumps over the lazy dog", 43), 0x414FA339u);
}

static void crc32_continues_across_pieces(void **state)
{
    (void)state;
    uint32_t part = nvs_crc32(0, "12345", 5);
    assert_int_equal(nvs_crc32(part, "6789", 4), 0xCBF43926u);
}

static void crc32_sees_single_bit_flips(void **state)
{
    (void)state;
    uint8_t buf[64];
    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 7);
    uint32_t good = nvs_crc32(0, buf, sizeof(buf));
    for (unsigned bit = 0; bit < sizeof(buf) * 8; bit++) {
        buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_not_equal(nvs_crc32(0, buf, sizeof(buf)), good);
        buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
}

static void every_kernel_code_maps_to_its_own_error(void **state)
{
    (void)state;
    assert_int_equal(nvs_from_tock(TOCK_SUCCESS), NVS_OK);
    for (uint32_t code = TOCK_EFAIL; code <= TOCK_ENOACK; code++) {
        int err = nvs_from_tock(code);
        assert_int_equal(err, -(int)code);
        assert_string_not_equal(nvs_strerror(err), nvs_strerror(NVS_ERR_UNKNOWN));
        assert_string_not_equal(nvs_strerror(err), "unknown libnvstorage error");
    }
    assert_int_equal(nvs_from_tock(TOCK_EBADRVAL), NVS_ERR_BADRVAL);
    assert_int_equal(nvs_from_tock(TOCK_ENOACK + 1), NVS_ERR_UNKNOWN);
    assert_int_equal(nvs_from_tock(0xFFFFFFFFu), NVS_ERR_UNKNOWN);
}

static void every_error_has_distinct_text(void **state)
{
    (void)state;
    static const int all[] = {
        NVS_OK,
        NVS_ERR_FAIL,
        NVS_ERR_BUSY,
        NVS_ERR_ALREADY,
        NVS_ERR_OFF,
        NVS_ERR_RESERVE,
        NVS_ERR_INVAL,
        NVS_ERR_SIZE,
        NVS_ERR_CANCEL,
        NVS_ERR_NOMEM,
        NVS_ERR_NOSUPPORT,
        NVS_ERR_NODEVICE,
        NVS_ERR_UNINSTALLED,
        NVS_ERR_NOACK,
        NVS_ERR_BADRVAL,
        NVS_ERR_ARG,
        NVS_ERR_PAST_END,
        NVS_ERR_NO_SPACE,
        NVS_ERR_SHORT,
        NVS_ERR_NO_RECORD,
        NVS_ERR_UNKNOWN,
        NVS_ERR_NOT_FOUND,
        NVS_ERR_KEY_TOO_LONG,
        NVS_ERR_VALUE_TOO_LONG,
        NVS_ERR_CORRUPT,
    };
    size_t n = sizeof(all) / sizeof(all[0]);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(nvs_strerror(all[i]), nvs_strerror(all[j]));
    assert_string_equal(nvs_strerror(12345), "unknown libnvstorage error");
    assert_non_null(strstr(nvs_strerror(NVS_ERR_NOSUPPORT), "NOSUPPORT"));
}

static void errors_map_to_errno(void **state)
{
    (void)state;
    assert_int_equal(nvs_to_errno(NVS_OK), 0);
    assert_int_equal(nvs_to_errno(NVS_ERR_PAST_END), ENXIO);
    assert_int_equal(nvs_to_errno(NVS_ERR_NO_SPACE), ENOSPC);
    assert_int_equal(nvs_to_errno(NVS_ERR_NOSUPPORT), EACCES);
    assert_int_equal(nvs_to_errno(NVS_ERR_NODEVICE), ENODEV);
    assert_int_equal(nvs_to_errno(NVS_ERR_BUSY), EBUSY);
    assert_int_equal(nvs_to_errno(NVS_ERR_INVAL), EINVAL);
    assert_int_equal(nvs_to_errno(NVS_ERR_FAIL), EIO);
    assert_int_equal(nvs_to_errno(NVS_ERR_NOT_FOUND), ENOENT);
    assert_int_equal(nvs_to_errno(NVS_ERR_KEY_TOO_LONG), ENAMETOOLONG);
    assert_int_equal(nvs_to_errno(NVS_ERR_VALUE_TOO_LONG), EFBIG);
    assert_int_equal(nvs_to_errno(NVS_ERR_CORRUPT), EIO);
}

static void span_clamps_at_the_end_of_the_region(void **state)
{
    (void)state;
    size_t n = 99;
    /* Inside. */
    assert_int_equal(nvs_span(100, 0, 10, &n), NVS_OK);
    assert_int_equal(n, 10);
    /* Ends exactly at the end. */
    assert_int_equal(nvs_span(100, 90, 10, &n), NVS_OK);
    assert_int_equal(n, 10);
    /* Runs past: short. */
    assert_int_equal(nvs_span(100, 95, 10, &n), NVS_OK);
    assert_int_equal(n, 5);
    /* At the end: zero. */
    assert_int_equal(nvs_span(100, 100, 10, &n), NVS_OK);
    assert_int_equal(n, 0);
    /* Past the end: error, n untouched. */
    n = 77;
    assert_int_equal(nvs_span(100, 101, 10, &n), NVS_ERR_PAST_END);
    assert_int_equal(n, 77);
    assert_int_equal(nvs_span(100, UINT64_MAX, 1, &n), NVS_ERR_PAST_END);
    /* Zero-sized region. */
    assert_int_equal(nvs_span(0, 0, 10, &n), NVS_OK);
    assert_int_equal(n, 0);
    /* Huge length does not wrap. */
    assert_int_equal(nvs_span(100, 50, SIZE_MAX, &n), NVS_OK);
    assert_int_equal(n, 50);
    /* A 64-bit region larger than size_t lengths. */
    assert_int_equal(nvs_span(UINT64_MAX, 1, 8, &n), NVS_OK);
    assert_int_equal(n, 8);
}

static void slot_header_round_trips_little_endian(void **state)
{
    (void)state;
    struct nvs_slot_hdr h = {NVS_SLOT_MAGIC, 0x01020304u, 0xA0B0C0D0u, 0xDEADBEEFu}, back;
    uint8_t raw[NVS_SLOT_HDR_SIZE];
    nvs_slot_encode(&h, raw);
    assert_int_equal(raw[0], 0x4E); /* 'N' */
    assert_int_equal(raw[3], 0x31); /* '1' */
    assert_int_equal(raw[4], 0x04);
    assert_int_equal(raw[7], 0x01);
    assert_int_equal(raw[15], 0xDE);
    nvs_slot_decode(raw, &back);
    assert_memory_equal(&h, &back, sizeof(h));
}

static void slot_crc_start_covers_magic_seq_and_size_only(void **state)
{
    (void)state;
    struct nvs_slot_hdr a = {NVS_SLOT_MAGIC, 5, 10, 0}, b = a;
    b.crc = 1234;
    assert_int_equal(nvs_slot_crc_start(&a), nvs_slot_crc_start(&b));
    b.seq = 6;
    assert_int_not_equal(nvs_slot_crc_start(&a), nvs_slot_crc_start(&b));
    b = a;
    b.size = 11;
    assert_int_not_equal(nvs_slot_crc_start(&a), nvs_slot_crc_start(&b));
}

static void newer_is_serial_number_order(void **state)
{
    (void)state;
    assert_true(nvs_slot_newer(2, 1));
    assert_false(nvs_slot_newer(1, 2));
    assert_false(nvs_slot_newer(7, 7));
    assert_true(nvs_slot_newer(0, 0xFFFFFFFFu)); /* wrapped */
    assert_true(nvs_slot_newer(3, 0xFFFFFFFEu));
    assert_false(nvs_slot_newer(0xFFFFFFFFu, 0));
}

static void pick_takes_the_newest_valid_slot(void **state)
{
    (void)state;
    assert_int_equal(nvs_slot_pick(false, 0, false, 0), NVS_SLOT_NONE);
    assert_int_equal(nvs_slot_pick(true, 4, false, 9), 0);
    assert_int_equal(nvs_slot_pick(false, 9, true, 4), 1);
    assert_int_equal(nvs_slot_pick(true, 4, true, 5), 1);
    assert_int_equal(nvs_slot_pick(true, 5, true, 4), 0);
    assert_int_equal(nvs_slot_pick(true, 0xFFFFFFFFu, true, 0), 1); /* wrap */
    assert_int_equal(nvs_slot_pick(true, 3, true, 3), 0);
}

static void next_goes_to_the_other_slot(void **state)
{
    (void)state;
    int target;
    uint32_t seq;
    nvs_slot_next(NVS_SLOT_NONE, 0, &target, &seq);
    assert_int_equal(target, 0);
    assert_int_equal(seq, 1);
    nvs_slot_next(0, 1, &target, &seq);
    assert_int_equal(target, 1);
    assert_int_equal(seq, 2);
    nvs_slot_next(1, 0xFFFFFFFFu, &target, &seq);
    assert_int_equal(target, 0);
    assert_int_equal(seq, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc32_matches_standard_check_values),
        cmocka_unit_test(crc32_continues_across_pieces),
        cmocka_unit_test(crc32_sees_single_bit_flips),
        cmocka_unit_test(every_kernel_code_maps_to_its_own_error),
        cmocka_unit_test(every_error_has_distinct_text),
        cmocka_unit_test(errors_map_to_errno),
        cmocka_unit_test(span_clamps_at_the_end_of_the_region),
        cmocka_unit_test(slot_header_round_trips_little_endian),
        cmocka_unit_test(slot_crc_start_covers_magic_seq_and_size_only),
        cmocka_unit_test(newer_is_serial_number_order),
        cmocka_unit_test(pick_takes_the_newest_valid_slot),
        cmocka_unit_test(next_goes_to_the_other_slot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
