/*
 * nvs_demo: a tour of libnvstorage. Each section uses one layer of the
 * library on its own part of the region:
 *
 *   [0, 64)       core: synchronous and asynchronous read/write
 *   [64, 320)     stdio: a small text file written with fprintf
 *   [320, ...)    atomic record: a run counter
 *   [512, 2560)   key-value store: a run counter and a greeting, updated
 *                 together in one batch
 *   the last 8 bytes: pread/pwrite at the end of the region
 *
 * Output lines start with "nvs_demo:". Exit status 0, or 1 on any error.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_kv.h"
#include "libnvstorage/nvs_posix.h"
#include "libnvstorage/nvs_record.h"
#include "libnvstorage/nvs_stdio.h"
#include "userland/syscall.h"

#define CORE_OFF   0
#define TEXT_OFF   64
#define RECORD_OFF 320
#define TAIL_LEN   8
#define KV_OFF     512
#define KV_SIZE    2048
#define KV_SLOTS   8

#define CHECK(what, expr)                                                                          \
    do {                                                                                           \
        int check_err_ = (expr);                                                                   \
        if (check_err_ != NVS_OK) {                                                                \
            printf("nvs_demo: %s failed: %s\n", what, nvs_strerror(check_err_));                   \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

struct done {
    bool fired;
    int err;
    size_t moved;
};

static void on_done(int err, size_t moved, void *ctx)
{
    struct done *d = ctx;
    d->err = err;
    d->moved = moved;
    d->fired = true;
}

static int core_tour(uint64_t *size)
{
    static const char msg[] = "hello, nonvolatile world";
    char back[sizeof(msg)] = {0};
    struct done d = {0};

    CHECK("nvs_exists", nvs_exists());
    CHECK("nvs_size", nvs_size(size));
    printf("nvs_demo: driver present, region is %lu bytes\n", (unsigned long)*size);
    CHECK("nvs_write", nvs_write(CORE_OFF, msg, sizeof(msg)));
    CHECK("nvs_read", nvs_read(CORE_OFF, back, sizeof(back)));
    printf("nvs_demo: sync read back \"%s\"\n", back);

    /* Asynchronous: start, do other work, yield until the callback ran. */
    memset(back, 0, sizeof(back));
    CHECK("nvs_read_async", nvs_read_async(CORE_OFF, back, sizeof(back), on_done, &d));
    printf("nvs_demo: async read started, busy=%d\n", nvs_busy());
    while (!d.fired)
        tock_yield_wait();
    CHECK("async read result", d.err);
    printf("nvs_demo: async read moved %u bytes: \"%s\"\n", (unsigned)d.moved, back);
    return 0;
}

static int stdio_tour(void)
{
    int err;
    FILE *f = nvs_fopen("r+", &err);
    int runs = 0;
    char word[16] = {0};

    CHECK("nvs_fopen", err);
    fseek(f, TEXT_OFF, SEEK_SET);
    fprintf(f, "demo %d\n", 42);
    fflush(f); /* now on the chip */
    fseek(f, TEXT_OFF, SEEK_SET);
    if (fscanf(f, "%15s %d", word, &runs) != 2) {
        printf("nvs_demo: fscanf failed\n");
        fclose(f);
        return 1;
    }
    printf("nvs_demo: stdio read back \"%s %d\" at offset %d\n", word, runs, TEXT_OFF);
    return fclose(f) == 0 ? 0 : 1;
}

static int posix_tour(uint64_t size)
{
    char tail[2 * TAIL_LEN];
    ssize_t n = nvs_pwrite("ENDBYTES", TAIL_LEN, size - TAIL_LEN);

    printf("nvs_demo: pwrite of %d bytes at the end wrote %d\n", TAIL_LEN, (int)n);
    n = nvs_pread(tail, sizeof(tail), size - TAIL_LEN);
    printf("nvs_demo: pread of %u bytes %d before the end got %d (short read)\n",
           (unsigned)sizeof(tail), TAIL_LEN, (int)n);
    n = nvs_pread(tail, sizeof(tail), size);
    printf("nvs_demo: pread at the end got %d\n", (int)n);
    n = nvs_pread(tail, sizeof(tail), size + 1);
    printf("nvs_demo: pread past the end: %s\n", nvs_strerror((int)n));
    return 0;
}

static int record_tour(void)
{
    struct nvs_record rec = NVS_RECORD_INIT(RECORD_OFF, sizeof(uint32_t));
    uint32_t runs = 0;
    int err = nvs_record_load(&rec, &runs);

    if (err == NVS_ERR_NO_RECORD)
        runs = 0;
    else
        CHECK("nvs_record_load", err);
    runs++;
    CHECK("nvs_record_save", nvs_record_save(&rec, &runs));
    printf("nvs_demo: atomic record: demo has run %lu times (record uses %lu bytes)\n",
           (unsigned long)runs, (unsigned long)nvs_record_footprint(sizeof(runs)));
    return 0;
}

static int kv_tour(void)
{
    static struct nvs_kv kv;
    static struct nvs_kv_slot slots[KV_SLOTS];
    static const char hello[] = "hello from the key-value store";
    char greeting[sizeof(hello)] = "";
    uint32_t runs = 0;
    unsigned cursor = 0, keys = 0;
    size_t len = 0;
    char key[NVS_KV_KEY_MAX];
    int err;

    CHECK("nvs_kv_open", nvs_kv_open(&kv, KV_OFF, KV_SIZE, slots, KV_SLOTS));
    err = nvs_kv_get(&kv, "runs", 4, 0, &runs, sizeof(runs), &len);
    if (err != NVS_ERR_NOT_FOUND)
        CHECK("nvs_kv_get", err);
    runs++;
    /* Both keys change together or not at all, even across a power cut. */
    struct nvs_kv_op ops[] = {
        {.kind = NVS_KV_PUT, .key = "runs", .klen = 4, .value = &runs, .vlen = sizeof(runs)},
        {.kind = NVS_KV_PUT, .key = "greeting", .klen = 8, .value = hello, .vlen = sizeof(hello)},
    };
    CHECK("nvs_kv_batch", nvs_kv_batch(&kv, ops, 2));
    CHECK("nvs_kv_get", nvs_kv_get(&kv, "greeting", 8, 0, greeting, sizeof(greeting), &len));
    while (nvs_kv_next(&kv, &cursor, key, sizeof(key), &len) == NVS_OK)
        keys++;
    printf("nvs_demo: key-value store: runs=%lu greeting=\"%s\" keys=%u (each entry takes %u "
           "bytes more than its key and value)\n",
           (unsigned long)runs, greeting, keys, NVS_KV_ENTRY_BYTES(0, 0));
    return 0;
}

int main(void)
{
    uint64_t size = 0;

    if (core_tour(&size) || stdio_tour() || posix_tour(size) || record_tour() || kv_tour())
        return 1;
    printf("nvs_demo: tour complete\n");
    return 0;
}
