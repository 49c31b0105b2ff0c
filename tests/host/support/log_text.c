/*
 * log_text: the kernel's log for host tests, as text.
 *
 * On the target, kernel/log.c writes a record that the host tools expand
 * (tools/klog.py). A host build can read the log text directly, so this
 * stand-in formats each line at once with the kernel's own formatter
 * (kernel/fmt.c) and writes it to the sink: a test reads exactly the lines
 * a person sees after decoding. It stands in for kernel/log_record.c only:
 * the sink is kernel/log.c's. Tests of the record itself link
 * kernel/log_record.c instead (test_log.c).
 */
#include <stdarg.h>

#include "kernel/fmt.h"
#include "kernel/log.h"

/* Longer lines are cut: no test logs one. */
#define LOG_TEXT_LINE_MAX 256

void log_record(unsigned shape, const char *text, ...)
{
    char line[LOG_TEXT_LINE_MAX];
    va_list ap;
    int n;

    (void)shape; /* the format says it all */
    va_start(ap, text);
    n = fmt_vformat(line, sizeof(line) - 1, text, ap);
    va_end(ap);
    if (n > (int)sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    log_write(line, (size_t)n);
}
