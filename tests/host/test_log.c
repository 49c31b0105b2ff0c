/*
 * Host tests of the kernel's formatter (kernel/fmt.c), log records
 * (kernel/log_record.c) and deferred calls (kernel/deferred.c): the same
 * source files the kernel links, compiled for the host.
 */
/* clang-format off */
/* HOST_TEST_SRCS: kernel/fmt.c kernel/log.c kernel/log_record.c kernel/deferred.c */
/* clang-format on */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The kernel's log record (kernel/log_record.c, grammar in docs/logging.md). */
static char sink_seen[512];
static size_t sink_len;

static void capture_sink(const char *s, size_t len)
{
    assert_true(sink_len + len < sizeof(sink_seen));
    memcpy(sink_seen + sink_len, s, len);
    sink_len += len;
    sink_seen[sink_len] = '\0';
}

static void capture_start(void)
{
    sink_len = 0;
    sink_seen[0] = '\0';
    log_set_sink(capture_sink);
}

/* The record's arguments (after its text address), and its text: on the
 * host the log text is ordinary memory, so the address can be followed. */
static const char *record_args(const char **text)
{
    char *end;
    unsigned long long addr;

    assert_int_equal(sink_seen[0], '\x1e');
    assert_int_equal(sink_seen[sink_len - 1], '\n');
    assert_null(memchr(sink_seen, '\n', sink_len - 1)); /* one line */
    addr = strtoull(sink_seen + 1, &end, 16);
    *text = (const char *)(uintptr_t)addr;
    return end;
}

static void test_record_holds_the_text_address_and_words(void **state)
{
    const char *text;

    (void)state;
    capture_start();
    log_info("boot %d of %x, %c %u", -1, 0x50u, 'Z', 0u);
    assert_string_equal(record_args(&text), " ffffffff 50 5a 0\n");
    assert_string_equal(text, "[kernel] INFO  boot %d of %x, %c %u");

    capture_start();
    log_warn("no arguments");
    assert_string_equal(record_args(&text), "\n");
    assert_string_equal(text, "[kernel] WARN  no arguments");

    capture_start();
    log_error("x");
    record_args(&text);
    assert_string_equal(text, "[kernel] ERROR x");
}

static void test_record_sends_strings_quoted_and_escaped(void **state)
{
    const char *text;

    (void)state;
    capture_start();
    log_info("%s|%s|%s", "app", "", "a\"b\\c\nd\x7f\x80~ ");
    assert_string_equal(record_args(&text), " \"app\" \"\" \"a\\x22b\\x5cc\\x0ad\\x7f\\x80~ \"\n");

    /* The printable range's ends: ' ' and '~' go as they are, the bytes
     * just outside them (0x1f, 0x7f) escaped. */
    capture_start();
    log_info("%s", "\x1f \x20~\x7e\x7f");
    assert_string_equal(record_args(&text), " \"\\x1f  ~~\\x7f\"\n");

    /* A NULL string goes as the word 0 (the host prints "(null)"). */
    capture_start();
    log_info("%s", (const char *)NULL);
    assert_string_equal(record_args(&text), " 0\n");
}

static void test_record_sends_a_log_text_string_by_address(void **state)
{
    const char *name = LOG_TEXT("bus stuck");
    const char *text;
    char want[64];

    (void)state;
    capture_start();
    log_warn("fram: %s at %u", name, 7u);
    snprintf(want, sizeof(want), " $%llx 7\n", (unsigned long long)(uintptr_t)name);
    assert_string_equal(record_args(&text), want);
    assert_string_equal(text, "[kernel] WARN  fram: %s at %u");
}

static void test_record_shape_marks_each_string_position(void **state)
{
    char name[] = "p1"; /* an array argument is a string too */
    const char *text;

    (void)state;
    capture_start();
    log_info("%u %s %u %s %u %s %u", 1u, name, 3u, "four", 5u, "six", 7u);
    assert_string_equal(record_args(&text), " 1 \"p1\" 3 \"four\" 5 \"six\" 7\n");
    assert_int_equal(LOG_SHAPE(_), 0);
    assert_int_equal(LOG_SHAPE(_, 1, "s"), 2 | (2u << LOG_SHAPE_COUNT_BITS));
}

static void test_debug_lines_are_compiled_out_and_no_sink_is_safe(void **state)
{
    (void)state;
    capture_start();
    log_debug("never: %u", 1u); /* LOG_LEVEL is LOG_INFO */
    assert_int_equal(sink_len, 0);
    log_write("raw", 3);
    assert_string_equal(sink_seen, "raw");
    log_set_sink(NULL);
    log_info("dropped %u", 2u); /* no sink: nothing happens, no crash */
    log_write("dropped", 7);
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
        cmocka_unit_test(test_record_holds_the_text_address_and_words),
        cmocka_unit_test(test_record_sends_strings_quoted_and_escaped),
        cmocka_unit_test(test_record_sends_a_log_text_string_by_address),
        cmocka_unit_test(test_record_shape_marks_each_string_position),
        cmocka_unit_test(test_debug_lines_are_compiled_out_and_no_sink_is_safe),
        cmocka_unit_test(test_deferred_calls),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
