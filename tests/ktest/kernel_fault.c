/*
 * ktest: the kernel faults on purpose, to show that a kernel fault prints
 * the decoded register dump and ends QEMU with a nonzero status.
 *
 * It reads a word from an address where nothing is mapped, so the dump
 * must name a precise bus error and the faulting address (BFAR).
 */
#include <stdint.h>

#include "kernel/log.h"

/* Nothing on the mps2-an385 bus answers here. */
#define UNMAPPED_ADDRESS 0x60000010u

void ktest_main(void);
void ktest_main(void)
{
    volatile uint32_t *bad = (volatile uint32_t *)UNMAPPED_ADDRESS;

    log_info("ktest kernel_fault: reading %p", (void *)bad);
    (void)*bad;
    log_error("ktest kernel_fault: the read did not fault");
}
