/*
 * mps2-an505 board: wires drivers to capsules and starts the kernel.
 *
 * Everything board-specific lives here and in board.h; the kernel core and
 * the capsules know nothing about this chip.
 */
#include <stddef.h>
#include <stdint.h>

#include "boards/mps2-an505/board.h"
#include "boards/mps2-an505/fram.h"
#include "capsules/alarm.h"
#include "capsules/console.h"
#include "capsules/lldebug.h"
#include "capsules/nv_storage.h"
#include "drivers/cmsdk_timer.h"
#include "drivers/cmsdk_uart.h"
#include "kernel/arch/cortex-m/arch.h"
#include "kernel/kernel.h"
#include "kernel/log.h"
#include "kernel/storage_policy.h"

/* Test-only kernels (tests/ktest/) define this; production kernels don't. */
void ktest_main(void) __attribute__((weak));

static struct cmsdk_uart uart0;
static struct cmsdk_alarm timer;
static struct console console;
static struct alarm_capsule alarm;
static struct lldebug lldebug;
static struct nvs_capsule nvstorage;

static const struct driver *const drivers[] = {
    &alarm.drv,
    &console.drv,
    &lldebug.drv,
    &nvstorage.drv,
};

static void service_interrupts(void)
{
    if (arch_irq_take_pending(UART0_RX_IRQ))
        uart0.uart.ops->rx_bottom_half(&uart0.uart);
    if (arch_irq_take_pending(TIMER0_IRQ))
        timer.hw.ops->bottom_half(&timer.hw);
}

static const struct kernel_config kernel_config = {
    .drivers = drivers,
    .num_drivers = sizeof(drivers) / sizeof(drivers[0]),
    .timeslice_cycles = BOARD_TIMESLICE_CYCLES,
    .grant_reserve = BOARD_GRANT_RESERVE,
    .restart_limit = BOARD_RESTART_LIMIT,
    .exit_when_done = true,
    .storage_policy = storage_policy_tbf,
    .service_interrupts = service_interrupts,
    .app_flash_start = _app_flash_start,
    .app_flash_end = _app_flash_end,
    .app_ram_start = _app_ram_start,
    .app_ram_end = _app_ram_end,
};

/* For test-only kernels that run apps themselves (tests/ktest/). */
const struct kernel_config *board_kernel_config(void);
const struct kernel_config *board_kernel_config(void)
{
    return &kernel_config;
}

static void console_sink(const char *s, size_t len)
{
    uart_write(&uart0.uart, (const uint8_t *)s, len);
}

static void banner(void)
{
    uint32_t text = (uint32_t)(_etext - _stext);
    uint32_t data = (uint32_t)(_edata - _sdata);
    uint32_t bss = (uint32_t)(_ebss - _sbss);
    uint32_t stack = (uint32_t)(_estack - _ebss);

    log_info("nvkernel " KERNEL_VERSION " on " BOARD_NAME);
    log_info("kernel flash: %u bytes used (text+rodata %u, data %u)", (unsigned)(text + data),
             (unsigned)text, (unsigned)data);
    log_info("kernel RAM:   %u bytes used (data %u, bss %u, stack %u) of %u",
             (unsigned)(data + bss + stack), (unsigned)data, (unsigned)bss, (unsigned)stack,
             (unsigned)(_kernel_ram_end - _kernel_ram_start));
    log_info("app flash:    %p..%p", (void *)_app_flash_start, (void *)_app_flash_end);
    log_info("app RAM:      %p..%p", (void *)_app_ram_start, (void *)_app_ram_end);
    log_info("FRAM device:  " BOARD_FRAM_PART ", I2C address 0x%02x on SBCon %08x, %u bytes",
             (unsigned)BOARD_FRAM_I2C_ADDR, (unsigned)BOARD_FRAM_I2C_BASE,
             (unsigned)BOARD_FRAM_SIZE);
}

int main(void)
{
    cmsdk_uart_init(&uart0, UART0_BASE, UART0_BAUDDIV, UART0_RX_IRQ);
    log_set_sink(console_sink);
    banner();
    arch_mpu_init();
    struct nvs_config storage = {
        .dev = board_fram_init(),
        .area_start = BOARD_NVS_AREA_START,
        .area_len = BOARD_NVS_AREA_LEN,
        .region_size = BOARD_NVS_REGION_SIZE,
    };
    cmsdk_alarm_init(&timer, TIMER1_BASE, TIMER0_BASE, TIMER0_IRQ, BOARD_SYSCLK_HZ);
    console_init(&console, &uart0.uart);
    alarm_init(&alarm, &timer.hw);
    lldebug_init(&lldebug);
    nvs_init(&nvstorage, &storage);

    if (ktest_main != NULL) {
        ktest_main();
        return 0;
    }
    kernel_load_processes(&kernel_config);
    kernel_run(&kernel_config);
    return 0;
}
