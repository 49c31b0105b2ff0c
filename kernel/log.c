/* log: see log.h. */
#include "kernel/log.h"

#include <stdarg.h>

#include "kernel/fmt.h"

/* Longest line we format; longer ones are cut and end in "...". */
#define LOG_LINE_MAX 160

static log_sink_fn log_sink;

static const char *const level_names[] = {
    [LOG_ERROR] = "ERROR",
    [LOG_WARN] = "WARN ",
    [LOG_INFO] = "INFO ",
    [LOG_DEBUG] = "DEBUG",
};

void log_set_sink(log_sink_fn sink)
{
    log_sink = sink;
}

void log_write(const char *s, size_t len)
{
    if (log_sink != NULL)
        log_sink(s, len);
}

static size_t vformat_line(char *buf, size_t size, enum log_level level, const char *fmt,
                           va_list ap)
{
    size_t used, want;
    int n;

    if ((unsigned)level > LOG_DEBUG)
        level = LOG_DEBUG;
    n = fmt_format(buf, size - 1, "[kernel] %s ", level_names[level]);
    used = (size_t)n < size - 1 ? (size_t)n : size - 2;
    want = used + (size_t)fmt_vformat(buf + used, size - 1 - used, fmt, ap);
    if (want > size - 2) {
        /* Truncated: mark it so a reader knows. */
        used = size - 2;
        buf[used - 3] = buf[used - 2] = buf[used - 1] = '.';
    } else {
        used = want;
    }
    buf[used++] = '\n';
    buf[used] = '\0';
    return used;
}

size_t log_format_line(char *buf, size_t size, enum log_level level, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = vformat_line(buf, size, level, fmt, ap);
    va_end(ap);
    return n;
}

void log_line(enum log_level level, const char *fmt, ...)
{
    char line[LOG_LINE_MAX];
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = vformat_line(line, sizeof(line), level, fmt, ap);
    va_end(ap);
    log_write(line, n);
}
