/*
 * nv_storage: the isolated nonvolatile storage capsule, Tock driver 0x50004.
 *
 * Every process with a storage write id owns at most one region of the FRAM
 * area given by the board, allocated on its first get-size, read or write
 * and found again after a reboot by scanning the region table
 * (capsules/nv_region.h) once at boot; from then on an in-RAM index makes
 * finding a region, refusing one and allocating one cost O(1) FRAM
 * accesses (NVS_INDEX_MAX). Reads and writes of any length up to the region
 * size complete in one command, moved through a static bounce buffer of
 * NVS_BOUNCE_SIZE bytes. docs/nvstorage.md is the full behaviour: every
 * error, sync or async, the on-FRAM format and the crash-safety argument.
 *
 * Contract
 *  - The board calls nvs_init() once at boot, before any process runs (it
 *    scans the table with the device's blocking helpers, repairs damaged
 *    record copies and a missing END), then lists nvs_driver() in its
 *    driver table.
 *  - The capsule owns the nvram device's client callback from nvs_init() on;
 *    nothing else may use that device afterwards.
 *  - All entry points run in kernel thread context; nothing blocks after
 *    boot. One device operation is in flight at a time; requests from
 *    different processes are served whole, in arrival order (a bounded
 *    queue of process ids: no walk over the processes).
 *  - Per-process state lives in the process's grant (struct nvs_grant); the
 *    capsule holds the request being served, the queue and the index.
 *  - Nothing is ever written outside [area_start, area_start + area_len),
 *    and app data only inside the app's own region.
 */
#ifndef CAPSULES_NV_STORAGE_H
#define CAPSULES_NV_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/nv_region.h"
#include "hal/nvram.h"
#include "kernel/deferred.h"
#include "kernel/driver.h"

/* Bytes moved per device operation; bounds the kernel RAM the capsule uses. */
#define NVS_BOUNCE_SIZE 128u

/* Regions whose owners the boot scan keeps in RAM (2 bytes each): an owner
 * among them is found with one FRAM read; owners at later directory
 * positions are found by reading those positions (one read each). */
#define NVS_INDEX_MAX 8u

/* Requests waiting for the device, in arrival order. One per process at
 * most (a second one is refused with BUSY), so this is at least the
 * kernel's number of process slots; a request that finds it full of live
 * requests is refused with BUSY too. */
#define NVS_QUEUE_MAX 8u

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
    bool nomem_logged;    /* a refused allocation was logged for this process */
    uint32_t offset;      /* low offset word of a read/write */
    uint32_t region_data; /* device address of the region's first byte */
    uint32_t region_len;  /* region bytes */
};

/* Phases of the request being served. */
enum nvs_phase {
    NVS_IDLE,
    NVS_LOOKUP,     /* reading a directory position to find the owner's region */
    NVS_CLEAR,      /* allocation: zeroing the new region's data */
    NVS_CLEAR_POS,  /* allocation: zeroing the position after the new END */
    NVS_COMMIT,     /* allocation: writing the new END, then the region record */
    NVS_XFER_READ,  /* moving a chunk FRAM -> bounce -> app */
    NVS_XFER_WRITE, /* moving a chunk app -> bounce -> FRAM */
};

/* Results of the boot scan, for logs and tests. */
struct nvs_boot_scan {
    uint16_t regions;  /* live regions found */
    uint16_t repaired; /* record copies rewritten */
    uint16_t damaged;  /* positions skipped as damaged (their regions lost) */
    bool corrupt;      /* allocation stopped: inconsistent table, or format 1 */
    bool format1;      /* a format-1 table: refused */
    bool end_written;  /* the END was missing and has been rewritten */
    bool device_error; /* a device operation failed during the scan */
};

struct nvs_capsule {
    struct driver drv;
    struct nvram *dev;
    struct nvr_area area;
    uint32_t region_size;
    const struct nvs_size_override *overrides;
    size_t num_overrides;
    bool usable; /* device present and area inside it */
    struct deferred_call kick;
    struct nvs_boot_scan boot;

    /* The table, as the boot scan found it and allocations keep it. */
    uint32_t end_pos;              /* directory position of the END */
    uint32_t low;                  /* data low-water mark */
    uint16_t index[NVS_INDEX_MAX]; /* owner key per position; 0: none */

    /* Waiting requests: a ring of process ids. */
    proc_id_t queue[NVS_QUEUE_MAX];
    uint8_t q_head, q_len;

    /* The request being served. */
    enum nvs_phase phase;
    proc_id_t cur;
    uint8_t cur_op;
    uint8_t step;        /* COMMIT: which of the four record copies */
    bool offset_too_big; /* the request's upper offset word was nonzero */
    uint32_t owner;
    uint32_t pos;    /* LOOKUP: position being read */
    uint32_t cursor; /* CLEAR: next byte */
    uint32_t clear_end;
    uint32_t alloc_len;
    uint32_t offset; /* low offset word of the request */
    uint32_t reg_data, reg_len;
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
