# mps2-an505: Cortex-M33 (ARMv8-M Mainline, PMSAv8 MPU), run all Secure, FPU
# unused. Read by mk/config.mk.
KERNEL_ARCH_FLAGS := -mcpu=cortex-m33+nofp -mthumb -mfloat-abi=soft
ARCH_MPU          := armv8m
BOARD_NUM_IRQS    := 96
