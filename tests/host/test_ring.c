/*
 * Host tests of the kernel's byte ring buffer (kernel/ring.c), the console
 * capsule's store for input that arrives while nobody reads.
 */
/* clang-format off */
/* HOST_TEST_SRCS: kernel/ring.c */
/* clang-format on */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/ring.h"

#define CAP 4

static void test_fifo_order_and_partial_take(void **state)
{
    uint8_t store[CAP], out[CAP];
    struct ring r;

    (void)state;
    ring_init(&r, store, sizeof(store));
    assert_int_equal(ring_count(&r), 0);
    assert_int_equal(ring_take(&r, out, sizeof(out)), 0);
    assert_true(ring_put(&r, 'a'));
    assert_true(ring_put(&r, 'b'));
    assert_true(ring_put(&r, 'c'));
    assert_int_equal(ring_take(&r, out, 2), 2);
    assert_memory_equal(out, "ab", 2);
    assert_int_equal(ring_count(&r), 1);
    assert_int_equal(ring_take(&r, out, sizeof(out)), 1);
    assert_int_equal(out[0], 'c');
}

static void test_full_ring_drops_and_counts(void **state)
{
    uint8_t store[CAP], out[CAP];
    struct ring r;

    (void)state;
    ring_init(&r, store, sizeof(store));
    for (int i = 0; i < CAP; i++)
        assert_true(ring_put(&r, (uint8_t)('0' + i)));
    assert_false(ring_put(&r, 'X'));
    assert_false(ring_put(&r, 'Y'));
    assert_int_equal(r.dropped, 2);
    assert_int_equal(ring_take(&r, out, sizeof(out)), CAP);
    assert_memory_equal(out, "0123", CAP);
}

static void test_wraps_around_many_times(void **state)
{
    uint8_t store[CAP], out[1];
    struct ring r;

    (void)state;
    ring_init(&r, store, sizeof(store));
    /* Keep it partly full while head and tail go round 25 times. */
    assert_true(ring_put(&r, 0));
    for (int i = 1; i < 100; i++) {
        assert_true(ring_put(&r, (uint8_t)i));
        assert_int_equal(ring_take(&r, out, 1), 1);
        assert_int_equal(out[0], (uint8_t)(i - 1));
    }
    assert_int_equal(ring_count(&r), 1);
    assert_int_equal(r.dropped, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_order_and_partial_take),
        cmocka_unit_test(test_full_ring_drops_and_counts),
        cmocka_unit_test(test_wraps_around_many_times),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
