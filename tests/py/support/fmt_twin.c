/*
 * fmt_twin: prints what the kernel's formatter (kernel/fmt.c) makes of each
 * case of a corpus, so tests/py/test_klog.py can check that tools/klog.py
 * expands log records exactly as the kernel would have formatted the line.
 *
 * The corpus is written by that test into fmt_cases.inc (found through -I),
 * one CASE(format, arguments...) per line, each argument with its C type.
 * Output: one line per case, the formatted bytes in lowercase hex (a %c may
 * give any byte, NUL included), or TRUNCATED if they did not fit.
 */
#include <stdint.h>
#include <stdio.h>

#include "kernel/fmt.h"

#define OUT_MAX 4096

static void emit(const char *buf, int n)
{
    int i;

    if (n < 0 || n >= OUT_MAX) {
        printf("TRUNCATED\n");
        return;
    }
    for (i = 0; i < n; i++)
        printf("%02x", (unsigned char)buf[i]);
    printf("\n");
}

#define CASE(...)                                                                                  \
    do {                                                                                           \
        char buf[OUT_MAX];                                                                         \
        emit(buf, fmt_format(buf, sizeof(buf), __VA_ARGS__));                                      \
    } while (0)

int main(void)
{
#include "fmt_cases.inc"
    return 0;
}
