# The kernel image and the test-only kernel builds (ktests).
#
# Kernel sources are every C/assembly file of the kernel-side folders; the
# linker's --gc-sections drops what the board does not wire in.
# A ktest is the same kernel plus one file from tests/ktest/ that defines
# ktest_main(): the board calls it after boot instead of loading apps.

# The arch layer: what every Cortex-M shares, then the board's MPU flavour
# (ARCH_MPU, from boards/$(BOARD)/board.mk): the build picks the files, the
# sources carry no per-CPU #ifdefs. Outputs go under KBUILD (build/ for the
# default board, build/<board>/ for the others).
KERNEL_DIRS := kernel kernel/arch/cortex-m kernel/arch/$(ARCH_MPU) hal drivers capsules \
               boards/$(BOARD)
KERNEL_SRCS := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c $(d)/*.S))
KERNEL_OBJS := $(patsubst %,$(KBUILD)/kernel/%.o,$(KERNEL_SRCS))
KERNEL_LD   := boards/$(BOARD)/layout.ld
KERNEL_ELF  := $(KBUILD)/kernel.elf

kernel: $(KERNEL_ELF)

# The same kernel with the fast paths off (tests/qemu/test_fastpath.py
# compares the two), in its own folder.
kernel-nofast:
	@$(MAKE) --no-print-directory kernel KERNEL_FASTPATH=0 BUILD=$(BUILD)/nofast

$(KBUILD)/kernel/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC     $<"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(KBUILD)/kernel/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "AS     $<"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@

# link_kernel(output, extra objects)
define link_kernel
	@echo "LD     $(1)"
	@$(CC) $(KERNEL_LDFLAGS) -T $(KERNEL_LD) -Wl,-Map=$(1:.elf=.map) -o $(1) $(KERNEL_OBJS) $(2)
endef

$(KERNEL_ELF): $(KERNEL_OBJS) $(KERNEL_LD)
	$(call link_kernel,$@,)
	@$(SIZE) $@

.PHONY: kernel-nofast

KTEST_SRCS := $(wildcard tests/ktest/*.c)
KTEST_ELFS := $(patsubst tests/ktest/%.c,$(KBUILD)/ktest/%.elf,$(KTEST_SRCS))

ktests: $(KTEST_ELFS)

$(KBUILD)/ktest/%.elf: $(KBUILD)/kernel/tests/ktest/%.c.o $(KERNEL_OBJS) $(KERNEL_LD)
	@mkdir -p $(dir $@)
	$(call link_kernel,$@,$<)

-include $(KERNEL_OBJS:.o=.d) $(KTEST_SRCS:%=$(KBUILD)/kernel/%.d)

# Keep ktest objects between builds (they are intermediate for make).
.PRECIOUS: $(KBUILD)/kernel/%.c.o
