# The app build recipe. An app's Makefile (apps/<name>/Makefile) sets
#
#   NAME   := hello            package name (default: the folder's name)
#   SRCS   := main.c           its C sources, relative to its folder
#   STACK  := 2048             stack bytes
#   HEAP   := 1024             heap bytes (malloc, and stdout's line buffer)
#   LIBS   := libnvstorage     optional: libraries from the repository root
#                              (lib* folders holding .c files; any other
#                              name is refused before anything is built)
#   WRITE_ID, READ_IDS, MODIFY_IDS, SHORT_ID   optional TBF storage ids
#
# then `include ../../userland/app.mk` (or the path to it from anywhere).
# Output: build/apps/<name>.elf and build/apps/<name>.tbf (nothing else
# outside build/apps/; the PIC newlib is built once into a per-user cache,
# mk/config.mk NEWLIB_PIC). Works from the app's folder (`make`), and from
# the top: `make apps`, `make run APPS=...`, `make check-app APP=...`.
# `make tbf-path` prints where the TBF goes.

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
# How messages name this app: its folder, from the repository root if inside.
APP_DIR    := $(patsubst $(ROOT)/%,%,$(CURDIR))

NEWLIB_STAMP := $(NEWLIB_PIC)/.built
NEWLIB_DIR := $(NEWLIB_PIC)/arm-none-eabi

# A misspelt library would otherwise build as an empty archive and fail
# much later with undefined references.
KNOWN_LIBS := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard $(ROOT)/lib*/*.c)))))
$(foreach l,$(LIBS),$(if $(filter $(l),$(KNOWN_LIBS)),,$(error app $(APP_DIR): LIBS names \
  '$(l)', which is not a library of this repository (libraries: $(KNOWN_LIBS)))))

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
# The packer takes elf2tab's option names (docs/tbf.md).
PACK_ARGS := --package-name $(NAME) --stack $(STACK) --app-heap $(HEAP) \
             $(if $(WRITE_ID),--write_id $(WRITE_ID)) \
             $(if $(READ_IDS),--read_ids $(call ids,$(READ_IDS))) \
             $(if $(MODIFY_IDS),--access_ids $(call ids,$(MODIFY_IDS))) \
             $(if $(SHORT_ID),--short-id $(SHORT_ID)) \
             $(if $(DISABLED),--disable)

.PHONY: all app newlib clean-app tbf-path
.DEFAULT_GOAL := all
all: $(APP_TBF)
app: all

tbf-path:
	@echo $(APP_TBF)

# Built once per recipe into the cache (the script returns at once when
# the library is there), so nothing depends on the script's own date.
newlib: $(NEWLIB_STAMP)
$(NEWLIB_STAMP):
	@$(ROOT)/tools/build_newlib_pic.sh $(NEWLIB_PIC)

# Objects wait for the PIC newlib (order-only: its headers must exist; a
# refreshed stamp does not make them stale).
$(APP_OBJDIR)/%.c.o: %.c $(APP_MAKEFILE) | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	@echo "CC     $(APP_DIR)/$<"
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
