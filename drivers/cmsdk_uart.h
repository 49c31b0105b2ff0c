/*
 * Driver for the ARM CMSDK APB UART (the console UART of the MPS2 boards).
 *
 * The board calls cmsdk_uart_init() once at reset, then uses the embedded
 * struct uart through hal/uart.h. The RX interrupt, if the board wires it,
 * is serviced by uart->ops->rx_bottom_half() from the board's
 * service_interrupts().
 */
#ifndef DRIVERS_CMSDK_UART_H
#define DRIVERS_CMSDK_UART_H

#include <stdint.h>

#include "hal/uart.h"

struct cmsdk_uart {
    struct uart uart; /* first: the HAL view */
    uintptr_t base;
    unsigned irq_rx; /* NVIC line of the RX interrupt */
};

/* bauddiv: PCLK / baud; QEMU ignores it but requires >= 16. */
void cmsdk_uart_init(struct cmsdk_uart *u, uintptr_t base, uint32_t bauddiv, unsigned irq_rx);

#endif /* DRIVERS_CMSDK_UART_H */
