/*
 * libFuzzer target for the storage capsule's region-table scanner.
 *
 * The input is the contents of an FRAM storage area. The capsule boots over
 * it (boot scan, header repair), then an app whose owner id is not in the
 * table asks for its region. Besides the sanitizers, these promises are
 * checked and a broken one aborts:
 *   - the chain, followed with nvr_classify, stays inside the area and ends;
 *   - the boot scan touches only header copies of live regions;
 *   - a new region is placed at the end of the chain found by the boot scan
 *     (never over a live region, never past an unreadable header), and
 *     everything it exposes reads as zero;
 *   - a refused allocation changes nothing.
 */
// clang-format off
/* FUZZ_SRCS: capsules/nv_storage.c capsules/nv_region.c drivers/ram_fram.c hal/nvram.c kernel/deferred.c kernel/log.c kernel/fmt.c tests/host/support/fake_kernel.c tests/host/support/nvs_harness.c */
// clang-format on
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/nv_region.h"
#include "tests/host/support/nvs_harness.h"

#define AREA_MAX    4096u
#define AREA_MIN    NVR_SLOT_SIZE
#define REGION_SIZE 64u
#define NEW_OWNER   0xF0F0F0F0u /* a value no test input needs to hold */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t booted[NH_FRAM_SIZE];

static void check(int ok)
{
    if (!ok)
        abort();
}

/* Follow the chain; returns where it ends, aborts on a broken promise. */
static uint32_t follow(uint32_t start, uint32_t end, unsigned *live, int *stopped_corrupt)
{
    uint32_t addr = start;
    struct nvr_slot s;

    *live = 0;
    *stopped_corrupt = 0;
    while (nvr_slot_fits(addr, end)) {
        nvr_classify(nh_mem + addr, addr, end, &s);
        if (s.kind == NVR_SLOT_CORRUPT)
            *stopped_corrupt = 1;
        if (s.kind != NVR_SLOT_LIVE)
            break;
        check(s.data_addr == addr + NVR_SLOT_SIZE);
        check(s.next_addr > addr && s.next_addr <= end);
        check(s.hdr.length > 0);
        addr = s.next_addr;
        (*live)++;
    }
    return addr;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nvs_config cfg;
    uint32_t area = (uint32_t)(size < AREA_MAX ? size : AREA_MAX);
    uint32_t end, chain_end, i;
    unsigned live, live_after;
    int corrupt;
    proc_id_t p;
    struct storage_perms perms = fk_perms_owner(NEW_OWNER);
    struct fk_upcall up;
    uint32_t err;
    struct nvr_slot s;

    if (area < AREA_MIN)
        return 0;
    memset(nh_mem, 0, sizeof(nh_mem));
    memcpy(nh_mem, data, area);
    fk_reset();
    memset(&cfg, 0, sizeof(cfg));
    cfg.area_start = 0;
    cfg.area_len = area;
    cfg.region_size = REGION_SIZE;
    end = area;

    follow(0, end, &live, &corrupt);
    nh_boot(&cfg, NH_FRAM_SIZE);
    check(nh_cap.boot.regions == live);
    /* Repairs rewrite header copies only: the chain is the same after. */
    chain_end = follow(0, end, &live_after, &corrupt);
    check(live_after == live);
    check(chain_end == nh_cap.boot.end_addr);
    check(nh_cap.boot.corrupt == (corrupt != 0));
    for (i = area; i < NH_FRAM_SIZE; i++)
        check(nh_mem[i] == 0);
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
    check(up.a1 == REGION_SIZE);
    check(!corrupt);
    check(memcmp(booted, nh_mem, chain_end) == 0); /* nothing before the end moved */
    nvr_classify(nh_mem + chain_end, chain_end, end, &s);
    check(s.kind == NVR_SLOT_LIVE && s.hdr.owner == NEW_OWNER);
    check(s.hdr.length == REGION_SIZE);
    check(!s.repair_primary && !s.repair_secondary);
    for (i = 0; i < REGION_SIZE; i++)
        check(nh_mem[s.data_addr + i] == 0);
    for (i = end; i < NH_FRAM_SIZE; i++)
        check(nh_mem[i] == 0); /* nothing written past the area */
    return 0;
}
