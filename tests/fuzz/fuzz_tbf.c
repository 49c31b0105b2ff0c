/*
 * libFuzzer target for the kernel's TBF parser (kernel/tbf.c).
 *
 * The input is an app flash area. It is walked the way the kernel's loader
 * walks one: parse, skip by total_size when the error allows it, stop
 * otherwise. Besides the sanitizers catching any out-of-bounds read, the
 * parser's promises are checked and a broken one aborts:
 *   - on TBF_OK, the header, the binary and the entry point lie inside the
 *     image and the image inside the area; counts and the name are bounded;
 *   - on a skippable error, total_size is usable to reach the next image.
 */
/* FUZZ_SRCS: kernel/tbf.c */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/tbf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static void check_ok(const struct tbf_info *t, uint32_t avail)
{
    CHECK(t->version == TBF_VERSION);
    CHECK(t->total_size >= TBF_BASE_HEADER_SIZE && t->total_size <= avail);
    CHECK(t->header_size >= TBF_BASE_HEADER_SIZE && t->header_size <= t->total_size);
    CHECK(t->enabled == ((t->flags & TBF_FLAG_ENABLED) != 0));
    CHECK(memchr(t->name, '\0', sizeof(t->name)) != NULL);
    CHECK(t->storage.num_read <= STORAGE_MAX_IDS);
    CHECK(t->storage.num_modify <= STORAGE_MAX_IDS);
    CHECK(t->binary_end_offset <= t->total_size);
    if (t->has_program || t->init_fn_offset != 0 || t->min_ram_size != 0) {
        uint64_t start = (uint64_t)t->header_size + t->protected_size;
        uint64_t entry = ((uint64_t)t->header_size + t->init_fn_offset) & ~(uint64_t)1;
        CHECK(start <= t->binary_end_offset);
        CHECK(entry >= start && entry < t->binary_end_offset);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The kernel's area is at most a few MiB; keep the length a u32. */
    uint32_t area = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
    uint32_t off = 0;
    struct tbf_info info;

    while (off < area) {
        uint32_t avail = area - off;
        enum tbf_error err = tbf_parse(data + off, avail, &info);
        CHECK(tbf_error_str(err) != NULL);
        if (err == TBF_OK) {
            check_ok(&info, avail);
        } else if (tbf_error_skippable(err)) {
            CHECK(info.total_size >= TBF_BASE_HEADER_SIZE && info.total_size <= avail);
        } else {
            break;
        }
        off += info.total_size;
    }
    return 0;
}
