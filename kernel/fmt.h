/*
 * fmt: a small printf-style formatter (no newlib stdio in the kernel: it
 * would pull in malloc and locks). The kernel's own log lines are formatted
 * on the host (kernel/log.h, docs/logging.md): the kernel image does not
 * link this. The ktests' result lines and the host tests' log
 * (tests/host/support/log_text.c) use it, and tools/klog.py formats exactly
 * like it (tests/py/test_klog.py compares them).
 *
 * Supports %d %i %u %x %X %c %s %p %%, the flags '0' and '-', a field width,
 * and the length modifiers 'l' (32-bit here) and 'll' (64-bit). Anything
 * else is copied through literally so a bad format never reads stray
 * arguments. Output is always NUL-terminated when size > 0.
 *
 * Pure function: no hardware, no globals; host tests cover it.
 */
#ifndef KERNEL_FMT_H
#define KERNEL_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Format into buf (at most size bytes including the NUL). Returns the
 * number of characters the full output needs, like vsnprintf. */
int fmt_vformat(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif /* KERNEL_FMT_H */
