/* libnvstorage atomic records over a RAM-backed fake region: slot
 * alternation, loads after damage, argument and I/O errors, and a power cut
 * after every possible number of written bytes of a save. */
/* clang-format off */
/* HOST_TEST_SRCS: libnvstorage/nvs_error.c libnvstorage/nvs_crc32.c libnvstorage/nvs_slot.c libnvstorage/nvs_record.c libnvstorage/host/nvs_fake.c */
/* clang-format on */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "libnvstorage/host/nvs_fake.h"
#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_record.h"

#define REGION   1024u
#define REC_OFF  100u
#define REC_SIZE 40u
#define SLOT_LEN (NVS_SLOT_HDR_SIZE + REC_SIZE)

static void fill(uint8_t *p, uint8_t gen)
{
    for (unsigned i = 0; i < REC_SIZE; i++)
        p[i] = (uint8_t)(gen * 31u + i);
}

static int setup(void **state)
{
    (void)state;
    nvs_fake_reset(REGION);
    return 0;
}

static void footprint_is_two_slots(void **state)
{
    (void)state;
    assert_int_equal(nvs_record_footprint(REC_SIZE), 2 * SLOT_LEN);
    assert_int_equal(nvs_record_footprint(1), 34);
}

static void fresh_region_has_no_record(void **state)
{
    (void)state;
    struct nvs_record r = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
    uint8_t out[REC_SIZE];
    assert_int_equal(nvs_record_load(&r, out), NVS_ERR_NO_RECORD);
    assert_false(r.have);
    assert_int_equal(r.valid, 0);
    assert_int_equal(r.damaged, 0);
}

static void save_then_load_returns_it(void **state)
{
    (void)state;
    struct nvs_record r = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
    uint8_t in[REC_SIZE], out[REC_SIZE];
    fill(in, 1);
    assert_int_equal(nvs_record_save(&r, in), NVS_OK);
    /* A new struct (as after a reboot) finds it. */
    struct nvs_record again = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
    assert_int_equal(nvs_record_load(&again, out), NVS_OK);
    assert_memory_equal(in, out, REC_SIZE);
    assert_int_equal(again.seq, 1);
    assert_int_equal(again.current, 0);
}

static void saves_alternate_slots_and_never_touch_outside(void **state)
{
    (void)state;
    struct nvs_record r = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
    uint8_t in[REC_SIZE], out[REC_SIZE];
    memset(nvs_fake.mem, 0xA5, REGION);
    for (uint8_t gen = 1; gen <= 6; gen++) {
        fill(in, gen);
        assert_int_equal(nvs_record_save(&r, in), NVS_OK);
        assert_int_equal(r.current, (gen - 1) % 2);
        assert_int_equal(r.seq, gen);
        struct nvs_record fresh = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
        assert_int_equal(nvs_record_load(&fresh, out), NVS_OK);
        assert_memory_equal(in, out, REC_SIZE);
        assert_int_equal(fresh.seq, gen);
    }
    for (unsigned i = 0; i < REGION; i++)
        if (i < REC_OFF || i >= REC_OFF + 2 * SLOT_LEN)
            assert_int_equal(nvs_fake.mem[i], 0xA5);
}

static void save_costs_two_writes_of_header_plus_payload(void **state)
{
    (void)state;
    struct nvs_record r = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
    uint8_t in[REC_SIZE];
    fill(in, 1);
    assert_int_equal(nvs_record_save(&r, in), NVS_OK); /* includes the first scan */
    unsigned reads = nvs_fake.reads, writes = nvs_fake.writes;
    uint64_t bytes = nvs_fake.bytes_written;
    assert_int_equal(nvs_record_save(&r, in), NVS_OK);
    assert_int_equal(nvs_fake.writes - writes, 2);
    assert_int_equal(nvs_fake.bytes_written - bytes, SLOT_LEN);
    assert_int_equal(nvs_fake.reads - reads, 0); /* no rescan once known */
}

static void damaged_newer_slot_falls_back_to_older(void **state)
{
    (void)state;
    struct nvs_record r = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
    uint8_t a[REC_SIZE], b[REC_SIZE], out[REC_SIZE];
    fill(a, 1);
    fill(b, 2);
    assert_int_equal(nvs_record_save(&r, a), NVS_OK);
    assert_int_equal(nvs_record_save(&r, b), NVS_OK); /* slot 1 */
    nvs_fake.mem[REC_OFF + SLOT_LEN + NVS_SLOT_HDR_SIZE + 7] ^= 0x10;
    struct nvs_record fresh = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
    assert_int_equal(nvs_record_load(&fresh, out), NVS_OK);
    assert_memory_equal(out, a, REC_SIZE);
    assert_int_equal(fresh.valid, 1);
    assert_int_equal(fresh.damaged, 2);
    /* The next save overwrites the damaged slot with seq 2 again. */
    assert_int_equal(nvs_record_save(&fresh, b), NVS_OK);
    assert_int_equal(fresh.current, 1);
    assert_int_equal(fresh.seq, 2);
    assert_int_equal(fresh.damaged, 0);
}

static void both_slots_damaged_is_no_record(void **state)
{
    (void)state;
    struct nvs_record r = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
    uint8_t a[REC_SIZE], out[REC_SIZE];
    fill(a, 1);
    assert_int_equal(nvs_record_save(&r, a), NVS_OK);
    assert_int_equal(nvs_record_save(&r, a), NVS_OK);
    nvs_fake.mem[REC_OFF + 12] ^= 1;           /* slot 0 crc */
    nvs_fake.mem[REC_OFF + SLOT_LEN + 4] ^= 1; /* slot 1 seq */
    struct nvs_record fresh = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
    assert_int_equal(nvs_record_load(&fresh, out), NVS_ERR_NO_RECORD);
    assert_int_equal(fresh.damaged, 3);
}

static void record_of_another_size_is_not_loaded(void **state)
{
    (void)state;
    struct nvs_record r = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
    uint8_t a[REC_SIZE], out[REC_SIZE];
    fill(a, 1);
    assert_int_equal(nvs_record_save(&r, a), NVS_OK);
    struct nvs_record other = NVS_RECORD_INIT(REC_OFF, REC_SIZE - 1);
    assert_int_equal(nvs_record_load(&other, out), NVS_ERR_NO_RECORD);
    assert_int_equal(other.damaged & 1, 1);
}

static void bad_arguments_are_refused(void **state)
{
    (void)state;
    struct nvs_record r = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
    struct nvs_record zero = NVS_RECORD_INIT(0, 0);
    struct nvs_record wraps = NVS_RECORD_INIT(UINT64_MAX - 10, REC_SIZE);
    uint8_t buf[REC_SIZE] = {0};
    assert_int_equal(nvs_record_load(NULL, buf), NVS_ERR_ARG);
    assert_int_equal(nvs_record_load(&r, NULL), NVS_ERR_ARG);
    assert_int_equal(nvs_record_save(NULL, buf), NVS_ERR_ARG);
    assert_int_equal(nvs_record_save(&r, NULL), NVS_ERR_ARG);
    assert_int_equal(nvs_record_load(&zero, buf), NVS_ERR_ARG);
    assert_int_equal(nvs_record_save(&wraps, buf), NVS_ERR_ARG);
    assert_int_equal(nvs_fake.writes + nvs_fake.reads, 0);
}

static void record_past_the_region_reports_inval(void **state)
{
    (void)state;
    struct nvs_record r = NVS_RECORD_INIT(REGION - SLOT_LEN, REC_SIZE);
    uint8_t buf[REC_SIZE] = {0};
    assert_int_equal(nvs_record_save(&r, buf), NVS_ERR_INVAL);
    assert_int_equal(nvs_record_load(&r, buf), NVS_ERR_INVAL);
}

static void io_errors_propagate_and_keep_the_old_version(void **state)
{
    (void)state;
    struct nvs_record r = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
    uint8_t a[REC_SIZE], b[REC_SIZE], out[REC_SIZE];
    fill(a, 1);
    fill(b, 2);
    assert_int_equal(nvs_record_save(&r, a), NVS_OK);
    nvs_fake_fail_next(NVS_FAKE_WRITE, NVS_ERR_FAIL);
    assert_int_equal(nvs_record_save(&r, b), NVS_ERR_FAIL);
    assert_false(r.known);
    nvs_fake_fail_next(NVS_FAKE_READ, NVS_ERR_NOSUPPORT);
    assert_int_equal(nvs_record_load(&r, out), NVS_ERR_NOSUPPORT);
    assert_int_equal(nvs_record_load(&r, out), NVS_OK);
    assert_memory_equal(out, a, REC_SIZE);
}

/* The heart of it: cut the power after k bytes of a save for every k, then
 * "reboot" (new struct, power on) and load: old or new, whole. Then a save
 * after the reboot must work and win. */
static void power_cut_at_every_byte_of_a_save(void **state)
{
    (void)state;
    uint8_t old[REC_SIZE], new[REC_SIZE], out[REC_SIZE], later[REC_SIZE];
    unsigned saw_old = 0, saw_new = 0, saw_damage = 0;
    fill(old, 3);
    fill(new, 4);
    fill(later, 5);
    for (unsigned history = 1; history <= 2; history++) { /* the target slot: empty, then used */
        for (uint64_t k = 0; k <= SLOT_LEN; k++) {
            nvs_fake_reset(REGION);
            struct nvs_record r = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
            for (unsigned h = 0; h < 2 * history - 1; h++)
                assert_int_equal(nvs_record_save(&r, old), NVS_OK);
            nvs_fake_cut_after(k);
            int err = nvs_record_save(&r, new);
            assert_int_equal(err, k < SLOT_LEN ? NVS_ERR_FAIL : NVS_OK);
            nvs_fake_power_on();
            struct nvs_record boot = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
            assert_int_equal(nvs_record_load(&boot, out), NVS_OK);
            if (memcmp(out, new, REC_SIZE) == 0) {
                saw_new++;
                assert_int_equal(k, SLOT_LEN); /* new only once the header is whole */
            } else {
                assert_memory_equal(out, old, REC_SIZE);
                saw_old++;
            }
            saw_damage += boot.damaged != 0;
            assert_int_equal(nvs_record_save(&boot, later), NVS_OK);
            struct nvs_record boot2 = NVS_RECORD_INIT(REC_OFF, REC_SIZE);
            assert_int_equal(nvs_record_load(&boot2, out), NVS_OK);
            assert_memory_equal(out, later, REC_SIZE);
        }
    }
    print_message("power cuts: %u -> old, %u -> new, %u left a damaged slot\n", saw_old, saw_new,
                  saw_damage);
    assert_int_equal(saw_new, 2);
    assert_true(saw_damage > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(footprint_is_two_slots, setup),
        cmocka_unit_test_setup(fresh_region_has_no_record, setup),
        cmocka_unit_test_setup(save_then_load_returns_it, setup),
        cmocka_unit_test_setup(saves_alternate_slots_and_never_touch_outside, setup),
        cmocka_unit_test_setup(save_costs_two_writes_of_header_plus_payload, setup),
        cmocka_unit_test_setup(damaged_newer_slot_falls_back_to_older, setup),
        cmocka_unit_test_setup(both_slots_damaged_is_no_record, setup),
        cmocka_unit_test_setup(record_of_another_size_is_not_loaded, setup),
        cmocka_unit_test_setup(bad_arguments_are_refused, setup),
        cmocka_unit_test_setup(record_past_the_region_reports_inval, setup),
        cmocka_unit_test_setup(io_errors_propagate_and_keep_the_old_version, setup),
        cmocka_unit_test_setup(power_cut_at_every_byte_of_a_save, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
