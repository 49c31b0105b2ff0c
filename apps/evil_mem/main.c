/*
 * evil_mem: one forbidden act per life. The stage counter lives in the
 * app's own storage region (offset 0), so each life (after a fault and the
 * kernel's restart, or after an exit-restart) goes on with the next stage,
 * across restarts and across boots. Every stage prints what it tries; if
 * the act returns, it prints "ESCAPED" (the kernel failed to stop it).
 * After the last stage it prints "evil_mem: all stages done" and exits 0.
 */
#include <stdio.h>
#include <string.h>

#include "abi/tock_abi.h"
#include "userland/syscall.h"

/* mps2-an385 addresses (DESIGN.md; boards/mps2-an385/board.h). */
#define KERNEL_RAM       0x20000000u
#define KERNEL_RAM_LATER 0x20000100u
#define UART0_DATA       0x40004000u
#define SBCON_FRAM_SET   0x4002A000u /* the FRAM's I2C lines */
#define MPU_CTRL         0xE000ED94u
#define KERNEL_CODE      0x00000401u /* Thumb address inside the kernel */
#define NEIGHBOUR_GAP    0x100u
#define SBCON_BOTH_LINES 0x3u
#define ASCII_X          0x58u
#define STAGE_OFFSET     0u
#define DATA_OFFSET      4u
#define INFLIGHT_LEN     2048u
#define FILL             0x5au

enum stage {
    ST_READ_KERNEL_RAM,
    ST_WRITE_KERNEL_RAM,
    ST_WRITE_UART,
    ST_WRITE_I2C,
    ST_DISABLE_MPU,
    ST_READ_NEIGHBOUR,
    ST_CALL_KERNEL,
    ST_FAULT_MID_WRITE,
    ST_EXIT_MID_WRITE,
    ST_DONE,
};

static uint32_t stage_word;
static uint8_t inflight[INFLIGHT_LEN];

static int wait_status(uint32_t num)
{
    return (int)tock_yield_wait_for(DRIVER_NVSTORAGE, num).arg0;
}

static int nv_rw(bool write, uint32_t offset, void *buf, size_t len)
{
    int rc = write ? tock_allow_ro_status(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, buf, len)
                   : tock_allow_rw_status(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, buf, len);

    if (rc == TOCK_SUCCESS)
        rc = tock_command_ok(DRIVER_NVSTORAGE, write ? NVS_CMD_WRITE : NVS_CMD_READ, offset, 0);
    if (rc == TOCK_SUCCESS)
        rc = wait_status(write ? NVS_UPCALL_WRITE : NVS_UPCALL_READ);
    return rc;
}

/* Start a write and do not wait for it. */
static void start_write(void)
{
    memset(inflight, FILL, sizeof(inflight));
    tock_allow_ro(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, inflight, sizeof(inflight));
    tock_command_ok(DRIVER_NVSTORAGE, NVS_CMD_WRITE, DATA_OFFSET, 0);
}

static void escaped(uint32_t stage)
{
    printf("evil_mem: stage %lu ESCAPED\n", (unsigned long)stage);
}

static void attack(uint32_t stage)
{
    typedef void code_fn(void);
    uint32_t ram_end = 0;

    switch (stage) {
    case ST_READ_KERNEL_RAM:
        printf("evil_mem: stage %lu: read kernel RAM\n", (unsigned long)stage);
        fflush(stdout);
        printf("%lx\n", (unsigned long)*(volatile uint32_t *)KERNEL_RAM);
        break;
    case ST_WRITE_KERNEL_RAM:
        printf("evil_mem: stage %lu: write kernel RAM\n", (unsigned long)stage);
        fflush(stdout);
        *(volatile uint32_t *)KERNEL_RAM_LATER = 0;
        break;
    case ST_WRITE_UART:
        printf("evil_mem: stage %lu: write the UART\n", (unsigned long)stage);
        fflush(stdout);
        *(volatile uint32_t *)UART0_DATA = ASCII_X;
        break;
    case ST_WRITE_I2C:
        printf("evil_mem: stage %lu: drive the FRAM's I2C lines\n", (unsigned long)stage);
        fflush(stdout);
        *(volatile uint32_t *)SBCON_FRAM_SET = SBCON_BOTH_LINES;
        break;
    case ST_DISABLE_MPU:
        printf("evil_mem: stage %lu: disable the MPU\n", (unsigned long)stage);
        fflush(stdout);
        *(volatile uint32_t *)MPU_CTRL = 0;
        break;
    case ST_READ_NEIGHBOUR:
        tock_status_u32(tock_memop(MEMOP_RAM_END, 0), &ram_end);
        printf("evil_mem: stage %lu: read the next app's RAM\n", (unsigned long)stage);
        fflush(stdout);
        printf("%lx\n", (unsigned long)*(volatile uint32_t *)(ram_end + NEIGHBOUR_GAP));
        break;
    case ST_CALL_KERNEL:
        printf("evil_mem: stage %lu: call kernel code\n", (unsigned long)stage);
        fflush(stdout);
        ((code_fn *)(uintptr_t)KERNEL_CODE)();
        break;
    case ST_FAULT_MID_WRITE:
        printf("evil_mem: stage %lu: fault mid-write\n", (unsigned long)stage);
        fflush(stdout);
        start_write();
        (void)*(volatile uint32_t *)KERNEL_RAM;
        break;
    case ST_EXIT_MID_WRITE:
        printf("evil_mem: stage %lu: exit-restart mid-write\n", (unsigned long)stage);
        fflush(stdout);
        start_write();
        tock_exit_restart(0);
    default:
        return;
    }
    escaped(stage);
}

int main(void)
{
    int rc = nv_rw(false, STAGE_OFFSET, &stage_word, sizeof(stage_word));
    uint32_t stage = stage_word;

    if (rc != TOCK_SUCCESS) {
        printf("evil_mem: cannot read the stage: error %d\n", rc);
        return 2;
    }
    if (stage >= ST_DONE) {
        printf("evil_mem: all stages done\n");
        return 0;
    }
    stage_word = stage + 1;
    rc = nv_rw(true, STAGE_OFFSET, &stage_word, sizeof(stage_word));
    if (rc != TOCK_SUCCESS) {
        printf("evil_mem: cannot save the stage: error %d\n", rc);
        return 2;
    }
    attack(stage);
    return 1;
}
