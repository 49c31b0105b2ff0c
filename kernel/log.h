/*
 * log: the kernel's log, one line per call, with a level.
 *
 * Lines look like "[kernel] WARN  fram: device absent". Lines above the
 * board's level (LOG_LEVEL, default LOG_INFO) are dropped at compile time
 * where possible. Output goes to the sink the board installs (the UART) and
 * is written synchronously, so a line is complete before the call returns:
 * usable from fault handlers. Never called from a process.
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

/* Where log bytes go. The board installs it before the first log line. */
typedef void (*log_sink_fn)(const char *s, size_t len);
void log_set_sink(log_sink_fn sink);

/* Write raw text (no prefix, no newline added). */
void log_write(const char *s, size_t len);

void log_line(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Format a whole line into buf without writing it; returns its length.
 * Used by log_line and by host tests. */
size_t log_format_line(char *buf, size_t size, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define log_error(...) log_line(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)                                                                              \
    do {                                                                                           \
        if (LOG_LEVEL >= LOG_WARN)                                                                 \
            log_line(LOG_WARN, __VA_ARGS__);                                                       \
    } while (0)
#define log_info(...)                                                                              \
    do {                                                                                           \
        if (LOG_LEVEL >= LOG_INFO)                                                                 \
            log_line(LOG_INFO, __VA_ARGS__);                                                       \
    } while (0)
#define log_debug(...)                                                                             \
    do {                                                                                           \
        if (LOG_LEVEL >= LOG_DEBUG)                                                                \
            log_line(LOG_DEBUG, __VA_ARGS__);                                                      \
    } while (0)

#endif /* KERNEL_LOG_H */
