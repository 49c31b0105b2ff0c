/*
 * Host tests of the kernel's TBF parser (kernel/tbf.c): every error code,
 * every TLV it decodes, and the lies an image can tell about its lengths.
 *
 * Each parse runs on a heap copy exactly `avail` bytes long, so the
 * sanitizer build turns any read past the area into a failure.
 */
/* HOST_TEST_SRCS: kernel/tbf.c tests/host/support/tbf_builder.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/tbf.h"
#include "tests/host/support/tbf_builder.h"

#define GOOD_TOTAL      512
#define GOOD_MIN_RAM    4096
#define BASE            TBF_BASE_HEADER_SIZE
#define OFF_HEADER_SIZE 2
#define OFF_TOTAL_SIZE  4
#define OFF_FLAGS       8
#define OFF_CHECKSUM    12
#define PROGRAM_TLV_LEN 24 /* type+length+20 */
#define UNKNOWN_TLV     0x4242
#define ALL_ONES32      0xFFFFFFFFu

static struct tbfb b;
static struct tbf_info info;

/* Parses the first avail bytes of the builder's buffer from a tight copy. */
static enum tbf_error parse_n(uint32_t avail)
{
    uint8_t *copy = malloc(avail ? avail : 1);
    assert_non_null(copy);
    memcpy(copy, b.buf, avail);
    enum tbf_error err = tbf_parse(copy, avail, &info);
    free(copy);
    return err;
}

static enum tbf_error parse_all(void)
{
    return parse_n(b.total_size);
}

/* Header bytes for an app: Program TLV with the given values, finished. */
static void program_app(uint32_t total, uint32_t flags, uint32_t init_fn, uint32_t prot,
                        uint32_t binary_end)
{
    tbfb_init(&b, total, flags);
    tbfb_program(&b, init_fn, prot, GOOD_MIN_RAM, binary_end, 0);
    tbfb_finish(&b);
}

/* ------------------------------------------------------------ good images */

static void test_good_program_app(void **state)
{
    (void)state;
    tbfb_good_app(&b, "hello");
    assert_int_equal(parse_all(), TBF_OK);
    assert_int_equal(info.version, TBF_VERSION);
    assert_int_equal(info.header_size, b.hdr_len);
    assert_int_equal(info.total_size, GOOD_TOTAL);
    assert_true(info.enabled);
    assert_true(info.has_program);
    assert_int_equal(info.init_fn_offset, 1);
    assert_int_equal(info.protected_size, 0);
    assert_int_equal(info.min_ram_size, GOOD_MIN_RAM);
    assert_int_equal(info.binary_end_offset, b.hdr_len + 64);
    assert_string_equal(info.name, "hello");
    assert_true(info.has_kernel_version);
    assert_int_equal(info.kernel_major, 2);
    assert_int_equal(info.kernel_minor, 0);
    assert_false(info.storage.present);
    assert_false(info.has_short_id);
    assert_false(info.has_fixed_addresses);
}

static void test_main_header(void **state)
{
    (void)state;
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_main(&b, 0x21, 0x10, 2048);
    tbfb_name(&b, "old");
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_false(info.has_program);
    assert_int_equal(info.init_fn_offset, 0x21);
    assert_int_equal(info.protected_size, 0x10);
    assert_int_equal(info.min_ram_size, 2048);
    /* Without Program the binary runs to the end of the image. */
    assert_int_equal(info.binary_end_offset, GOOD_TOTAL);
    assert_int_equal(info.app_version, 0);
}

static void test_program_preferred_over_main(void **state)
{
    (void)state;
    /* Main first, then Program: Program's values win, as in Tock. */
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_main(&b, 0x11, 0, 100);
    tbfb_program(&b, 0x41, 0, 200, 300, 7);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_true(info.has_program);
    assert_int_equal(info.init_fn_offset, 0x41);
    assert_int_equal(info.min_ram_size, 200);
    assert_int_equal(info.binary_end_offset, 300);
    assert_int_equal(info.app_version, 7);
}

static void test_first_main_wins(void **state)
{
    (void)state;
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_main(&b, 0x11, 0, 100);
    tbfb_main(&b, 0x13, 0, 999);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_int_equal(info.init_fn_offset, 0x11);
    assert_int_equal(info.min_ram_size, 100);
}

static void test_disabled_app_parses(void **state)
{
    (void)state;
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_STICKY); /* enable bit clear */
    tbfb_program(&b, 1, 0, GOOD_MIN_RAM, 100, 0);
    tbfb_name(&b, "off");
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_false(info.enabled);
    assert_int_equal(info.flags, TBF_FLAG_STICKY);
    assert_string_equal(info.name, "off");
}

static void test_padding_image_disabled_without_main(void **state)
{
    (void)state;
    /* A bare base header with flags 0 is padding: OK, disabled, no entry. */
    tbfb_init(&b, GOOD_TOTAL, 0);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_false(info.enabled);
    assert_false(info.has_program);
    assert_int_equal(info.header_size, BASE);
}

static void test_storage_permissions(void **state)
{
    (void)state;
    const uint32_t reads[] = {0x10, 0x20, 0x30};
    const uint32_t mods[] = {0x40};
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_program(&b, 1, 0, GOOD_MIN_RAM, 200, 0);
    tbfb_storage(&b, 0xABCD, 3, reads, 1, mods);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_true(info.storage.present);
    assert_int_equal(info.storage.write_id, 0xABCD);
    assert_int_equal(info.storage.num_read, 3);
    assert_memory_equal(info.storage.read_ids, reads, sizeof(reads));
    assert_int_equal(info.storage.num_modify, 1);
    assert_int_equal(info.storage.modify_ids[0], 0x40);
}

static void test_storage_empty_lists(void **state)
{
    (void)state;
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_program(&b, 1, 0, GOOD_MIN_RAM, 200, 0);
    tbfb_storage(&b, 0, 0, NULL, 0, NULL);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_true(info.storage.present);
    assert_int_equal(info.storage.write_id, 0);
    assert_int_equal(info.storage.num_read, 0);
    assert_int_equal(info.storage.num_modify, 0);
}

static void storage_with_counts(uint16_t n_read, uint16_t n_modify)
{
    uint32_t ids[TBFB_STORAGE_IDS];
    for (uint32_t i = 0; i < TBFB_STORAGE_IDS; i++)
        ids[i] = 0x100 + i;
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_program(&b, 1, 0, GOOD_MIN_RAM, 400, 0);
    tbfb_storage(&b, 1, n_read, ids, n_modify, ids);
    tbfb_finish(&b);
}

static void test_storage_at_limit(void **state)
{
    (void)state;
    storage_with_counts(STORAGE_MAX_IDS, STORAGE_MAX_IDS);
    assert_int_equal(parse_all(), TBF_OK);
    assert_int_equal(info.storage.num_read, STORAGE_MAX_IDS);
    assert_int_equal(info.storage.num_modify, STORAGE_MAX_IDS);
    assert_int_equal(info.storage.modify_ids[STORAGE_MAX_IDS - 1], 0x100 + STORAGE_MAX_IDS - 1);
}

static void test_storage_too_many_ids(void **state)
{
    (void)state;
    storage_with_counts(STORAGE_MAX_IDS + 1, 0);
    assert_int_equal(parse_all(), TBF_ERR_TLV);
    storage_with_counts(0, STORAGE_MAX_IDS + 1);
    assert_int_equal(parse_all(), TBF_ERR_TLV);
    assert_false(info.storage.present);
}

static void test_storage_counts_lie(void **state)
{
    (void)state;
    const uint32_t ids[] = {1, 2};
    /* Value layout: write_id @0, n @4, ids @6, m @6+4n. */
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_program(&b, 1, 0, GOOD_MIN_RAM, 200, 0);
    uint32_t value_at = b.hdr_len + 4;
    tbfb_storage(&b, 9, 2, ids, 2, ids);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);

    tbfb_put16(&b, value_at + 4, 3); /* three read ids claimed, two there */
    tbfb_fix_checksum(&b);
    assert_int_equal(parse_all(), TBF_ERR_TLV);

    tbfb_put16(&b, value_at + 4, 2);
    tbfb_put16(&b, value_at + 6 + 8, 3); /* three modify ids claimed */
    tbfb_fix_checksum(&b);
    assert_int_equal(parse_all(), TBF_ERR_TLV);
}

static void test_storage_too_short(void **state)
{
    (void)state;
    const uint8_t three[3] = {1, 2, 3};
    const uint8_t no_modify_count[6] = {1, 0, 0, 0, 0, 0};
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_program(&b, 1, 0, GOOD_MIN_RAM, 200, 0);
    tbfb_tlv(&b, TBF_TLV_STORAGE_PERMS, three, sizeof(three));
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_ERR_TLV);

    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_program(&b, 1, 0, GOOD_MIN_RAM, 200, 0);
    tbfb_tlv(&b, TBF_TLV_STORAGE_PERMS, no_modify_count, sizeof(no_modify_count));
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_ERR_TLV);
}

static void test_short_id(void **state)
{
    (void)state;
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_program(&b, 1, 0, GOOD_MIN_RAM, 200, 0);
    tbfb_short_id(&b, 0xC0FFEE);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_true(info.has_short_id);
    assert_int_equal(info.short_id, 0xC0FFEE);
}

static void test_fixed_addresses(void **state)
{
    (void)state;
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_program(&b, 1, 0, GOOD_MIN_RAM, 200, 0);
    tbfb_fixed_addresses(&b, 0x20010000, ALL_ONES32);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_true(info.has_fixed_addresses);
    assert_int_equal(info.fixed_ram, 0x20010000);
    assert_int_equal(info.fixed_flash, ALL_ONES32);
}

static void test_kernel_version(void **state)
{
    (void)state;
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_program(&b, 1, 0, GOOD_MIN_RAM, 200, 0);
    tbfb_kernel_version(&b, 3, 7);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_true(info.has_kernel_version);
    assert_int_equal(info.kernel_major, 3);
    assert_int_equal(info.kernel_minor, 7);
}

/* A fixed-size TLV with one byte too many or too few is malformed. */
static void check_fixed_len(uint16_t type, uint16_t good_len)
{
    uint8_t value[32] = {0};
    const uint16_t lens[] = {(uint16_t)(good_len - 1), (uint16_t)(good_len + 1)};
    for (size_t i = 0; i < 2; i++) {
        tbfb_init(&b, GOOD_TOTAL, 0); /* disabled: no Main needed */
        tbfb_tlv(&b, type, value, lens[i]);
        tbfb_finish(&b);
        assert_int_equal(parse_all(), TBF_ERR_TLV);
    }
}

static void test_fixed_tlv_lengths(void **state)
{
    (void)state;
    check_fixed_len(TBF_TLV_MAIN, 12);
    check_fixed_len(TBF_TLV_PROGRAM, 20);
    check_fixed_len(TBF_TLV_FIXED_ADDRESSES, 8);
    check_fixed_len(TBF_TLV_KERNEL_VERSION, 4);
    check_fixed_len(TBF_TLV_SHORT_ID, 4);
}

static void test_writeable_flash_regions(void **state)
{
    (void)state;
    uint8_t regions[16] = {0};
    tbfb_init(&b, GOOD_TOTAL, 0);
    tbfb_tlv(&b, TBF_TLV_WRITEABLE_FLASH, regions, sizeof(regions));
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);

    tbfb_init(&b, GOOD_TOTAL, 0);
    tbfb_tlv(&b, TBF_TLV_WRITEABLE_FLASH, regions, 12);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_ERR_TLV);
}

static void test_unknown_and_permissions_tlvs_skipped(void **state)
{
    (void)state;
    const uint8_t junk[7] = {0xde, 0xad, 0xbe, 0xef, 1, 2, 3}; /* odd: padded */
    const uint8_t perms[18] = {1, 0};
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_tlv(&b, UNKNOWN_TLV, junk, sizeof(junk));
    tbfb_tlv(&b, TBF_TLV_PERMISSIONS, perms, sizeof(perms));
    tbfb_tlv(&b, 128, junk, 0); /* footer type in a header, empty */
    tbfb_program(&b, 1, 0, GOOD_MIN_RAM, 200, 0);
    tbfb_name(&b, "after");
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    /* The TLVs after the skipped ones were still found. */
    assert_true(info.has_program);
    assert_string_equal(info.name, "after");
}

static void test_name_cut_to_max(void **state)
{
    (void)state;
    char long_name[TBF_NAME_MAX + 10];
    memset(long_name, 'n', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    tbfb_init(&b, GOOD_TOTAL, 0);
    tbfb_name(&b, long_name);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_int_equal(strlen(info.name), TBF_NAME_MAX);
    assert_memory_equal(info.name, long_name, TBF_NAME_MAX);

    long_name[TBF_NAME_MAX] = '\0'; /* exactly the maximum: kept whole */
    tbfb_init(&b, GOOD_TOTAL, 0);
    tbfb_name(&b, long_name);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_string_equal(info.name, long_name);
}

static void test_name_utf8(void **state)
{
    (void)state;
    /* 31 ASCII bytes then a 2-byte character: cutting at 32 would split it,
     * so the parser keeps 31 bytes. */
    char name[TBF_NAME_MAX + 4];
    memset(name, 'a', TBF_NAME_MAX - 1);
    strcpy(name + TBF_NAME_MAX - 1, "\xc3\xa9"); /* e-acute */
    tbfb_init(&b, GOOD_TOTAL, 0);
    tbfb_name(&b, name);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_int_equal(strlen(info.name), TBF_NAME_MAX - 1);

    tbfb_init(&b, GOOD_TOTAL, 0);
    tbfb_name(&b, "caf\xc3\xa9");
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
    assert_string_equal(info.name, "caf\xc3\xa9");

    const char *bad[] = {"bad\xff",
                         "lone\x80",
                         "cut\xc3",
                         "overlong\xc0\xaf",
                         "surrogate\xed\xa0\x80",
                         "big\xf4\x90\x80\x80"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tbfb_init(&b, GOOD_TOTAL, 0);
        tbfb_name(&b, bad[i]);
        tbfb_finish(&b);
        assert_int_equal(parse_all(), TBF_ERR_TLV);
    }
}

static void test_no_name_is_empty(void **state)
{
    (void)state;
    program_app(GOOD_TOTAL, TBF_FLAG_ENABLED, 1, 0, 100);
    assert_int_equal(parse_all(), TBF_OK);
    assert_string_equal(info.name, "");
}

/* ------------------------------------------------------------ END */

static void test_end_on_blank_flash(void **state)
{
    (void)state;
    memset(b.buf, 0, GOOD_TOTAL);
    assert_int_equal(parse_n(GOOD_TOTAL), TBF_ERR_END);
    assert_int_equal(parse_n(1), TBF_ERR_END);
    assert_int_equal(parse_n(0), TBF_ERR_END);
    memset(b.buf, 0xFF, GOOD_TOTAL);
    assert_int_equal(parse_n(GOOD_TOTAL), TBF_ERR_END);
    assert_int_equal(parse_n(1), TBF_ERR_END);
    assert_false(tbf_error_skippable(TBF_ERR_END));
}

static void test_blank_total_size_is_not_end(void **state)
{
    (void)state;
    /* Version 2 was written: a blank total size is a broken image that the
     * loader must report, not the quiet end of the list. */
    tbfb_good_app(&b, "x");
    tbfb_put32(&b, OFF_TOTAL_SIZE, 0);
    assert_int_equal(parse_n(GOOD_TOTAL), TBF_ERR_TOTAL_SIZE);
    tbfb_put32(&b, OFF_TOTAL_SIZE, ALL_ONES32);
    assert_int_equal(parse_n(GOOD_TOTAL), TBF_ERR_TOTAL_SIZE);
    /* Blank version with anything after it is blank flash. */
    tbfb_put16(&b, 0, 0xFFFF);
    assert_int_equal(parse_n(GOOD_TOTAL), TBF_ERR_END);
    tbfb_put16(&b, 0, 0);
    assert_int_equal(parse_n(GOOD_TOTAL), TBF_ERR_END);
}

/* ------------------------------------------------------------ base header */

static void test_truncated_base_header(void **state)
{
    (void)state;
    tbfb_good_app(&b, "x");
    assert_int_equal(parse_n(BASE - 1), TBF_ERR_TRUNCATED);
    assert_int_equal(parse_n(2), TBF_ERR_TRUNCATED);
    assert_false(tbf_error_skippable(TBF_ERR_TRUNCATED));
    /* One non-blank byte: something is there but cannot be read. */
    b.buf[0] = 0x02;
    assert_int_equal(parse_n(1), TBF_ERR_TRUNCATED);
}

static void test_bad_version(void **state)
{
    (void)state;
    tbfb_good_app(&b, "x");
    tbfb_put16(&b, 0, 1);
    tbfb_fix_checksum(&b);
    assert_int_equal(parse_all(), TBF_ERR_VERSION);
    tbfb_put16(&b, 0, 3);
    assert_int_equal(parse_all(), TBF_ERR_VERSION);
    assert_false(tbf_error_skippable(TBF_ERR_VERSION));
}

static void test_total_size_past_area(void **state)
{
    (void)state;
    tbfb_good_app(&b, "x");
    assert_int_equal(parse_n(GOOD_TOTAL), TBF_OK);                 /* exactly the area */
    assert_int_equal(parse_n(GOOD_TOTAL - 1), TBF_ERR_TOTAL_SIZE); /* one byte past it */
    assert_int_equal(parse_n(GOOD_TOTAL - 4), TBF_ERR_TOTAL_SIZE);
    tbfb_put32(&b, OFF_TOTAL_SIZE, 0x7FFFFFFF);
    tbfb_fix_checksum(&b);
    assert_int_equal(parse_n(GOOD_TOTAL), TBF_ERR_TOTAL_SIZE);
    assert_false(tbf_error_skippable(TBF_ERR_TOTAL_SIZE));
    assert_int_equal(info.total_size, 0); /* not trusted, not reported */
}

static void test_total_size_below_base(void **state)
{
    (void)state;
    tbfb_good_app(&b, "x");
    tbfb_put32(&b, OFF_TOTAL_SIZE, BASE - 4);
    tbfb_fix_checksum(&b);
    assert_int_equal(parse_n(GOOD_TOTAL), TBF_ERR_TOTAL_SIZE);
}

static void test_header_size_lies(void **state)
{
    (void)state;
    const uint16_t bad[] = {0, 4, BASE - 4, GOOD_TOTAL + 4, 0xFFFC, 18 /* not a word multiple */};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tbfb_good_app(&b, "x");
        tbfb_put16(&b, OFF_HEADER_SIZE, bad[i]);
        tbfb_fix_checksum(&b);
        assert_int_equal(parse_all(), TBF_ERR_HEADER_SIZE);
        assert_true(tbf_error_skippable(TBF_ERR_HEADER_SIZE));
        assert_int_equal(info.total_size, GOOD_TOTAL);
    }
}

static void test_header_size_greater_than_total(void **state)
{
    (void)state;
    /* total_size 256 with a 260-byte header inside a 1024-byte area. */
    tbfb_init(&b, 256, 0);
    uint8_t filler[240] = {0};
    tbfb_tlv(&b, UNKNOWN_TLV, filler, sizeof(filler));
    tbfb_finish(&b);
    assert_int_equal(b.hdr_len, 260);
    assert_int_equal(parse_n(1024), TBF_ERR_HEADER_SIZE);
    assert_int_equal(info.total_size, 256);
}

static void test_bad_checksum(void **state)
{
    (void)state;
    tbfb_good_app(&b, "hello");
    b.buf[b.hdr_len - 10] ^= 0x01; /* a bit in the name */
    assert_int_equal(parse_all(), TBF_ERR_CHECKSUM);
    assert_true(tbf_error_skippable(TBF_ERR_CHECKSUM));
    assert_int_equal(info.total_size, GOOD_TOTAL);

    tbfb_good_app(&b, "hello");
    tbfb_put32(&b, OFF_CHECKSUM, 0);
    assert_int_equal(parse_all(), TBF_ERR_CHECKSUM);
}

/* ------------------------------------------------------------ TLV framing */

static void test_tlv_length_past_header(void **state)
{
    (void)state;
    const uint16_t lens[] = {0xFFFF, 0x8000, 13, 9};
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        /* Last TLV claims more than the 8 value bytes the header holds. */
        tbfb_init(&b, GOOD_TOTAL, 0);
        tbfb_tlv_raw(&b, UNKNOWN_TLV, lens[i]);
        b.hdr_len += 8;
        tbfb_finish(&b);
        assert_int_equal(parse_all(), TBF_ERR_TLV);
        assert_true(tbf_error_skippable(TBF_ERR_TLV));
        assert_int_equal(info.total_size, GOOD_TOTAL);
    }
    /* Exactly 8 fits. */
    tbfb_init(&b, GOOD_TOTAL, 0);
    tbfb_tlv_raw(&b, UNKNOWN_TLV, 8);
    b.hdr_len += 8;
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_OK);
}

static void test_truncated_tlv(void **state)
{
    (void)state;
    /* header_size cut in the middle of the Program TLV's value. */
    tbfb_good_app(&b, "x");
    tbfb_put16(&b, OFF_HEADER_SIZE, BASE + 12);
    tbfb_fix_checksum(&b);
    assert_int_equal(parse_all(), TBF_ERR_TLV);
    /* ... and cut so that the name TLV loses its padding bytes. */
    tbfb_good_app(&b, "abcde"); /* value 5 bytes, padded to 8 */
    tbfb_put16(&b, OFF_HEADER_SIZE, BASE + PROGRAM_TLV_LEN + 4 + 4);
    tbfb_fix_checksum(&b);
    assert_int_equal(parse_all(), TBF_ERR_TLV);
}

/* ------------------------------------------------------------ Main / entry */

static void test_enabled_without_main(void **state)
{
    (void)state;
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_name(&b, "nomain");
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_ERR_NO_MAIN);
    assert_true(tbf_error_skippable(TBF_ERR_NO_MAIN));
    assert_int_equal(info.total_size, GOOD_TOTAL);
}

static void test_entry_outside_binary(void **state)
{
    (void)state;
    uint32_t hs = BASE + PROGRAM_TLV_LEN;
    /* Binary [hs, 200): entry at offset 200 - hs is one past the end. */
    program_app(GOOD_TOTAL, TBF_FLAG_ENABLED, 200 - hs, 0, 200);
    assert_int_equal(parse_all(), TBF_ERR_ENTRY);
    assert_true(tbf_error_skippable(TBF_ERR_ENTRY));
    program_app(GOOD_TOTAL, TBF_FLAG_ENABLED, 200 - hs - 2 + 1, 0, 200); /* last halfword */
    assert_int_equal(parse_all(), TBF_OK);
    /* Entry inside the protected trailer, before the binary. */
    program_app(GOOD_TOTAL, TBF_FLAG_ENABLED, 0x11, 0x20, 200);
    assert_int_equal(parse_all(), TBF_ERR_ENTRY);
    program_app(GOOD_TOTAL, TBF_FLAG_ENABLED, 0x21, 0x20, 200);
    assert_int_equal(parse_all(), TBF_OK);
    /* A huge offset must not wrap around into the image. */
    program_app(GOOD_TOTAL, TBF_FLAG_ENABLED, ALL_ONES32 - 8, 0, 200);
    assert_int_equal(parse_all(), TBF_ERR_ENTRY);
}

static void test_main_entry_past_total(void **state)
{
    (void)state;
    tbfb_init(&b, GOOD_TOTAL, TBF_FLAG_ENABLED);
    tbfb_main(&b, GOOD_TOTAL, 0, 100);
    tbfb_finish(&b);
    assert_int_equal(parse_all(), TBF_ERR_ENTRY);
}

static void test_program_values_lie(void **state)
{
    (void)state;
    uint32_t hs = BASE + PROGRAM_TLV_LEN;
    /* binary_end_offset past the image. */
    program_app(GOOD_TOTAL, TBF_FLAG_ENABLED, 1, 0, GOOD_TOTAL + 4);
    assert_int_equal(parse_all(), TBF_ERR_TLV);
    /* binary_end_offset inside the header. */
    program_app(GOOD_TOTAL, TBF_FLAG_ENABLED, 1, 0, hs - 4);
    assert_int_equal(parse_all(), TBF_ERR_TLV);
    /* protected trailer past the image, and one that would wrap. */
    program_app(GOOD_TOTAL, TBF_FLAG_ENABLED, 1, GOOD_TOTAL, GOOD_TOTAL);
    assert_int_equal(parse_all(), TBF_ERR_TLV);
    program_app(GOOD_TOTAL, TBF_FLAG_ENABLED, 1, ALL_ONES32 - 8, GOOD_TOTAL);
    assert_int_equal(parse_all(), TBF_ERR_TLV);
    /* binary_end exactly total_size is fine. */
    program_app(GOOD_TOTAL, TBF_FLAG_ENABLED, 1, 0, GOOD_TOTAL);
    assert_int_equal(parse_all(), TBF_OK);
}

/* ------------------------------------------------------------ loader walk */

static void test_walk_skips_bad_image(void **state)
{
    (void)state;
    /* good(512) | bad checksum(512) | good(512) | zero: what a loader does. */
    static uint8_t area[4 * GOOD_TOTAL];
    const char *names[] = {"one", "two", "three"};
    memset(area, 0, sizeof(area));
    for (int i = 0; i < 3; i++) {
        tbfb_good_app(&b, names[i]);
        memcpy(area + i * GOOD_TOTAL, b.buf, GOOD_TOTAL);
    }
    area[GOOD_TOTAL + 20] ^= 0x80;

    uint32_t off = 0, ok = 0, bad = 0;
    for (;;) {
        enum tbf_error err = tbf_parse(area + off, sizeof(area) - off, &info);
        if (err == TBF_OK) {
            ok++;
        } else if (tbf_error_skippable(err)) {
            bad++;
        } else {
            assert_int_equal(err, TBF_ERR_END);
            break;
        }
        off += info.total_size;
    }
    assert_int_equal(ok, 2);
    assert_int_equal(bad, 1);
    assert_int_equal(off, 3 * GOOD_TOTAL);
}

static void test_error_strings(void **state)
{
    (void)state;
    const char *seen[TBF_ERR_ENTRY + 1];
    for (int e = TBF_OK; e <= TBF_ERR_ENTRY; e++) {
        seen[e] = tbf_error_str((enum tbf_error)e);
        assert_non_null(seen[e]);
        assert_true(strlen(seen[e]) > 0);
        for (int prev = TBF_OK; prev < e; prev++)
            assert_string_not_equal(seen[prev], seen[e]);
    }
    assert_false(tbf_error_skippable(TBF_OK));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_program_app),
        cmocka_unit_test(test_main_header),
        cmocka_unit_test(test_program_preferred_over_main),
        cmocka_unit_test(test_first_main_wins),
        cmocka_unit_test(test_disabled_app_parses),
        cmocka_unit_test(test_padding_image_disabled_without_main),
        cmocka_unit_test(test_storage_permissions),
        cmocka_unit_test(test_storage_empty_lists),
        cmocka_unit_test(test_storage_at_limit),
        cmocka_unit_test(test_storage_too_many_ids),
        cmocka_unit_test(test_storage_counts_lie),
        cmocka_unit_test(test_storage_too_short),
        cmocka_unit_test(test_short_id),
        cmocka_unit_test(test_fixed_addresses),
        cmocka_unit_test(test_kernel_version),
        cmocka_unit_test(test_fixed_tlv_lengths),
        cmocka_unit_test(test_writeable_flash_regions),
        cmocka_unit_test(test_unknown_and_permissions_tlvs_skipped),
        cmocka_unit_test(test_name_cut_to_max),
        cmocka_unit_test(test_name_utf8),
        cmocka_unit_test(test_no_name_is_empty),
        cmocka_unit_test(test_end_on_blank_flash),
        cmocka_unit_test(test_blank_total_size_is_not_end),
        cmocka_unit_test(test_truncated_base_header),
        cmocka_unit_test(test_bad_version),
        cmocka_unit_test(test_total_size_past_area),
        cmocka_unit_test(test_total_size_below_base),
        cmocka_unit_test(test_header_size_lies),
        cmocka_unit_test(test_header_size_greater_than_total),
        cmocka_unit_test(test_bad_checksum),
        cmocka_unit_test(test_tlv_length_past_header),
        cmocka_unit_test(test_truncated_tlv),
        cmocka_unit_test(test_enabled_without_main),
        cmocka_unit_test(test_entry_outside_binary),
        cmocka_unit_test(test_main_entry_past_total),
        cmocka_unit_test(test_program_values_lie),
        cmocka_unit_test(test_walk_skips_bad_image),
        cmocka_unit_test(test_error_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
