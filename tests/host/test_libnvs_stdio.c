/* libnvstorage pread/pwrite and the stdio cookie functions over a RAM-backed
 * fake region: short reads and writes at the end, errors past it, seeks,
 * and a real stdio stream (glibc's fopencookie) driven through them. */
/* clang-format off */
/* HOST_TEST_SRCS: libnvstorage/nvs_error.c libnvstorage/nvs_posix.c libnvstorage/nvs_cookie.c libnvstorage/host/nvs_fake.c */
/* clang-format on */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "libnvstorage/host/nvs_fake.h"
#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_posix.h"
#include "libnvstorage/nvs_stdio.h"

#define REGION 256u

static int setup(void **state)
{
    (void)state;
    nvs_fake_reset(REGION);
    for (unsigned i = 0; i < REGION; i++)
        nvs_fake.mem[i] = (uint8_t)i;
    return 0;
}

static void pread_inside_reads_everything(void **state)
{
    (void)state;
    uint8_t buf[16];
    assert_int_equal(nvs_pread(buf, sizeof(buf), 10), 16);
    assert_int_equal(buf[0], 10);
    assert_int_equal(buf[15], 25);
}

static void pread_running_past_the_end_is_short(void **state)
{
    (void)state;
    uint8_t buf[16];
    memset(buf, 0xEE, sizeof(buf));
    assert_int_equal(nvs_pread(buf, sizeof(buf), REGION - 5), 5);
    assert_int_equal(buf[4], (uint8_t)(REGION - 1));
    assert_int_equal(buf[5], 0xEE); /* nothing written past what was read */
}

static void pread_at_the_end_is_zero_and_past_it_an_error(void **state)
{
    (void)state;
    uint8_t buf[4];
    assert_int_equal(nvs_pread(buf, sizeof(buf), REGION), 0);
    assert_int_equal(nvs_pread(buf, sizeof(buf), REGION + 1), NVS_ERR_PAST_END);
    assert_int_equal(nvs_pread(buf, sizeof(buf), UINT64_MAX), NVS_ERR_PAST_END);
    assert_int_equal(nvs_pread(buf, 0, 3), 0);
    assert_int_equal(nvs_pread(NULL, 4, 0), NVS_ERR_ARG);
    assert_int_equal(nvs_fake.reads, 0);
}

static void pwrite_is_short_at_the_end_and_refused_there(void **state)
{
    (void)state;
    uint8_t buf[8];
    memset(buf, 0x77, sizeof(buf));
    assert_int_equal(nvs_pwrite(buf, sizeof(buf), 0), 8);
    assert_int_equal(nvs_fake.mem[7], 0x77);
    assert_int_equal(nvs_fake.mem[8], 8);
    assert_int_equal(nvs_pwrite(buf, sizeof(buf), REGION - 3), 3);
    assert_int_equal(nvs_fake.mem[REGION - 1], 0x77);
    assert_int_equal(nvs_pwrite(buf, sizeof(buf), REGION), NVS_ERR_NO_SPACE);
    assert_int_equal(nvs_pwrite(buf, sizeof(buf), REGION + 9), NVS_ERR_PAST_END);
    assert_int_equal(nvs_pwrite(buf, 0, REGION), 0);
    assert_int_equal(nvs_pwrite(NULL, 1, 0), NVS_ERR_ARG);
}

static void posix_calls_pass_kernel_errors_through(void **state)
{
    (void)state;
    uint8_t buf[4];
    nvs_fake.size_err = NVS_ERR_NOSUPPORT;
    assert_int_equal(nvs_pread(buf, sizeof(buf), 0), NVS_ERR_NOSUPPORT);
    assert_int_equal(nvs_pwrite(buf, sizeof(buf), 0), NVS_ERR_NOSUPPORT);
    nvs_fake.size_err = NVS_OK;
    nvs_fake_fail_next(NVS_FAKE_READ, NVS_ERR_FAIL);
    assert_int_equal(nvs_pread(buf, sizeof(buf), 0), NVS_ERR_FAIL);
    nvs_fake_fail_next(NVS_FAKE_WRITE, NVS_ERR_BUSY);
    assert_int_equal(nvs_pwrite(buf, sizeof(buf), 0), NVS_ERR_BUSY);
}

static void cookie_read_and_write_advance_the_position(void **state)
{
    (void)state;
    struct nvs_cookie c = {.pos = 250};
    char buf[16];
    assert_int_equal(nvs_cookie_read(&c, buf, sizeof(buf)), 6);
    assert_int_equal(c.pos, REGION);
    assert_int_equal(nvs_cookie_read(&c, buf, sizeof(buf)), 0);
    errno = 0;
    assert_int_equal(nvs_cookie_write(&c, "x", 1), -1);
    assert_int_equal(errno, ENOSPC);
    assert_int_equal(c.pos, REGION);
    c.pos = 2;
    assert_int_equal(nvs_cookie_write(&c, "hey", 3), 3);
    assert_int_equal(c.pos, 5);
    assert_memory_equal(nvs_fake.mem + 2, "hey", 3);
    assert_int_equal(nvs_cookie_write(&c, "", 0), 0);
}

static void cookie_errors_set_errno(void **state)
{
    (void)state;
    struct nvs_cookie c = {.pos = 0};
    char buf[4];
    nvs_fake_fail_next(NVS_FAKE_READ, NVS_ERR_FAIL);
    errno = 0;
    assert_int_equal(nvs_cookie_read(&c, buf, sizeof(buf)), -1);
    assert_int_equal(errno, EIO);
    assert_int_equal(c.pos, 0);
    nvs_fake.size_err = NVS_ERR_NOSUPPORT;
    assert_int_equal(nvs_cookie_write(&c, "a", 1), -1);
    assert_int_equal(errno, EACCES);
}

static void cookie_seek_stays_inside_the_region(void **state)
{
    (void)state;
    struct nvs_cookie c = {.pos = 10};
    int64_t off = 5;
    assert_int_equal(nvs_cookie_seek(&c, &off, SEEK_CUR), 0);
    assert_int_equal(off, 15);
    off = -3;
    assert_int_equal(nvs_cookie_seek(&c, &off, SEEK_END), 0);
    assert_int_equal(off, REGION - 3);
    off = 0;
    assert_int_equal(nvs_cookie_seek(&c, &off, SEEK_END), 0);
    assert_int_equal(off, REGION);
    off = 7;
    assert_int_equal(nvs_cookie_seek(&c, &off, SEEK_SET), 0);
    assert_int_equal(c.pos, 7);
    /* Outside: refused, position kept. */
    off = -8;
    errno = 0;
    assert_int_equal(nvs_cookie_seek(&c, &off, SEEK_CUR), -1);
    assert_int_equal(errno, EINVAL);
    off = 1;
    assert_int_equal(nvs_cookie_seek(&c, &off, SEEK_END), -1);
    off = INT64_MIN;
    assert_int_equal(nvs_cookie_seek(&c, &off, SEEK_END), -1);
    off = INT64_MAX;
    assert_int_equal(nvs_cookie_seek(&c, &off, SEEK_SET), -1);
    off = 0;
    assert_int_equal(nvs_cookie_seek(&c, &off, 42), -1);
    assert_int_equal(c.pos, 7);
    nvs_fake.size_err = NVS_ERR_NODEVICE;
    assert_int_equal(nvs_cookie_seek(&c, &off, SEEK_SET), -1);
    assert_int_equal(errno, ENODEV);
}

/* glibc passes seek offsets as off64_t, the same width as the cookie's. */
static int seek64(void *c, off64_t *off, int whence)
{
    int64_t pos = *off;
    int rc = nvs_cookie_seek(c, &pos, whence);
    *off = pos;
    return rc;
}

static FILE *open_stream(struct nvs_cookie *c, const char *mode)
{
    cookie_io_functions_t io = {nvs_cookie_read, nvs_cookie_write, seek64, NULL};
    return fopencookie(c, mode, io);
}

static void stream_printf_scanf_seek_and_flush(void **state)
{
    (void)state;
    struct nvs_cookie c = {0};
    FILE *f = open_stream(&c, "r+");
    int a = 0, b = 0;
    assert_non_null(f);
    fprintf(f, "boots=%d last=%d\n", 41, 7);
    assert_int_equal(nvs_fake.writes, 0); /* still buffered */
    assert_int_equal(fflush(f), 0);
    assert_memory_equal(nvs_fake.mem, "boots=41 last=7\n", 16);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    assert_int_equal(fscanf(f, "boots=%d last=%d", &a, &b), 2);
    assert_int_equal(a, 41);
    assert_int_equal(b, 7);
    assert_int_equal(fseek(f, -4, SEEK_END), 0);
    assert_int_equal(ftell(f), REGION - 4);
    assert_int_equal(fclose(f), 0);
}

static void stream_hits_eof_and_enospc_at_the_end(void **state)
{
    (void)state;
    struct nvs_cookie c = {0};
    FILE *f = open_stream(&c, "r+");
    char buf[REGION + 10];
    assert_int_equal(fread(buf, 1, sizeof(buf), f), REGION);
    assert_true(feof(f));
    assert_int_equal(buf[REGION - 1], (char)(REGION - 1));
    clearerr(f);
    assert_int_equal(fseek(f, -2, SEEK_END), 0);
    assert_int_equal(fwrite("abcd", 1, 4, f), 4); /* buffered */
    assert_int_not_equal(fflush(f), 0);
    assert_int_equal(errno, ENOSPC);
    assert_memory_equal(nvs_fake.mem + REGION - 2, "ab", 2);
    assert_int_equal(fseek(f, REGION + 1, SEEK_SET), -1);
    fclose(f);
}

static void stream_close_flushes(void **state)
{
    (void)state;
    struct nvs_cookie c = {0};
    FILE *f = open_stream(&c, "w");
    fputs("persisted", f);
    assert_int_equal(nvs_fake.writes, 0);
    assert_int_equal(fclose(f), 0);
    assert_memory_equal(nvs_fake.mem, "persisted", 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(pread_inside_reads_everything, setup),
        cmocka_unit_test_setup(pread_running_past_the_end_is_short, setup),
        cmocka_unit_test_setup(pread_at_the_end_is_zero_and_past_it_an_error, setup),
        cmocka_unit_test_setup(pwrite_is_short_at_the_end_and_refused_there, setup),
        cmocka_unit_test_setup(posix_calls_pass_kernel_errors_through, setup),
        cmocka_unit_test_setup(cookie_read_and_write_advance_the_position, setup),
        cmocka_unit_test_setup(cookie_errors_set_errno, setup),
        cmocka_unit_test_setup(cookie_seek_stays_inside_the_region, setup),
        cmocka_unit_test_setup(stream_printf_scanf_seek_and_flush, setup),
        cmocka_unit_test_setup(stream_hits_eof_and_enospc_at_the_end, setup),
        cmocka_unit_test_setup(stream_close_flushes, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
