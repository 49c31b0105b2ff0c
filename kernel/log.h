/*
 * log: the kernel's log, one line per call, with a level.
 *
 * Lines read "[kernel] WARN  fram: device absent". The kernel does not
 * format them: the text of every line lives in the ELF's `.log_text`
 * section, which is never flashed, and the kernel writes a short record
 * instead: the text's address and the arguments' values. The host tools
 * (tools/klog.py, used by tools/qemu.py and every test) put the text back.
 * docs/logging.md describes the record; this saves the kernel ~5 KB of
 * strings and formatter.
 *
 * Arguments are 32-bit words (integers, pointers, chars) or strings
 * (char * or const char *), at most seven of them; the compiler
 * checks them against the format as for printf. A string is sent
 * character by character, unless it is itself a LOG_TEXT, which is sent by
 * address. Lines above the board's level (LOG_LEVEL, default LOG_INFO) are
 * dropped at compile time. Output goes to the sink the board installs (the
 * UART) and is written synchronously, so a line is complete before the
 * call returns: usable from fault handlers. Never called from a process.
 */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include <stddef.h>

enum log_level {
    LOG_ERROR = 0,
    LOG_WARN = 1,
    LOG_INFO = 2,
    LOG_DEBUG = 3,
};

#ifndef LOG_LEVEL
#define LOG_LEVEL LOG_INFO
#endif

/* The section of the text of log lines: kept in the kernel ELF, left out
 * of the image (kernel/log_text.ld places it). */
#define LOG_TEXT_SECTION __attribute__((section("log_text")))

/* A string constant that lives in the log text, not in flash: for the text
 * of a line and for strings that are only ever logged (error names). Its
 * characters cannot be read at run time; only its address can be logged. */
#define LOG_TEXT(s)                                                                                \
    (__extension__({                                                                               \
        static const char log_text_[] LOG_TEXT_SECTION = s;                                        \
        log_text_;                                                                                 \
    }))

/* Where log bytes go. The board installs it before the first log line. */
typedef void (*log_sink_fn)(const char *s, size_t len);
void log_set_sink(log_sink_fn sink);

/* Write raw text (no record, no newline added). */
void log_write(const char *s, size_t len);

/*
 * Write one record: the line whose text is at `text` (a LOG_TEXT), with
 * the arguments `shape` describes: their number in bits 0-2, then one bit
 * per argument, set for a string (LOG_SHAPE below). Call it through the
 * log_* macros, which build both.
 */
void log_record(unsigned shape, const char *text, ...);

#define LOG_SHAPE_COUNT_BITS 3

/* The shape of an argument list (`_` first, so that an empty list works):
 * how many arguments, at most seven (an eighth names an undefined
 * identifier), and which ones are strings. */
/* clang-format off */
#define LOG_SHAPE(...) \
    (LOG_COUNT(__VA_ARGS__) | LOG_STRINGS(__VA_ARGS__) << LOG_SHAPE_COUNT_BITS)
#define LOG_COUNT(...) \
    LOG_NINTH(__VA_ARGS__, log_too_many_arguments, 7, 6, 5, 4, 3, 2, 1, 0)
#define LOG_NINTH(_, a, b, c, d, e, f, g, h, n, ...) n
#define LOG_STRINGS(...) LOG_STRINGS_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)
#define LOG_STRINGS_(_, a, b, c, d, e, f, g, ...) \
    (LOG_IS_STRING(a) | LOG_IS_STRING(b) << 1 | LOG_IS_STRING(c) << 2 | \
     LOG_IS_STRING(d) << 3 | LOG_IS_STRING(e) << 4 | LOG_IS_STRING(f) << 5 | \
     LOG_IS_STRING(g) << 6)
#define LOG_IS_STRING(x) _Generic((x), char *: 1u, const char *: 1u, default: 0u)
/* clang-format on */

/* Never called: lets the compiler check the arguments against the format. */
static inline __attribute__((format(printf, 1, 2))) void log_check_format(const char *fmt, ...)
{
    (void)fmt;
}

/* One line with its prefix; `fmt` must be a string literal. */
#define log_emit(prefix, fmt, ...)                                                                 \
    do {                                                                                           \
        if (0)                                                                                     \
            log_check_format(fmt, ##__VA_ARGS__);                                                  \
        log_record(LOG_SHAPE(_, ##__VA_ARGS__), LOG_TEXT(prefix fmt), ##__VA_ARGS__);              \
    } while (0)

#define log_error(...) log_emit("[kernel] ERROR ", __VA_ARGS__)
#define log_warn(...)                                                                              \
    do {                                                                                           \
        if (LOG_LEVEL >= LOG_WARN)                                                                 \
            log_emit("[kernel] WARN  ", __VA_ARGS__);                                              \
    } while (0)
#define log_info(...)                                                                              \
    do {                                                                                           \
        if (LOG_LEVEL >= LOG_INFO)                                                                 \
            log_emit("[kernel] INFO  ", __VA_ARGS__);                                              \
    } while (0)
#define log_debug(...)                                                                             \
    do {                                                                                           \
        if (LOG_LEVEL >= LOG_DEBUG)                                                                \
            log_emit("[kernel] DEBUG ", __VA_ARGS__);                                              \
    } while (0)

#endif /* KERNEL_LOG_H */
