/* fmt: see fmt.h. */
#include "kernel/fmt.h"

#include <stdbool.h>
#include <stdint.h>

/* Output cursor: counts every character, stores those that fit. */
struct out {
    char *buf;
    size_t size;
    size_t pos;
};

static void put(struct out *o, char c)
{
    if (o->pos + 1 < o->size)
        o->buf[o->pos] = c;
    o->pos++;
}

static void put_padded(struct out *o, const char *s, size_t len, unsigned width, bool left,
                       char pad)
{
    size_t fill = width > len ? width - len : 0;

    if (!left && pad == '0' && len > 0 && s[0] == '-') {
        /* Zero padding goes after the sign: -0042, not 00-42. */
        put(o, '-');
        s++;
        len--;
    }
    if (!left)
        while (fill--)
            put(o, pad);
    while (len--)
        put(o, *s++);
    if (left)
        while (fill--)
            put(o, ' ');
}

/* v / base, leaving the remainder in *rem: long division one 32-bit word
 * at a time, so a 64-bit value costs no 64-bit division routine (libgcc's
 * is 700 bytes of kernel flash). base is at most 16. */
static uint64_t div_small(uint64_t v, unsigned base, unsigned *rem)
{
    uint32_t hi = (uint32_t)(v >> 32), lo = (uint32_t)v;
    uint32_t qhi = hi / base, r = hi % base;
    uint32_t qlo = 0;
    int bit;

    /* r < base <= 16, so r:lo is divided 4 bits at a time without overflow. */
    for (bit = 28; bit >= 0; bit -= 4) {
        uint32_t part = (r << 4) | ((lo >> bit) & 0xfu);

        qlo |= (part / base) << bit;
        r = part % base;
    }
    *rem = r;
    return ((uint64_t)qhi << 32) | qlo;
}

/* Digits of v in base, most significant first; returns the count. */
static size_t to_digits(char *tmp, uint64_t v, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[24];
    size_t n = 0, i;

    do {
        unsigned d;

        v = div_small(v, base, &d);
        rev[n++] = digits[d];
    } while (v != 0);
    for (i = 0; i < n; i++)
        tmp[i] = rev[n - 1 - i];
    return n;
}

int fmt_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {buf, size, 0};
    const char *p;

    for (p = fmt; *p != '\0'; p++) {
        const char *spec = p;
        bool left = false;
        char pad = ' ';
        unsigned width = 0;
        int longs = 0;
        char tmp[24];
        size_t n;

        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        p++;
        for (; *p == '0' || *p == '-'; p++) {
            if (*p == '-')
                left = true;
            else
                pad = '0';
        }
        for (; *p >= '0' && *p <= '9'; p++)
            width = width * 10 + (unsigned)(*p - '0');
        for (; *p == 'l' && longs < 2; p++)
            longs++;

        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = longs == 2 ? va_arg(ap, long long) : (int64_t)va_arg(ap, int);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            size_t off = 0;

            if (v < 0)
                tmp[off++] = '-';
            n = off + to_digits(tmp + off, mag, 10, false);
            put_padded(&o, tmp, n, width, left, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v =
                longs == 2 ? va_arg(ap, unsigned long long) : (uint64_t)va_arg(ap, unsigned int);
            unsigned base = *p == 'u' ? 10 : 16;

            n = to_digits(tmp, v, base, *p == 'X');
            put_padded(&o, tmp, n, width, left, pad);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);

            tmp[0] = '0';
            tmp[1] = 'x';
            n = 2 + to_digits(tmp + 2, v, 16, false);
            put_padded(&o, tmp, n, width, left, ' ');
            break;
        }
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            put_padded(&o, tmp, 1, width, left, ' ');
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            size_t len = 0;

            if (s == NULL)
                s = "(null)";
            while (s[len] != '\0')
                len++;
            put_padded(&o, s, len, width, left, ' ');
            break;
        }
        case '%':
            put(&o, '%');
            break;
        default:
            /* Unknown or truncated conversion: copy it through as text. */
            for (; spec <= p && *spec != '\0'; spec++)
                put(&o, *spec);
            if (*p == '\0')
                p--;
            break;
        }
    }
    if (size > 0)
        buf[o.pos < size ? o.pos : size - 1] = '\0';
    return (int)o.pos;
}

int fmt_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmt_vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
