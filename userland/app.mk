# The app build recipe. An app's Makefile (apps/<name>/Makefile) sets
#
#   NAME   := hello            package name (default: the folder's name)
#   SRCS   := main.c           its C sources, relative to its folder
#   STACK  := 2048             stack bytes
#   HEAP   := 1024             heap bytes (malloc, and stdout's line buffer)
#   LIBS   := libnvstorage     optional: libraries from the repository root
#   WRITE_ID, READ_IDS, MODIFY_IDS, SHORT_ID   optional TBF storage ids
#
# then `include ../../userland/app.mk`. Output: build/apps/<name>.elf and
# build/apps/<name>.tbf (nothing else outside build/apps/ and the PIC newlib
# in build/newlib-pic/). Works from the app's folder (`make`) and from the
# top-level `make apps`.

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
# The app's own Makefile: its objects and ELF depend on it (flags, STACK).
APP_MAKEFILE := $(abspath $(firstword $(MAKEFILE_LIST)))
BUILD ?= $(ROOT)/build
include $(ROOT)/mk/config.mk

NAME  ?= $(notdir $(CURDIR))
STACK ?= 2048
HEAP  ?= 1024
SRCS  ?= $(wildcard *.c)
LIBS  ?=

APPS_OUT   := $(BUILD)/apps
APP_OBJDIR := $(APPS_OUT)/obj/$(NAME)
RT_OBJDIR  := $(APPS_OUT)/obj/userland
APP_ELF    := $(APPS_OUT)/$(NAME).elf
APP_TBF    := $(APPS_OUT)/$(NAME).tbf

NEWLIB_PIC := $(BUILD)/newlib-pic
NEWLIB_STAMP := $(NEWLIB_PIC)/.built
NEWLIB_DIR := $(NEWLIB_PIC)/arm-none-eabi

# Position independence (docs/userland.md): every global is reached through
# the GOT, whose address is in r9; code never assumes where data is.
PIC_FLAGS := -fPIC -msingle-pic-base -mpic-register=r9 -mno-pic-data-is-text-relative

# Our newlib's headers come before the toolchain's (same version, but its
# newlib.h describes a differently configured library).
APP_CFLAGS := $(ARCH_FLAGS) -mfloat-abi=soft -std=gnu11 -Os -g $(WARN_FLAGS) $(PIC_FLAGS) \
              -ffunction-sections -fdata-sections -fno-common \
              -fno-unwind-tables -fno-asynchronous-unwind-tables \
              -I$(ROOT) -isystem $(NEWLIB_DIR)/include -MMD -MP \
              -DAPP_NAME='"$(NAME)"'

# --emit-relocs keeps the relocations in the ELF: the packer turns those of
# .data into crt0's relocation table and refuses absolute ones in flash.
APP_LDFLAGS := $(ARCH_FLAGS) -mfloat-abi=soft -nostdlib -nostartfiles \
               -T $(ROOT)/userland/app.ld -Wl,--emit-relocs -Wl,--gc-sections \
               -Wl,--defsym=STACK_SIZE=$(STACK) -Wl,--no-warn-rwx-segments \
               -L$(NEWLIB_DIR)/lib
APP_LDLIBS := -Wl,--start-group -lc -lm -lgcc -Wl,--end-group

RT_SRCS := $(wildcard $(ROOT)/userland/*.c) $(wildcard $(ROOT)/userland/*.S)
RT_OBJS := $(patsubst $(ROOT)/userland/%,$(RT_OBJDIR)/%.o,$(RT_SRCS))
RT_LIB  := $(APPS_OUT)/libuserland.a

# Each library in LIBS is every .c of $(ROOT)/<lib>/, archived once.
LIB_ARCHIVES := $(foreach l,$(LIBS),$(APPS_OUT)/$(l).a)

APP_OBJS := $(patsubst %,$(APP_OBJDIR)/%.o,$(SRCS))

comma := ,
empty :=
space := $(empty) $(empty)
ids = $(subst $(space),$(comma),$(strip $(1)))
PACK_ARGS := --name $(NAME) --stack $(STACK) --heap $(HEAP) \
             $(if $(WRITE_ID),--write-id $(WRITE_ID)) \
             $(if $(READ_IDS),--read-ids $(call ids,$(READ_IDS))) \
             $(if $(MODIFY_IDS),--modify-ids $(call ids,$(MODIFY_IDS))) \
             $(if $(SHORT_ID),--short-id $(SHORT_ID)) \
             $(if $(DISABLED),--disabled)

.PHONY: all app newlib clean-app
.DEFAULT_GOAL := all
all: $(APP_TBF)
app: all

newlib: $(NEWLIB_STAMP)
$(NEWLIB_STAMP): $(ROOT)/tools/build_newlib_pic.sh
	@$(ROOT)/tools/build_newlib_pic.sh $(NEWLIB_PIC)

# Objects wait for the PIC newlib (order-only: its headers must exist; a
# refreshed stamp does not make them stale).
$(APP_OBJDIR)/%.c.o: %.c $(APP_MAKEFILE) | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	@echo "CC     apps/$(NAME)/$<"
	@$(CC) $(APP_CFLAGS) -c $< -o $@

$(RT_OBJDIR)/%.c.o: $(ROOT)/userland/%.c | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	@echo "CC     userland/$*.c"
	@$(CC) $(APP_CFLAGS) -c $< -o $@

$(RT_OBJDIR)/%.S.o: $(ROOT)/userland/%.S
	@mkdir -p $(dir $@)
	@echo "AS     userland/$*.S"
	@$(CC) $(APP_CFLAGS) -c $< -o $@

$(RT_LIB): $(RT_OBJS)
	@echo "AR     $@"
	@rm -f $@
	@$(CROSS)ar rcs $@ $^

# One archive per library folder: build/apps/<lib>.a from <lib>/*.c.
define lib_rules
$(1)_OBJS := $$(patsubst $(ROOT)/$(1)/%.c,$(APPS_OUT)/obj/$(1)/%.c.o,$$(wildcard $(ROOT)/$(1)/*.c))
$(APPS_OUT)/obj/$(1)/%.c.o: $(ROOT)/$(1)/%.c | $(NEWLIB_STAMP)
	@mkdir -p $$(dir $$@)
	@echo "CC     $(1)/$$*.c"
	@$$(CC) $$(APP_CFLAGS) -c $$< -o $$@
$(APPS_OUT)/$(1).a: $$($(1)_OBJS)
	@echo "AR     $$@"
	@rm -f $$@
	@$$(CROSS)ar rcs $$@ $$^
-include $$($(1)_OBJS:.o=.d)
endef
$(foreach l,$(LIBS),$(eval $(call lib_rules,$(l))))

# crt0's objects must be linked even though nothing calls _start by name,
# so the runtime archive is linked whole.
$(APP_ELF): $(APP_OBJS) $(LIB_ARCHIVES) $(RT_LIB) $(ROOT)/userland/app.ld $(APP_MAKEFILE)
	@echo "LD     $@"
	@$(CC) $(APP_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(APP_OBJS) $(LIB_ARCHIVES) \
	    -Wl,--whole-archive $(RT_LIB) -Wl,--no-whole-archive $(APP_LDLIBS)

$(APP_TBF): $(APP_ELF) $(ROOT)/tools/tbf_pack.py $(ROOT)/tools/tbflib.py $(MAKEFILE_LIST)
	@echo "PACK   $@"
	@$(PYTHON) $(ROOT)/tools/tbf_pack.py $< -o $@ $(PACK_ARGS)

clean-app:
	rm -rf $(APP_OBJDIR) $(APP_ELF) $(APP_TBF) $(APP_ELF:.elf=.map)

-include $(APP_OBJS:.o=.d) $(RT_OBJS:.o=.d)
