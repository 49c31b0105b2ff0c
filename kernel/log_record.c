/*
 * log_record: the kernel's log record (kernel/log.h; grammar in
 * docs/logging.md), written byte by byte through log_write(). Host tests
 * that read log lines as text link tests/host/support/log_text.c instead.
 */
#include <stdarg.h>
#include <stdint.h>

#include "kernel/log.h"

/* A record starts with ASCII RS, a byte that plain text never holds, and
 * ends with a newline. */
#define LOG_RECORD_START '\x1e'
#define LOG_RECORD_END   '\n'
/* The log text's bounds (kernel/log_text.ld; the host linker makes them
 * for any section named like a C identifier). */
extern const char __start_log_text[], __stop_log_text[];

/* One byte at a time: a log line is rare, and the sink is synchronous. */
static void put(char c)
{
    log_write(&c, 1);
}

/* One lowercase hex digit. */
static void put_digit(unsigned d)
{
    put((char)(d < 10 ? '0' + d : 'a' - 10 + d));
}

/* Lowercase hex, no leading zeros. */
static void put_hex(uintptr_t v)
{
    int shift = 8 * sizeof(v) - 4;

    while (shift > 0 && (v >> shift) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        put_digit((v >> shift) & 0xf);
}

static void put_string(const char *s)
{
    if (s == NULL) {
        put_hex(0);
        return;
    }
    if (s >= __start_log_text && s < __stop_log_text) {
        /* Its characters are not in memory: the host looks them up. */
        put('$');
        put_hex((uintptr_t)s);
        return;
    }
    /* A name from an app's header can hold anything: quote it, and send
     * every byte that is not printable, or is a quote or a backslash, as
     * \xNN, so that it can neither end the record nor forge another. */
    put('"');
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if (c >= ' ' && c <= '~' && c != '"' && c != '\\') {
            put((char)c);
        } else {
            put('\\');
            put('x');
            put_digit(c >> 4);
            put_digit(c & 0xf);
        }
    }
    put('"');
}

void log_record(unsigned shape, const char *text, ...)
{
    unsigned count = shape & ((1u << LOG_SHAPE_COUNT_BITS) - 1);
    unsigned strings = shape >> LOG_SHAPE_COUNT_BITS;
    va_list ap;
    unsigned i;

    put(LOG_RECORD_START);
    put_hex((uintptr_t)text);
    va_start(ap, text);
    for (i = 0; i < count; i++) {
        put(' ');
        if (strings & (1u << i))
            put_string(va_arg(ap, const char *));
        else
            put_hex(va_arg(ap, unsigned)); /* every word argument is 32 bits */
    }
    va_end(ap);
    put(LOG_RECORD_END);
}
