/*
 * mps2-an385 board: wires drivers to capsules and starts the kernel.
 *
 * Everything board-specific lives here and in board.h; the kernel core and
 * the capsules know nothing about this chip.
 */
#include <stddef.h>
#include <stdint.h>

#include "boards/mps2-an385/board.h"
#include "drivers/cmsdk_uart.h"
#include "kernel/arch/cortex-m/arch.h"
#include "kernel/log.h"

/* Test-only kernels (tests/ktest/) define this; production kernels don't. */
void ktest_main(void) __attribute__((weak));

static struct cmsdk_uart uart0;

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

    log_info("nvkernel %s on %s", KERNEL_VERSION, BOARD_NAME);
    log_info("kernel flash: %u bytes used (text+rodata %u, data %u)", (unsigned)(text + data),
             (unsigned)text, (unsigned)data);
    log_info("kernel RAM:   %u bytes used (data %u, bss %u, stack %u) of %u",
             (unsigned)(data + bss + stack), (unsigned)data, (unsigned)bss, (unsigned)stack,
             (unsigned)(_kernel_ram_end - _kernel_ram_start));
    log_info("app flash:    %p..%p", (void *)_app_flash_start, (void *)_app_flash_end);
    log_info("app RAM:      %p..%p", (void *)_app_ram_start, (void *)_app_ram_end);
}

int main(void)
{
    cmsdk_uart_init(&uart0, UART0_BASE, UART0_BAUDDIV, UART0_RX_IRQ);
    log_set_sink(console_sink);
    banner();
    arch_mpu_init();

    if (ktest_main != NULL) {
        ktest_main();
        return 0;
    }
    return 0;
}
