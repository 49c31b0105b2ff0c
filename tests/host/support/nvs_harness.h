/*
 * nvs_harness: shared set-up for tests of the storage capsule (host tests
 * and fuzz targets): a RAM FRAM behind a pass-through device that can cut
 * the power after the Nth byte written from now on, the capsule on top,
 * and short helpers for commands and completions. Single-threaded.
 */
#ifndef TESTS_HOST_SUPPORT_NVS_HARNESS_H
#define TESTS_HOST_SUPPORT_NVS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/nv_storage.h"
#include "drivers/ram_fram.h"
#include "tests/host/support/fake_kernel.h"

#define NH_FRAM_SIZE 32768u
#define NH_NO_CUT    (-1L)

struct nh_dev {
    struct nvram nv;        /* what the capsule sees */
    struct ram_fram rf;     /* the medium underneath */
    long cut_at;            /* power off after this many more bytes written */
    uint64_t written;       /* bytes whose write started, since boot */
    uint32_t writes, reads; /* operations started, since boot */
};

extern uint8_t nh_mem[NH_FRAM_SIZE];
extern struct nh_dev nh_dev;
extern struct nvs_capsule nh_cap;

/* (Re)boot: power the FRAM on over nh_mem (size bytes, 0 = absent), clear
 * faults and counters, init the capsule with cfg (cfg->dev is replaced by
 * the pass-through device). Processes are not touched. */
void nh_boot(const struct nvs_config *cfg, uint32_t size);

/* Same, with the power cut armed before the capsule's boot scan runs. */
void nh_boot_with_cut(const struct nvs_config *cfg, uint32_t size, long cut_at);

/* Run deferred calls until none is pending. */
void nh_run(void);

/* Issue a command on the capsule's driver. */
struct syscall_ret nh_cmd(proc_id_t pid, uint32_t cmd, uint32_t arg1, uint32_t arg2);

/* Issue a command, run to completion, take the process's first upcall.
 * Returns false if the command failed synchronously (*sync_err set) or no
 * upcall came. */
bool nh_call(proc_id_t pid, uint32_t cmd, uint32_t arg1, uint32_t arg2, uint32_t *sync_err,
             struct fk_upcall *up);

#endif /* TESTS_HOST_SUPPORT_NVS_HARNESS_H */
