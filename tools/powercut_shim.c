/*
 * powercut_shim: an LD_PRELOAD library for QEMU that hands every FRAM image
 * write-back to tools/powercut.py as it happens, for power-cut testing.
 *
 * QEMU's at24c-eeprom model writes its whole image back to the backing file
 * at each I2C STOP that ends a write (and nothing in between), so the images
 * it writes back are exactly the states a power cut can leave on the FRAM.
 * This library wraps pwrite()/pwrite64(): when one writes a whole image
 * (offset 0, POWERCUT_SIZE bytes) to the file POWERCUT_IMAGE, it first does
 * the write, then sends a record to the file descriptor POWERCUT_FD:
 *
 *     u64 (little endian)  bytes QEMU had written to its stdout (the UART)
 *     POWERCUT_SIZE bytes  the image just written
 *
 * It also wraps write()/writev() to count the bytes written to fd 1. QEMU's
 * block layer may do the pwrite on a worker thread while the device waits
 * for it, so records keep the order of the writes; a mutex guards the
 * counters. Nothing else changes: every call goes through to libc.
 *
 * Built on the fly by tools/powercut.py with the host compiler:
 *     cc -shared -fPIC -O2 -o powercut_shim.so powercut_shim.c -ldl -lpthread
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define STDOUT_FD 1
#define HEADER_SIZE 8

typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*writev_fn)(int, const struct iovec *, int);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pwrite_fn real_pwrite, real_pwrite64;
static write_fn real_write;
static writev_fn real_writev;
static int out_fd = -1;
static size_t image_size;
static dev_t image_dev;
static ino_t image_ino;
static uint64_t uart_bytes;

static void setup(void)
{
    const char *fd = getenv("POWERCUT_FD");
    const char *img = getenv("POWERCUT_IMAGE");
    const char *size = getenv("POWERCUT_SIZE");
    struct stat st;

    real_pwrite = (pwrite_fn)dlsym(RTLD_NEXT, "pwrite");
    real_pwrite64 = (pwrite_fn)dlsym(RTLD_NEXT, "pwrite64");
    real_write = (write_fn)dlsym(RTLD_NEXT, "write");
    real_writev = (writev_fn)dlsym(RTLD_NEXT, "writev");
    if (fd == NULL || img == NULL || size == NULL || stat(img, &st) != 0)
        return; /* not configured: pass everything through */
    out_fd = atoi(fd);
    image_size = (size_t)strtoul(size, NULL, 0);
    image_dev = st.st_dev;
    image_ino = st.st_ino;
}

static void send_all(const void *p, size_t n)
{
    const uint8_t *b = p;

    while (n > 0) {
        ssize_t w = real_write(out_fd, b, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(97); /* the harness is gone: stop rather than run unseen */
        b += w;
        n -= (size_t)w;
    }
}

static int is_image(int fd)
{
    struct stat st;

    return out_fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == image_dev &&
           st.st_ino == image_ino;
}

static ssize_t traced_pwrite(pwrite_fn fn, int fd, const void *buf, size_t n, off_t off)
{
    ssize_t r;
    uint8_t hdr[HEADER_SIZE];
    unsigned i;

    pthread_once(&once, setup);
    r = fn(fd, buf, n, off);
    if (r == (ssize_t)n && off == 0 && n == image_size && is_image(fd)) {
        pthread_mutex_lock(&lock);
        for (i = 0; i < HEADER_SIZE; i++)
            hdr[i] = (uint8_t)(uart_bytes >> (8 * i));
        send_all(hdr, sizeof(hdr));
        send_all(buf, n);
        pthread_mutex_unlock(&lock);
    }
    return r;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    pthread_once(&once, setup);
    return traced_pwrite(real_pwrite, fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    pthread_once(&once, setup);
    return traced_pwrite(real_pwrite64, fd, buf, n, off);
}

static void count_uart(int fd, ssize_t r)
{
    if (fd == STDOUT_FD && r > 0) {
        pthread_mutex_lock(&lock);
        uart_bytes += (uint64_t)r;
        pthread_mutex_unlock(&lock);
    }
}

ssize_t write(int fd, const void *buf, size_t n)
{
    ssize_t r;

    pthread_once(&once, setup);
    r = real_write(fd, buf, n);
    count_uart(fd, r);
    return r;
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    ssize_t r;

    pthread_once(&once, setup);
    r = real_writev(fd, iov, cnt);
    count_uart(fd, r);
    return r;
}
