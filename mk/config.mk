# Every tool and flag the build uses, in one place.

BOARD      ?= mps2-an385
BUILD      ?= build
NVK_ROOT   := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
VERSION    := $(shell cat $(NVK_ROOT)/VERSION)

# Debian's Python has pytest; the first python3 on PATH may not.
PYTHON     := /usr/bin/python3

# Cross toolchain for kernel and apps.
CROSS      := arm-none-eabi-
CC         := $(CROSS)gcc
OBJCOPY    := $(CROSS)objcopy
SIZE       := $(CROSS)size
ARCH_FLAGS := -mcpu=cortex-m3 -mthumb
# The same CPU as Tock names it: the TBF taken from a TAB (`make run APPS=x.tab`).
TOCK_ARCH  := cortex-m3

# The board: boards/$(BOARD)/board.mk names its CPU (KERNEL_ARCH_FLAGS), its
# MPU layer (ARCH_MPU) and its number of interrupt lines (BOARD_NUM_IRQS). Apps
# are not per board: one build (ARCH_FLAGS above, ARMv7-M Thumb) runs on all.
BOARDS := $(notdir $(patsubst %/board.mk,%,$(wildcard $(NVK_ROOT)/boards/*/board.mk)))
ifeq ($(wildcard $(NVK_ROOT)/boards/$(BOARD)/board.mk),)
$(error BOARD=$(BOARD): no boards/$(BOARD)/board.mk; the boards are: $(BOARDS))
endif
include $(NVK_ROOT)/boards/$(BOARD)/board.mk
# Kernel-side outputs per board: the default board keeps build/ (kernel.elf,
# kernel/, ktest/, fram.img, bench.json), every other board has build/<board>/.
DEFAULT_BOARD := mps2-an385
KBUILD     := $(if $(filter $(DEFAULT_BOARD),$(BOARD)),$(BUILD),$(BUILD)/$(BOARD))

# The position-independent newlib apps link (tools/build_newlib_pic.sh): by
# default in a per-user cache outside the checkout, shared by every checkout
# and kept by `make clean`; NEWLIB_PIC=<folder> puts it elsewhere.
ifeq ($(origin NEWLIB_PIC),undefined)
NEWLIB_PIC := $(shell $(NVK_ROOT)/tools/build_newlib_pic.sh --print-prefix)
endif

# Warnings are errors everywhere: kernel, library, apps, host tests.
WARN_FLAGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
              -Wpointer-arith -Wundef -Wno-missing-field-initializers

# The board's MPU flavour, kernel/arch/$(ARCH_MPU)/ (armv7m: PMSAv7, armv8m:
# PMSAv8), is set by boards/$(BOARD)/board.mk.
# 1: system call fast paths and direct process-to-process switches; 0: every
# call through syscall_entry() and every switch through the kernel loop
# (kernel/hotpath.h). Build the second in its own folder, e.g.
# `make kernel KERNEL_FASTPATH=0 BUILD=build/nofast`.
KERNEL_FASTPATH ?= 1

# KERNEL_LTO=1: link-time optimisation (about 750 bytes less kernel flash),
# off by default: it folds the kernel into a few functions, which blurs the
# per-function and per-subsystem figures of `make bench`. Use its own BUILD.
KERNEL_LTO ?= 0

# Kernel: freestanding, size-optimised, dead code dropped at link time.
KERNEL_CFLAGS := $(KERNEL_ARCH_FLAGS) -std=gnu11 -Os -g3 $(WARN_FLAGS) -ffreestanding \
                 -ffunction-sections -fdata-sections -fno-common -I. -MMD -MP \
                 -DKERNEL_VERSION='"$(VERSION)"' -DKERNEL_FASTPATH=$(KERNEL_FASTPATH) \
                 -DARCH_NUM_IRQS=$(BOARD_NUM_IRQS) \
                 -DARCH_MPU_SWITCH='"kernel/arch/$(ARCH_MPU)/mpu_switch.inc"' \
                 -DBOARD_FRAM_H='"boards/$(BOARD)/fram.h"' -DBOARD_H='"boards/$(BOARD)/board.h"'
KERNEL_LDFLAGS := $(KERNEL_ARCH_FLAGS) -nostartfiles --specs=nano.specs -Wl,--gc-sections \
                  -Wl,--no-warn-rwx-segments
ifeq ($(KERNEL_LTO),1)
KERNEL_CFLAGS  += -flto
KERNEL_LDFLAGS += -Os -flto
endif

# Host tests: native gcc, cmocka; a second build of each under ASan/UBSan.
HOST_CC     := gcc
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN_FLAGS) -I. -DHOST_TEST
HOST_SAN_CC := clang
HOST_SAN_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -DHOST_TEST \
                   -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_LIBS   := -lcmocka

# libFuzzer targets (tests/fuzz/): clang with ASan + UBSan.
FUZZ_CC     := clang
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -DHOST_TEST -DFUZZ \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
