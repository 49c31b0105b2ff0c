/*
 * libFuzzer target for the storage capsule's region-table scanner.
 *
 * The input is the contents of an FRAM storage area. The capsule boots over
 * it (boot scan, record repair, END rewrite), then an app whose owner id is
 * not in the table asks for its region. Besides the sanitizers, these
 * promises are checked and a broken one aborts:
 *   - the boot scan writes only directory positions up to the END it
 *     settles on, and nothing at all on a chip without a table;
 *   - every region it found lies inside the area, above the directory, and
 *     regions do not overlap;
 *   - a new region lies below every region found and above the directory,
 *     everything it exposes reads as zero, and only its data and the
 *     directory positions at and after the old END changed;
 *   - a refused allocation changes nothing; a table declared corrupt
 *     refuses every allocation.
 */
// clang-format off
/* FUZZ_SRCS: capsules/nv_storage.c capsules/nv_region.c drivers/ram_fram.c hal/nvram.c kernel/deferred.c kernel/log.c kernel/log_record.c tests/host/support/fake_kernel.c tests/host/support/nvs_harness.c */
// clang-format on
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/nv_region.h"
#include "tests/host/support/nvs_harness.h"

#define AREA_MAX    4096u
#define AREA_MIN    (2u * NVR_POS_SIZE)
#define REGION_SIZE 64u
#define NEW_OWNER   0xF0F0F0F0u /* a value no test input needs to hold */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t input[NH_FRAM_SIZE];
static uint8_t booted[NH_FRAM_SIZE];

static void check(int ok)
{
    if (!ok)
        abort();
}

/* The regions of the booted table, by reading the directory as the
 * capsule's scan must: positions 0 .. end_pos - 1, damaged ones skipped.
 * Returns the lowest data address in use (the area end when none). */
static uint32_t check_regions(const struct nvr_area *a, uint32_t end_pos)
{
    uint32_t low = a->end, i, dir_end = nvr_pos_addr(a, end_pos + 1u);
    struct nvr_pos p;

    for (i = 0; i < end_pos; i++) {
        nvr_classify(nh_mem + nvr_pos_addr(a, i), a, i, &p);
        if (p.kind == NVR_POS_INVALID)
            continue;
        check(p.kind == NVR_POS_REGION);
        check(p.rec.length > 0 && p.rec.addr >= dir_end);
        check(p.rec.addr + p.rec.length <= low); /* descending: no overlap */
        low = p.rec.addr;
    }
    return low;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nvs_config cfg;
    struct nvr_area a;
    uint32_t area = (uint32_t)(size < AREA_MAX ? size : AREA_MAX);
    uint32_t i, end_pos, low = 0, dir_written;
    proc_id_t p;
    struct storage_perms perms = fk_perms_owner(NEW_OWNER);
    struct fk_upcall up;
    uint32_t err;
    struct nvr_pos pos;

    if (area < AREA_MIN)
        return 0;
    memset(nh_mem, 0, sizeof(nh_mem));
    memcpy(nh_mem, data, area);
    memcpy(input, nh_mem, sizeof(input));
    fk_reset();
    memset(&cfg, 0, sizeof(cfg));
    cfg.area_start = 0;
    cfg.area_len = area;
    cfg.region_size = REGION_SIZE;
    a = (struct nvr_area){0, area};

    nh_boot(&cfg, NH_FRAM_SIZE);
    end_pos = nh_cap.end_pos;
    check(nvr_pos_fits(&a, end_pos));
    /* The scan wrote directory positions 0..end_pos only. */
    dir_written = nvr_pos_addr(&a, end_pos + 1u);
    for (i = dir_written; i < NH_FRAM_SIZE; i++)
        check(nh_mem[i] == input[i]);
    if (!nh_cap.boot.corrupt) {
        nvr_classify(nh_mem + nvr_pos_addr(&a, end_pos), &a, end_pos, &pos);
        /* An END, or nothing at all yet (a chip without a table). */
        check((pos.kind == NVR_POS_END && pos.rec.addr == nh_cap.low) ||
              (end_pos == 0 && pos.kind == NVR_POS_INVALID && nh_cap.low == a.end));
        if (pos.kind == NVR_POS_INVALID)
            check(memcmp(nh_mem, input, sizeof(input)) == 0);
        low = check_regions(&a, end_pos);
        check(nh_cap.low <= low);
    }
    memcpy(booted, nh_mem, sizeof(booted));

    p = fk_spawn(0, &perms);
    if (!nh_call(p, NVS_CMD_GET_SIZE, 0, 0, &err, &up))
        abort(); /* get-size always answers through the upcall here */
    if (up.a0 != TOCK_SUCCESS) {
        check(up.a0 == TOCK_ENOMEM);
        check(memcmp(booted, nh_mem, sizeof(booted)) == 0);
        return 0;
    }
    /* Did the table already hold NEW_OWNER? Then nothing may change. */
    if (memcmp(booted, nh_mem, sizeof(booted)) == 0)
        return 0;
    check(!nh_cap.boot.corrupt);
    check(up.a1 == REGION_SIZE);
    nvr_classify(nh_mem + nvr_pos_addr(&a, end_pos), &a, end_pos, &pos);
    check(pos.kind == NVR_POS_REGION && pos.rec.owner == NEW_OWNER);
    check(pos.rec.length == REGION_SIZE && !pos.repair_primary && !pos.repair_secondary);
    check(pos.rec.addr + REGION_SIZE <= low);
    for (i = 0; i < REGION_SIZE; i++)
        check(nh_mem[pos.rec.addr + i] == 0);
    /* Nothing else moved: positions before the old END, and all data
     * outside the new region and the three positions it wrote. */
    check(memcmp(booted, nh_mem, nvr_pos_addr(&a, end_pos)) == 0);
    for (i = nvr_pos_addr(&a, end_pos + 1u + NVR_SPARE_POSITIONS); i < NH_FRAM_SIZE; i++)
        if (i < pos.rec.addr || i >= pos.rec.addr + REGION_SIZE)
            check(nh_mem[i] == booted[i]);
    nvr_classify(nh_mem + nvr_pos_addr(&a, end_pos + 1u), &a, end_pos + 1u, &pos);
    check(pos.kind == NVR_POS_END);
    return 0;
}
