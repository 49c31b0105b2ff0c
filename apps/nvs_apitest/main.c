/*
 * nvs_apitest: every public libnvstorage function, on the real kernel and
 * FRAM, with its success and error paths. Expects a fresh (all-zero) FRAM
 * image. Prints "apitest: ok <check>" or "apitest: FAIL <check>: got X want
 * Y" per check, then "apitest: N checks, F failed"; exit status F.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_crc32.h"
#include "libnvstorage/nvs_posix.h"
#include "libnvstorage/nvs_record.h"
#include "libnvstorage/nvs_stdio.h"
#include "userland/syscall.h"

#define UPPER_WORD_OFFSET (1ull << 32)
#define SMALL             32
#define RECORD_OFF        1024
#define FRESH_OFF         2048

static unsigned checks, failed;

static void expect(const char *name, long long got, long long want)
{
    checks++;
    if (got == want) {
        printf("apitest: ok %s\n", name);
    } else {
        failed++;
        printf("apitest: FAIL %s: got %ld want %ld\n", name, (long)got, (long)want);
    }
}

struct done {
    int fired;
    int err;
    size_t moved;
    uint64_t size;
};

static void on_done(int err, size_t moved, void *ctx)
{
    struct done *d = ctx;
    d->fired++;
    d->err = err;
    d->moved = moved;
}

static void on_size(int err, uint64_t size, void *ctx)
{
    struct done *d = ctx;
    d->fired++;
    d->err = err;
    d->size = size;
}

static void wait_for(struct done *d)
{
    while (!d->fired)
        tock_yield_wait();
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed + i * 3);
}

static void test_core(uint64_t size, uint8_t *big, uint8_t *back)
{
    uint8_t a[SMALL], b[SMALL];
    uint64_t s2 = 0;

    expect("exists", nvs_exists(), NVS_OK);
    expect("size_null", nvs_size(NULL), NVS_ERR_ARG);
    expect("size_again", nvs_size(&s2), NVS_OK);
    expect("size_stable", (long long)s2, (long long)size);
    fill(a, SMALL, 1);
    expect("write_start", nvs_write(0, a, SMALL), NVS_OK);
    expect("read_start", nvs_read(0, b, SMALL), NVS_OK);
    expect("read_matches", memcmp(a, b, SMALL), 0);
    expect("write_last_bytes", nvs_write(size - SMALL, a, SMALL), NVS_OK);
    expect("read_last_bytes", nvs_read(size - SMALL, b, SMALL), NVS_OK);
    expect("read_last_matches", memcmp(a, b, SMALL), 0);
    expect("read_len0", nvs_read(0, NULL, 0), NVS_OK);
    expect("write_len0", nvs_write(0, NULL, 0), NVS_OK);
    expect("read_null", nvs_read(0, NULL, 1), NVS_ERR_ARG);
    expect("write_null", nvs_write(0, NULL, 1), NVS_ERR_ARG);
    expect("read_across_end", nvs_read(size - 1, b, 2), NVS_ERR_INVAL);
    expect("write_across_end", nvs_write(size - 1, a, 2), NVS_ERR_INVAL);
    expect("read_at_end", nvs_read(size, b, 1), NVS_ERR_INVAL);
    expect("write_past_end", nvs_write(size + 1, a, 1), NVS_ERR_INVAL);
    expect("read_upper_word", nvs_read(UPPER_WORD_OFFSET, b, 1), NVS_ERR_INVAL);
    expect("write_upper_word", nvs_write(UPPER_WORD_OFFSET, a, 1), NVS_ERR_INVAL);
    /* The whole region in one call each way (any-length promise). */
    fill(big, (size_t)size, 7);
    expect("write_whole_region", nvs_write(0, big, (size_t)size), NVS_OK);
    memset(back, 0, (size_t)size);
    expect("read_whole_region", nvs_read(0, back, (size_t)size), NVS_OK);
    expect("whole_region_matches", memcmp(big, back, (size_t)size), 0);
}

static void test_async(uint64_t size)
{
    static uint8_t a[SMALL], b[SMALL];
    struct done d = {0}, d2 = {0};

    fill(a, SMALL, 9);
    expect("write_async_start", nvs_write_async(100, a, SMALL, on_done, &d), NVS_OK);
    expect("busy_while_pending", nvs_busy(), 1);
    expect("sync_read_busy", nvs_read(0, b, 1), NVS_ERR_BUSY);
    expect("sync_size_cached_ok", nvs_size(&(uint64_t){0}), NVS_OK);
    expect("read_async_busy", nvs_read_async(0, b, 1, on_done, &d2), NVS_ERR_BUSY);
    expect("size_async_busy", nvs_size_async(on_size, &d2), NVS_ERR_BUSY);
    wait_for(&d);
    expect("write_async_cb_once", d.fired, 1);
    expect("write_async_err", d.err, NVS_OK);
    expect("write_async_moved", (long long)d.moved, SMALL);
    expect("not_busy_after", nvs_busy(), 0);
    d = (struct done){0};
    expect("read_async_start", nvs_read_async(100, b, SMALL, on_done, &d), NVS_OK);
    wait_for(&d);
    expect("read_async_err", d.err, NVS_OK);
    expect("read_async_moved", (long long)d.moved, SMALL);
    expect("read_async_matches", memcmp(a, b, SMALL), 0);
    d = (struct done){0};
    expect("size_async_start", nvs_size_async(on_size, &d), NVS_OK);
    wait_for(&d);
    expect("size_async_err", d.err, NVS_OK);
    expect("size_async_value", (long long)d.size, (long long)size);
    d = (struct done){0};
    expect("read_async_past_end_start", nvs_read_async(size, b, 1, on_done, &d), NVS_OK);
    wait_for(&d);
    expect("read_async_past_end_cb", d.err, NVS_ERR_INVAL);
    d = (struct done){0};
    expect("write_async_upper_start", nvs_write_async(UPPER_WORD_OFFSET, a, 1, on_done, &d),
           NVS_OK);
    wait_for(&d);
    expect("write_async_upper_cb", d.err, NVS_ERR_INVAL);
    expect("read_async_null_cb", nvs_read_async(0, b, 1, NULL, NULL), NVS_ERR_ARG);
    expect("read_async_null_buf", nvs_read_async(0, NULL, 1, on_done, &d), NVS_ERR_ARG);
    expect("write_async_len0", nvs_write_async(0, a, 0, on_done, &d), NVS_ERR_ARG);
    expect("size_async_null_cb", nvs_size_async(NULL, NULL), NVS_ERR_ARG);
    /* A sync call after async completions still works (yield-wait-for). */
    expect("sync_after_async", nvs_read(100, b, SMALL), NVS_OK);
}

static void test_posix(uint64_t size)
{
    uint8_t buf[SMALL];

    memset(buf, 0x5A, sizeof(buf));
    expect("pwrite_inside", nvs_pwrite(buf, SMALL, 200), SMALL);
    expect("pread_inside", nvs_pread(buf, SMALL, 200), SMALL);
    expect("pwrite_short_at_end", nvs_pwrite(buf, SMALL, size - 5), 5);
    expect("pread_short_at_end", nvs_pread(buf, SMALL, size - 5), 5);
    expect("pread_at_end", nvs_pread(buf, SMALL, size), 0);
    expect("pread_past_end", nvs_pread(buf, SMALL, size + 1), NVS_ERR_PAST_END);
    expect("pwrite_at_end", nvs_pwrite(buf, SMALL, size), NVS_ERR_NO_SPACE);
    expect("pwrite_past_end", nvs_pwrite(buf, SMALL, size + 1), NVS_ERR_PAST_END);
    expect("pread_upper_word", nvs_pread(buf, 1, UPPER_WORD_OFFSET), NVS_ERR_PAST_END);
    expect("pread_null", nvs_pread(NULL, 1, 0), NVS_ERR_ARG);
    expect("pwrite_null", nvs_pwrite(NULL, 1, 0), NVS_ERR_ARG);
}

static void test_stdio(uint64_t size)
{
    int err = 0, n = 0;
    char word[16] = {0};
    char tail[SMALL];
    char raw[5];
    FILE *f;

    expect("fopen_append_refused", nvs_fopen("a", &err) == NULL, 1);
    expect("fopen_append_err", err, NVS_ERR_ARG);
    expect("fopen_bad_mode_errno", errno, EINVAL);
    expect("fopen_null_mode", nvs_fopen(NULL, NULL) == NULL, 1);
    f = nvs_fopen("r+", &err);
    expect("fopen_ok", f != NULL, 1);
    expect("fopen_err_ok", err, NVS_OK);
    if (f == NULL)
        return;
    expect("fseek_set", fseek(f, 300, SEEK_SET), 0);
    expect("fprintf", fprintf(f, "count %d\n", 1234), 11);
    nvs_read(300, raw, sizeof(raw));
    expect("fprintf_buffered", memcmp(raw, "count", sizeof(raw)) != 0, 1);
    expect("fflush", fflush(f), 0);
    nvs_read(300, raw, sizeof(raw));
    expect("fflush_reached_chip", memcmp(raw, "count", sizeof(raw)), 0);
    expect("ftell_after_write", ftell(f), 311);
    expect("fseek_back", fseek(f, 300, SEEK_SET), 0);
    expect("fscanf", fscanf(f, "%15s %d", word, &n), 2);
    expect("fscanf_value", n, 1234);
    expect("fseek_end", fseek(f, -10, SEEK_END), 0);
    expect("ftell_end", ftell(f), (long)size - 10);
    expect("fread_to_eof", (long long)fread(tail, 1, sizeof(tail), f), 10);
    expect("feof", feof(f) != 0, 1);
    expect("fseek_past_end", fseek(f, 1, SEEK_END), -1);
    clearerr(f);
    expect("fseek_near_end", fseek(f, -2, SEEK_END), 0);
    /* The 2 bytes that fit land; the rest is refused with ENOSPC, by
     * fwrite itself or at the latest by the fflush. */
    errno = 0;
    size_t put = fwrite("wxyz", 1, 4, f);
    int flushed = fflush(f);
    printf("apitest: fwrite at the end took %u, fflush %d\n", (unsigned)put, flushed);
    expect("write_past_end_refused", put < 4 || flushed == EOF, 1);
    expect("write_past_end_errno", errno, ENOSPC);
    expect("write_past_end_ferror", ferror(f) != 0, 1);
    clearerr(f);
    expect("fclose", fclose(f), 0);
    f = nvs_fopen("r", NULL);
    expect("fopen_r", f != NULL, 1);
    if (f != NULL) {
        fseek(f, 300, SEEK_SET);
        expect("persisted_text", fscanf(f, "%15s %d", word, &n) == 2 && n == 1234, 1);
        fseek(f, -2, SEEK_END);
        expect("partial_flush_landed", fgetc(f), 'w');
        expect("fclose_r", fclose(f), 0);
    }
}

static void test_records(uint64_t size)
{
    struct nvs_record rec = NVS_RECORD_INIT(RECORD_OFF, sizeof(uint64_t));
    struct nvs_record fresh = NVS_RECORD_INIT(FRESH_OFF, sizeof(uint64_t));
    struct nvs_record other = NVS_RECORD_INIT(RECORD_OFF, sizeof(uint32_t));
    struct nvs_record outside = NVS_RECORD_INIT(size - 10, sizeof(uint64_t));
    uint64_t v = 0, w = 0;
    uint8_t zeros[64] = {0};

    expect("footprint", (long long)nvs_record_footprint(8), 48);
    expect("crc32_check_value", nvs_crc32(0, "123456789", 9), 0xCBF43926ll);
    nvs_write(FRESH_OFF, zeros, sizeof(zeros));
    expect("record_load_none", nvs_record_load(&fresh, &v), NVS_ERR_NO_RECORD);
    v = 0x1122334455667788ull;
    expect("record_save", nvs_record_save(&rec, &v), NVS_OK);
    v++;
    expect("record_save_again", nvs_record_save(&rec, &v), NVS_OK);
    struct nvs_record again = NVS_RECORD_INIT(RECORD_OFF, sizeof(uint64_t));
    expect("record_load", nvs_record_load(&again, &w), NVS_OK);
    expect("record_value", w == v, 1);
    expect("record_seq", again.seq, 2);
    expect("record_valid_both", again.valid, 3);
    expect("record_other_size", nvs_record_load(&other, &w), NVS_ERR_NO_RECORD);
    expect("record_null", nvs_record_load(NULL, &w), NVS_ERR_ARG);
    expect("record_save_null", nvs_record_save(&rec, NULL), NVS_ERR_ARG);
    expect("record_outside", nvs_record_save(&outside, &v), NVS_ERR_INVAL);
}

static void test_errors(void)
{
    expect("strerror_nosupport", strstr(nvs_strerror(NVS_ERR_NOSUPPORT), "NOSUPPORT") != NULL, 1);
    expect("strerror_unknown", nvs_strerror(-999999) != NULL, 1);
    expect("from_tock", nvs_from_tock(TOCK_ENOMEM), NVS_ERR_NOMEM);
    expect("to_errno", nvs_to_errno(NVS_ERR_PAST_END), ENXIO);
}

int main(void)
{
    uint64_t size = 0;
    int err = nvs_size(&size);
    uint8_t *big, *back;

    expect("size", err, NVS_OK);
    if (err != NVS_OK || size < 4096)
        return 1;
    big = malloc((size_t)size);
    back = malloc((size_t)size);
    if (big == NULL || back == NULL)
        return 1;
    test_core(size, big, back);
    free(big); /* leave heap for stdio's buffer */
    free(back);
    test_async(size);
    test_posix(size);
    test_stdio(size);
    test_records(size);
    test_errors();
    printf("apitest: %u checks, %u failed\n", checks, failed);
    return (int)failed;
}
