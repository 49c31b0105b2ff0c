# mps2-an385: Cortex-M3 (ARMv7-M, PMSAv7 MPU). Read by mk/config.mk.
KERNEL_ARCH_FLAGS := -mcpu=cortex-m3 -mthumb
ARCH_MPU          := armv7m
BOARD_NUM_IRQS    := 32
