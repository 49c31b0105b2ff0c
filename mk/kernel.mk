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
# layout.ld includes the log text section, placed the same on every board.
KERNEL_LD_DEPS := $(KERNEL_LD) kernel/log_text.ld
KERNEL_ELF  := $(KBUILD)/kernel.elf

kernel: $(KERNEL_ELF)

# The same kernel with the fast paths off (tests/qemu/test_fastpath.py
# compares the two), in its own folder.
kernel-nofast:
	@$(MAKE) --no-print-directory kernel KERNEL_FASTPATH=0 BUILD=$(BUILD)/nofast

# The build switches that change every kernel object (mk/config.mk), kept
# in a file that is rewritten only when they change: building with another
# KERNEL_FASTPATH or KERNEL_LTO in the same BUILD recompiles the kernel
# instead of linking the objects of the other setting.
KERNEL_SWITCHES      := KERNEL_FASTPATH=$(KERNEL_FASTPATH) KERNEL_LTO=$(KERNEL_LTO)
KERNEL_SWITCHES_FILE := $(KBUILD)/kernel/switches

$(KERNEL_SWITCHES_FILE): kernel-switches-force
	@mkdir -p $(dir $@)
	@echo '$(KERNEL_SWITCHES)' | cmp -s - $@ || echo '$(KERNEL_SWITCHES)' > $@

.PHONY: kernel-switches-force

$(KBUILD)/kernel/%.c.o: %.c $(KERNEL_SWITCHES_FILE)
	@mkdir -p $(dir $@)
	@echo "CC     $<"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(KBUILD)/kernel/%.S.o: %.S $(KERNEL_SWITCHES_FILE)
	@mkdir -p $(dir $@)
	@echo "AS     $<"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@

# link_kernel(output, extra objects)
define link_kernel
	@echo "LD     $(1)"
	@$(CC) $(KERNEL_LDFLAGS) -T $(KERNEL_LD) -Wl,-Map=$(1:.elf=.map) -o $(1) $(KERNEL_OBJS) $(2)
endef

$(KERNEL_ELF): $(KERNEL_OBJS) $(KERNEL_LD_DEPS)
	$(call link_kernel,$@,)
	@$(SIZE) $@

.PHONY: kernel-nofast

KTEST_SRCS := $(wildcard tests/ktest/*.c)
KTEST_ELFS := $(patsubst tests/ktest/%.c,$(KBUILD)/ktest/%.elf,$(KTEST_SRCS))

ktests: $(KTEST_ELFS) kvariants

$(KBUILD)/ktest/%.elf: $(KBUILD)/kernel/tests/ktest/%.c.o $(KERNEL_OBJS) $(KERNEL_LD_DEPS)
	@mkdir -p $(dir $@)
	$(call link_kernel,$@,$<)

# Kernel variants: the same sources built with other build constants, each
# in its own folder, for the tests that need them:
#   chunk1    every FRAM write byte is its own I2C transaction, so each byte
#             boundary is a power-cut point (tools/powercut.py --byte-cuts);
#             the storage area leaves 512 guard bytes at both ends of the
#             chip, which the harness checks are never written
#   guard     the same area with the normal write chunk: the byte-cut
#             harness's recovery boots
#   fram128k  the board described with a 128 KiB FRAM at 0x50/0x51
#             (tests/qemu/test_fram_large.py)
# $(KBUILD)/variant/<name>/kernel.elf (KBUILD: build/ or build/<board>/),
# and the ktests listed for it in $(KBUILD)/variant/<name>/ktest/. Their
# objects depend on this file, so a change of a variant's flags rebuilds them.
KVARIANTS := chunk1 guard fram128k
KVARIANT_CFLAGS_chunk1   := -DI2C_FRAM_WRITE_CHUNK=1 -DBOARD_NVS_AREA_GUARD=512
KVARIANT_CFLAGS_guard    := -DBOARD_NVS_AREA_GUARD=512
KVARIANT_CFLAGS_fram128k := -DBOARD_FRAM_KIB=128
KVARIANT_KTESTS_fram128k := fram_write fram_verify fram_cross

define kvariant_rules
KVARIANT_OBJS_$(1) := $$(patsubst %,$(KBUILD)/variant/$(1)/obj/%.o,$$(KERNEL_SRCS))

$(KBUILD)/variant/$(1)/obj/%.c.o: %.c mk/kernel.mk $(KERNEL_SWITCHES_FILE)
	@mkdir -p $$(dir $$@)
	@echo "CC     $$< ($(1))"
	@$$(CC) $$(KERNEL_CFLAGS) $$(KVARIANT_CFLAGS_$(1)) -c $$< -o $$@

$(KBUILD)/variant/$(1)/obj/%.S.o: %.S mk/kernel.mk $(KERNEL_SWITCHES_FILE)
	@mkdir -p $$(dir $$@)
	@echo "AS     $$< ($(1))"
	@$$(CC) $$(KERNEL_CFLAGS) $$(KVARIANT_CFLAGS_$(1)) -c $$< -o $$@

$(KBUILD)/variant/$(1)/kernel.elf: $$(KVARIANT_OBJS_$(1)) $$(KERNEL_LD_DEPS)
	@echo "LD     $$@"
	@$$(CC) $$(KERNEL_LDFLAGS) -T $$(KERNEL_LD) -Wl,-Map=$$(@:.elf=.map) -o $$@ $$(KVARIANT_OBJS_$(1))

$(KBUILD)/variant/$(1)/ktest/%.elf: $(KBUILD)/variant/$(1)/obj/tests/ktest/%.c.o $$(KVARIANT_OBJS_$(1)) $$(KERNEL_LD_DEPS)
	@mkdir -p $$(dir $$@)
	@echo "LD     $$@"
	@$$(CC) $$(KERNEL_LDFLAGS) -T $$(KERNEL_LD) -Wl,-Map=$$(@:.elf=.map) -o $$@ $$(KVARIANT_OBJS_$(1)) $$<

kvariants: $(KBUILD)/variant/$(1)/kernel.elf $$(KVARIANT_KTESTS_$(1):%=$(KBUILD)/variant/$(1)/ktest/%.elf)
-include $$(KVARIANT_OBJS_$(1):.o=.d)
.PRECIOUS: $(KBUILD)/variant/$(1)/obj/%.c.o
endef

.PHONY: kvariants
$(foreach v,$(KVARIANTS),$(eval $(call kvariant_rules,$(v))))

-include $(KERNEL_OBJS:.o=.d) $(KTEST_SRCS:%=$(KBUILD)/kernel/%.d)

# Keep ktest objects between builds (they are intermediate for make).
.PRECIOUS: $(KBUILD)/kernel/%.c.o
