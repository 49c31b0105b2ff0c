/*
 * nv_storage: the isolated nonvolatile storage capsule, Tock driver 0x50004.
 *
 * Every process with a storage write id owns at most one region of the FRAM
 * area given by the board, allocated on its first get-size, read or write
 * and found again after a reboot by scanning the region table
 * (capsules/nv_region.h). Reads and writes of any length up to the region
 * size complete in one command, moved through a static bounce buffer of
 * NVS_BOUNCE_SIZE bytes. docs/nvstorage.md is the full behaviour: every
 * error, sync or async, the on-FRAM format and the crash-safety argument.
 *
 * Contract
 *  - The board calls nvs_init() once at boot, before any process runs (it
 *    scans the table with the device's blocking helpers and repairs the
 *    secondary header copies), then lists nvs_driver() in its driver table.
 *  - The capsule owns the nvram device's client callback from nvs_init() on;
 *    nothing else may use that device afterwards.
 *  - All entry points run in kernel thread context; nothing blocks after
 *    boot. One device operation is in flight at a time; requests from
 *    different processes are served whole, in arrival order.
 *  - Per-process state lives in the process's grant (struct nvs_grant); the
 *    capsule itself holds only the request being served.
 *  - Nothing is ever written outside [area_start, area_start + area_len),
 *    and app data only inside the app's own region.
 */
#ifndef CAPSULES_NV_STORAGE_H
#define CAPSULES_NV_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/nvram.h"
#include "kernel/deferred.h"
#include "kernel/driver.h"

/* Bytes moved per device operation; bounds the kernel RAM the capsule uses. */
#define NVS_BOUNCE_SIZE 128u

/* A region size for one owner id, overriding the board's default. */
struct nvs_size_override {
    uint32_t owner;
    uint32_t size;
};

struct nvs_config {
    struct nvram *dev;                         /* the FRAM */
    uint32_t area_start;                       /* device address of the managed area */
    uint32_t area_len;                         /* bytes; the area must lie inside the device */
    uint32_t region_size;                      /* data bytes of a new region (> 0) */
    const struct nvs_size_override *overrides; /* may be NULL */
    size_t num_overrides;
};

/* The request a process has pending (or being served). */
enum nvs_op {
    NVS_OP_NONE = 0,
    NVS_OP_GET_SIZE,
    NVS_OP_READ,
    NVS_OP_WRITE,
};

/* Per-process state, in the process's grant (zeroed on creation). */
struct nvs_grant {
    uint8_t op;           /* enum nvs_op: request pending or being served */
    bool offset_too_big;  /* the upper offset word was nonzero */
    bool has_region;      /* region below is known */
    uint32_t seq;         /* arrival order of the pending request */
    uint32_t offset;      /* low offset word of a read/write */
    uint32_t region_data; /* device address of the region's first byte */
    uint32_t region_len;  /* region bytes */
};

/* Phases of the request being served. */
enum nvs_phase {
    NVS_IDLE,
    NVS_WALK,       /* reading slot headers to find or place the region */
    NVS_CLEAR,      /* allocation: zeroing the new region before commit */
    NVS_COMMIT,     /* allocation: writing the primary header */
    NVS_MIRROR,     /* allocation: writing the secondary header */
    NVS_XFER_READ,  /* moving a chunk FRAM -> bounce -> app */
    NVS_XFER_WRITE, /* moving a chunk app -> bounce -> FRAM */
};

/* Results of the boot scan, for logs and tests. */
struct nvs_boot_scan {
    uint32_t regions;  /* live regions found */
    uint32_t repaired; /* header copies rewritten */
    uint32_t end_addr; /* where the chain ended */
    bool corrupt;      /* it ended at an unreadable header */
    bool device_error; /* a device operation failed during the scan */
};

struct nvs_capsule {
    struct driver drv;
    struct nvram *dev;
    uint32_t area_start;
    uint32_t area_end;
    uint32_t region_size;
    const struct nvs_size_override *overrides;
    size_t num_overrides;
    bool usable; /* device present and area inside it */
    uint32_t next_seq;
    struct deferred_call kick;
    struct nvs_boot_scan boot;

    /* The request being served. */
    enum nvs_phase phase;
    proc_id_t cur;
    uint8_t cur_op;
    uint32_t owner;
    uint32_t cursor; /* WALK: slot address; CLEAR: next byte */
    uint32_t slot;   /* allocation: slot address */
    uint32_t alloc_len;
    uint32_t clear_end;
    uint32_t offset;     /* low offset word of the request */
    bool offset_too_big; /* its upper word was nonzero */
    uint32_t reg_data, reg_len;
    uint32_t xfer_addr; /* device address of the transfer's start */
    uint32_t xfer_len;
    uint32_t done;    /* bytes moved so far */
    uint32_t chunk;   /* bytes of the operation in flight */
    uint8_t *app_ptr; /* the allow buffer the transfer started with */
    uint32_t app_len;

    uint8_t bounce[NVS_BOUNCE_SIZE];
};

/* Boot: set up the capsule from cfg (copied) and scan the region table.
 * c must be static; initialising the same object again is allowed (host
 * tests use it to simulate a reboot). */
void nvs_init(struct nvs_capsule *c, const struct nvs_config *cfg);

/* The driver to list in the board's driver table (by pointer: grants and
 * allow slots are keyed by it). */
const struct driver *nvs_driver(const struct nvs_capsule *c);

/* The region size a new region of owner gets. */
uint32_t nvs_size_for(const struct nvs_capsule *c, uint32_t owner);

#endif /* CAPSULES_NV_STORAGE_H */
