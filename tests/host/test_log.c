/*
 * Host tests of the kernel's formatter (kernel/fmt.c), log line builder
 * (kernel/log.c) and deferred calls (kernel/deferred.c): the same source
 * files the kernel links, compiled for the host.
 */
/* clang-format off */
/* HOST_TEST_SRCS: kernel/fmt.c kernel/log.c kernel/deferred.c */
/* clang-format on */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/deferred.h"
#include "kernel/fmt.h"
#include "kernel/log.h"

static char buf[128];

static void test_integers(void **state)
{
    (void)state;
    fmt_format(buf, sizeof(buf), "%d %i %u %x %X", -42, 7, 4000000000u, 0xbeefu, 0xbeefu);
    assert_string_equal(buf, "-42 7 4000000000 beef BEEF");
    fmt_format(buf, sizeof(buf), "%d", (int)INT32_MIN);
    assert_string_equal(buf, "-2147483648");
    fmt_format(buf, sizeof(buf), "%llu %llx %lld", 18446744073709551615ull, 0x123456789abull,
               -9000000000ll);
    assert_string_equal(buf, "18446744073709551615 123456789ab -9000000000");
    fmt_format(buf, sizeof(buf), "%lu %lx", 12ul, 255ul);
    assert_string_equal(buf, "12 ff");
}

static void test_width_and_padding(void **state)
{
    (void)state;
    fmt_format(buf, sizeof(buf), "[%08x][%5d][%-5d][%05d][%3s][%-3s]", 0x1234u, 42, 42, -42, "a",
               "b");
    assert_string_equal(buf, "[00001234][   42][42   ][-0042][  a][b  ]");
}

static void test_strings_chars_pointers(void **state)
{
    (void)state;
    fmt_format(buf, sizeof(buf), "%s|%c|%p|%%|%s", "abc", 'Z', (void *)0x20001000, (char *)NULL);
    assert_string_equal(buf, "abc|Z|0x20001000|%|(null)");
}

/* Formats that the compiler's printf checking would reject on sight. */
static void format_unchecked(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fmt_vformat(buf, sizeof(buf), fmt, ap);
    va_end(ap);
}

static void test_unknown_conversion_is_copied_through(void **state)
{
    (void)state;
    /* %w is no conversion: it must appear literally and consume nothing. */
    format_unchecked("a%wb%d", 5);
    assert_string_equal(buf, "a%wb5");
    format_unchecked("end%");
    assert_string_equal(buf, "end%");
    format_unchecked("%08");
    assert_string_equal(buf, "%08");
}

static void test_truncation_reports_full_length(void **state)
{
    char small[6];
    int n;

    (void)state;
    n = fmt_format(small, sizeof(small), "%s", "hello world");
    assert_int_equal(n, 11);
    assert_string_equal(small, "hello");
    n = fmt_format(small, 1, "abc");
    assert_int_equal(n, 3);
    assert_string_equal(small, "");
}

static void test_log_line_format(void **state)
{
    size_t n;

    (void)state;
    n = log_format_line(buf, sizeof(buf), LOG_WARN, "fram: %s at 0x%02x", "absent", 0x50);
    assert_string_equal(buf, "[kernel] WARN  fram: absent at 0x50\n");
    assert_int_equal(n, strlen(buf));
    log_format_line(buf, sizeof(buf), LOG_ERROR, "x");
    assert_string_equal(buf, "[kernel] ERROR x\n");
    log_format_line(buf, sizeof(buf), LOG_DEBUG, "y");
    assert_string_equal(buf, "[kernel] DEBUG y\n");
}

static void test_log_line_truncated_is_marked(void **state)
{
    char line[32];
    size_t n;

    (void)state;
    n = log_format_line(line, sizeof(line), LOG_INFO, "%s", "a very long message that cannot fit");
    assert_int_equal(n, sizeof(line) - 1);
    assert_int_equal(line[n - 1], '\n');
    assert_memory_equal(line + n - 4, "...", 3);
    assert_memory_equal(line, "[kernel] INFO  a very", 21);
}

static char sink_seen[256];
static size_t sink_len;

static void capture_sink(const char *s, size_t len)
{
    memcpy(sink_seen + sink_len, s, len);
    sink_len += len;
}

static void test_log_goes_to_sink(void **state)
{
    (void)state;
    sink_len = 0;
    log_set_sink(capture_sink);
    log_line(LOG_INFO, "boot %d", 1);
    log_write("raw", 3);
    sink_seen[sink_len] = '\0';
    assert_string_equal(sink_seen, "[kernel] INFO  boot 1\nraw");
    log_set_sink(NULL);
    log_line(LOG_INFO, "dropped"); /* no sink: nothing happens, no crash */
}

static int runs_a, runs_b;
static struct deferred_call dc_a, dc_b;

static void fn_a(void *ctx)
{
    (void)ctx;
    runs_a++;
    if (runs_a < 3)
        deferred_schedule(&dc_a); /* reschedule itself: runs on the next pass */
}

static void fn_b(void *ctx)
{
    *(int *)ctx += 1;
}

static void test_deferred_calls(void **state)
{
    (void)state;
    deferred_register(&dc_a, fn_a, NULL);
    deferred_register(&dc_b, fn_b, &runs_b);
    assert_false(deferred_any_pending());
    deferred_schedule(&dc_a);
    deferred_schedule(&dc_b);
    deferred_schedule(&dc_b); /* already pending: still runs once */
    assert_true(deferred_any_pending());
    deferred_run();
    assert_int_equal(runs_a, 1);
    assert_int_equal(runs_b, 1);
    assert_true(deferred_any_pending());
    deferred_run();
    deferred_run();
    assert_int_equal(runs_a, 3);
    assert_int_equal(runs_b, 1);
    assert_false(deferred_any_pending());

    /* Registering a pending call again resets it and keeps the list sane. */
    deferred_schedule(&dc_b);
    deferred_register(&dc_b, fn_b, &runs_b);
    assert_false(deferred_any_pending());
    deferred_schedule(&dc_b);
    deferred_run();
    assert_int_equal(runs_b, 2);
    assert_false(deferred_any_pending());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_width_and_padding),
        cmocka_unit_test(test_strings_chars_pointers),
        cmocka_unit_test(test_unknown_conversion_is_copied_through),
        cmocka_unit_test(test_truncation_reports_full_length),
        cmocka_unit_test(test_log_line_format),
        cmocka_unit_test(test_log_line_truncated_is_marked),
        cmocka_unit_test(test_log_goes_to_sink),
        cmocka_unit_test(test_deferred_calls),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
