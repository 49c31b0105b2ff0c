/*
 * uart: the hardware interface for a serial port.
 *
 * Transmit is synchronous and polled: uart_write() returns when every byte
 * has been handed to the hardware. This keeps kernel log lines whole even
 * from a fault handler, and costs nothing under QEMU. Receive is
 * interrupt-driven: the driver's bottom half (kernel context, never the top
 * half: kernel/kernel.h, service_interrupts) hands each received byte to
 * the client callback.
 */
#ifndef HAL_UART_H
#define HAL_UART_H

#include <stddef.h>
#include <stdint.h>

struct uart;

typedef void (*uart_rx_fn)(void *ctx, uint8_t byte);

struct uart_ops {
    void (*write)(struct uart *u, const uint8_t *buf, size_t len);
    /* Drain received bytes to the client and re-arm the interrupt. */
    void (*rx_bottom_half)(struct uart *u);
};

struct uart {
    const struct uart_ops *ops;
    uart_rx_fn rx;
    void *rx_ctx;
};

static inline void uart_write(struct uart *u, const uint8_t *buf, size_t len)
{
    u->ops->write(u, buf, len);
}

static inline void uart_set_rx_client(struct uart *u, uart_rx_fn rx, void *ctx)
{
    u->rx = rx;
    u->rx_ctx = ctx;
}

#endif /* HAL_UART_H */
