/*
 * evil_region: an app with a storage region of its own that tries to reach
 * past it: offsets at and past the end, offsets that wrap, a nonzero upper
 * offset word, "negative" 64-bit offsets, and buffers re-allowed (bigger)
 * or withdrawn while a transfer is in flight. Each attack prints one line:
 * "refused" with the error (sync or in the upcall), or "ACCEPTED" if the
 * kernel carried out an operation that reaches outside the region. The
 * victim's side (nv_guard's pattern, the FRAM table) is checked by the test.
 * Exit 0 if every attack was refused, 1 otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "abi/tock_abi.h"
#include "userland/syscall.h"

#define REGION_MAX  4096u
#define FILL_A      0xaau
#define FILL_B      0xbbu
#define OFFSET_NONE 0u

static uint8_t buf_a[REGION_MAX];
static uint8_t buf_b[2 * REGION_MAX];
static int failures;

struct result {
    int sync;      /* the command's status */
    int async;     /* the upcall's status, if the command was accepted */
    uint32_t arg1; /* the upcall's second argument (get-size: the size) */
};

static struct result op(uint32_t cmd, uint32_t num, uint32_t lo, uint32_t hi)
{
    struct result r = {tock_command_ok(DRIVER_NVSTORAGE, cmd, lo, hi), TOCK_SUCCESS, 0};

    if (r.sync == TOCK_SUCCESS) {
        tock_event_t ev = tock_yield_wait_for(DRIVER_NVSTORAGE, num);
        r.async = (int)ev.arg0;
        r.arg1 = ev.arg1;
    }
    return r;
}

/* An attack that must fail, synchronously or in its upcall. */
static void expect_refused(const char *what, uint32_t cmd, uint32_t lo, uint32_t hi, size_t len)
{
    struct result r;

    if (cmd == NVS_CMD_WRITE)
        tock_allow_ro(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, buf_a, len);
    else
        tock_allow_rw(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, buf_b, len);
    r = op(cmd, cmd == NVS_CMD_WRITE ? NVS_UPCALL_WRITE : NVS_UPCALL_READ, lo, hi);
    if (r.sync != TOCK_SUCCESS)
        printf("evil_region: %s: refused (command error %d)\n", what, r.sync);
    else if (r.async != TOCK_SUCCESS)
        printf("evil_region: %s: refused (upcall error %d)\n", what, r.async);
    else {
        printf("evil_region: %s: ACCEPTED\n", what);
        failures++;
    }
}

/* Start a full-region write, then swap the buffer under it. */
static void reallow_mid_write(uint32_t size)
{
    struct result r = {0, 0, 0};

    memset(buf_a, FILL_A, sizeof(buf_a));
    memset(buf_b, FILL_B, sizeof(buf_b));
    tock_allow_ro(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, buf_a, size);
    r.sync = tock_command_ok(DRIVER_NVSTORAGE, NVS_CMD_WRITE, OFFSET_NONE, 0);
    /* Bigger than the region: a capsule that followed it would overrun. */
    tock_allow_ro(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, buf_b, sizeof(buf_b));
    r.async = r.sync == TOCK_SUCCESS
                  ? (int)tock_yield_wait_for(DRIVER_NVSTORAGE, NVS_UPCALL_WRITE).arg0
                  : r.sync;
    printf("evil_region: re-allow bigger buffer mid-write: status %d\n", r.async);
    tock_allow_ro(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, NULL, 0);
}

/* Start a full-region read, then withdraw the buffer. */
static void unallow_mid_read(uint32_t size)
{
    struct result r;

    tock_allow_rw(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, buf_b, size);
    r.sync = tock_command_ok(DRIVER_NVSTORAGE, NVS_CMD_READ, OFFSET_NONE, 0);
    tock_allow_rw(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, NULL, 0);
    r.async = r.sync == TOCK_SUCCESS
                  ? (int)tock_yield_wait_for(DRIVER_NVSTORAGE, NVS_UPCALL_READ).arg0
                  : r.sync;
    printf("evil_region: withdraw buffer mid-read: status %d\n", r.async);
}

int main(void)
{
    struct result r = op(NVS_CMD_GET_SIZE, NVS_UPCALL_GET_SIZE, 0, 0);
    uint32_t size = r.arg1;

    if (r.sync != TOCK_SUCCESS || r.async != TOCK_SUCCESS) {
        printf("evil_region: get size failed (%d/%d)\n", r.sync, r.async);
        return 1;
    }
    if (size == 0 || size > REGION_MAX) {
        printf("evil_region: unexpected region size %lu\n", (unsigned long)size);
        return 1;
    }
    printf("evil_region: region of %lu bytes\n", (unsigned long)size);

    expect_refused("write at the end", NVS_CMD_WRITE, size, 0, 1);
    expect_refused("write across the end", NVS_CMD_WRITE, size - 1, 0, 2);
    expect_refused("write whole region at offset 1", NVS_CMD_WRITE, 1, 0, size);
    expect_refused("write at offset 2^32-1 (wraps)", NVS_CMD_WRITE, UINT32_MAX, 0, 2);
    expect_refused("write at offset -256 (wraps)", NVS_CMD_WRITE, 0u - 256u, 0, 512);
    expect_refused("write with upper offset word 1", NVS_CMD_WRITE, 0, 1, 16);
    expect_refused("write at 64-bit offset -16", NVS_CMD_WRITE, 0u - 16u, UINT32_MAX, 16);
    expect_refused("read at the end", NVS_CMD_READ, size, 0, 1);
    expect_refused("read across the end", NVS_CMD_READ, size - 8, 0, 16);
    expect_refused("read at offset 2^32-1 (wraps)", NVS_CMD_READ, UINT32_MAX, 0, 2);
    expect_refused("read with upper offset word 1", NVS_CMD_READ, 0, 1, 16);
    expect_refused("read at 64-bit offset -16", NVS_CMD_READ, 0u - 16u, UINT32_MAX, 16);
    reallow_mid_write(size);
    unallow_mid_read(size);
    printf("evil_region: done, %d accepted\n", failures);
    return failures != 0 ? 1 : 0;
}
