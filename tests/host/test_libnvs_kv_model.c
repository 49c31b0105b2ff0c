/* libnvstorage key-value store against an in-memory model: thousands of
 * random operation sequences (puts, adds, deletes, batches, compactions,
 * wipes, reopens) on stores of many sizes and index capacities, with the
 * whole store compared to the model after every step, and NO_SPACE
 * predicted exactly. KV_MODEL_SEQS makes a longer run. */
/* clang-format off */
/* HOST_TEST_SRCS: libnvstorage/nvs_error.c libnvstorage/nvs_crc32.c libnvstorage/nvs_kv.c libnvstorage/nvs_kv_format.c libnvstorage/nvs_kv_frame.c libnvstorage/nvs_kv_index.c libnvstorage/nvs_kv_scan.c libnvstorage/host/nvs_fake.c tests/host/support/kv_model.c */
/* clang-format on */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libnvstorage/host/nvs_fake.h"
#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_kv.h"
#include "tests/host/support/kv_model.h"

#define REGION       4096u
#define DEFAULT_SEQS 2000u
#define STEPS        40u
#define MAX_CAP      40u

static const uint32_t sizes[] = {NVS_KV_AREA_MIN, 200, 300, 512, 1024, 2048, REGION};

static struct km model;
static struct km_gen gen;
static struct nvs_kv kv;
static struct nvs_kv_slot slots[MAX_CAP];

static void expect_same(unsigned seq, unsigned step, const char *what)
{
    int diff = km_compare(&model, &kv);
    if (diff != 0)
        fail_msg("seq %u step %u after %s: store differs from the model (code %d)", seq, step, what,
                 diff);
}

static void random_sequences_match_the_model(void **state)
{
    (void)state;
    const char *env = getenv("KV_MODEL_SEQS");
    unsigned seqs = env ? (unsigned)strtoul(env, NULL, 10) : DEFAULT_SEQS;
    unsigned ops = 0, no_space = 0, compactions = 0;

    for (unsigned seq = 0; seq < seqs; seq++) {
        km_gen_init(&gen, seq + 1);
        uint32_t size = sizes[km_rand(&gen, sizeof(sizes) / sizeof(sizes[0]))];
        uint32_t base = km_rand(&gen, REGION - size + 1);
        uint16_t cap = (uint16_t)(1 + km_rand(&gen, MAX_CAP));
        unsigned vmax = size / 8 < KM_VMAX ? size / 8 : KM_VMAX; /* a few fit, big ones too */
        nvs_fake_reset(REGION);
        nvs_fake_guard(base, base + size);
        km_init(&model);
        assert_int_equal(nvs_kv_open(&kv, base, size, slots, cap), NVS_OK);
        for (unsigned step = 0; step < STEPS; step++) {
            unsigned r = km_rand(&gen, 100);
            uint32_t epoch = kv.epoch;
            if (r < 5) {
                assert_int_equal(nvs_kv_open(&kv, base, size, slots, cap), NVS_OK);
                expect_same(seq, step, "reopen");
            } else if (r < 8) {
                assert_int_equal(nvs_kv_compact(&kv), NVS_OK);
                expect_same(seq, step, "compact");
            } else if (r < 10) {
                assert_int_equal(nvs_kv_wipe(&kv), NVS_OK);
                km_init(&model);
                expect_same(seq, step, "wipe");
            } else {
                unsigned n = km_gen_ops(&gen, KM_GEN_OPS, vmax);
                bool full = km_no_space(&model, &kv, gen.ops, n);
                int err = nvs_kv_batch(&kv, gen.ops, n);
                if (err != (full ? NVS_ERR_NO_SPACE : NVS_OK))
                    fail_msg("seq %u step %u: batch of %u gave %d, model says %s", seq, step, n,
                             err, full ? "no space" : "ok");
                if (!full)
                    assert_true(km_apply(&model, gen.ops, n));
                no_space += full;
                ops += n;
                expect_same(seq, step, "batch");
            }
            compactions += kv.epoch != epoch;
        }
        assert_int_equal(nvs_kv_open(&kv, base, size, slots, cap), NVS_OK);
        expect_same(seq, STEPS, "final reopen");
    }
    printf("model: %u sequences, %u operations, %u refused for space, %u compactions\n", seqs, ops,
           no_space, compactions);
    assert_true(no_space > 0 && compactions > 0); /* both paths were exercised */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_sequences_match_the_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
