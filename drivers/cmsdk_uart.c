/* CMSDK APB UART: see cmsdk_uart.h. */
#include "drivers/cmsdk_uart.h"

#include "kernel/arch/cortex-m/arch.h"

/* Register offsets and bits (ARM CMSDK technical reference). */
#define UART_DATA      0x00
#define UART_STATE     0x04
#define UART_CTRL      0x08
#define UART_INTSTATUS 0x0c /* write 1 to clear */
#define UART_BAUDDIV   0x10

#define STATE_TX_FULL  (1u << 0)
#define STATE_RX_FULL  (1u << 1)
#define CTRL_TX_EN     (1u << 0)
#define CTRL_RX_EN     (1u << 1)
#define CTRL_RX_INT_EN (1u << 3)
#define INT_RX         (1u << 1)

static inline volatile uint32_t *reg(const struct cmsdk_uart *u, uint32_t off)
{
    return (volatile uint32_t *)(u->base + off);
}

static void uart_write_polled(struct uart *uart, const uint8_t *buf, size_t len)
{
    struct cmsdk_uart *u = (struct cmsdk_uart *)uart;

    while (len--) {
        while (*reg(u, UART_STATE) & STATE_TX_FULL)
            ;
        *reg(u, UART_DATA) = *buf++;
    }
}

static void uart_rx_bottom_half(struct uart *uart)
{
    struct cmsdk_uart *u = (struct cmsdk_uart *)uart;

    *reg(u, UART_INTSTATUS) = INT_RX;
    while (*reg(u, UART_STATE) & STATE_RX_FULL) {
        uint8_t byte = (uint8_t)*reg(u, UART_DATA);

        if (uart->rx != NULL)
            uart->rx(uart->rx_ctx, byte);
    }
    arch_irq_enable(u->irq_rx);
}

static const struct uart_ops cmsdk_uart_ops = {
    .write = uart_write_polled,
    .rx_bottom_half = uart_rx_bottom_half,
};

void cmsdk_uart_init(struct cmsdk_uart *u, uintptr_t base, uint32_t bauddiv, unsigned irq_rx)
{
    u->uart.ops = &cmsdk_uart_ops;
    u->uart.rx = NULL;
    u->base = base;
    u->irq_rx = irq_rx;
    *reg(u, UART_BAUDDIV) = bauddiv;
    *reg(u, UART_CTRL) = CTRL_TX_EN | CTRL_RX_EN | CTRL_RX_INT_EN;
    /* Reading DATA tells QEMU's model that the receiver has room: input
     * typed before the receiver was enabled is then delivered instead of
     * waiting in the emulator. Harmless on hardware (an empty read). */
    (void)*reg(u, UART_DATA);
    arch_irq_enable(irq_rx);
}
