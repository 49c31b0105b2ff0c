# mps2-an505: Cortex-M33 (ARMv8-M Mainline, PMSAv8 MPU), run all Secure.
# Read by mk/config.mk. The ARMv7-M MPU file of kernel/arch/cortex-m is
# replaced by kernel/arch/armv8m/ (ARCH_EXCLUDE).
KERNEL_ARCH_FLAGS := -mcpu=cortex-m33+nofp -mthumb -mfloat-abi=soft
ARCH_DIRS         := kernel/arch/cortex-m kernel/arch/armv8m
ARCH_EXCLUDE      := kernel/arch/cortex-m/mpu.c
BOARD_NUM_IRQS    := 96
