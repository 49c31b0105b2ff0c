/*
 * The board's FRAM: an MB85RC512-class 64 KiB I2C FRAM (QEMU: at24c-eeprom,
 * 2-byte memory addresses like every part up to 64 KiB) at bus address 0x50
 * on the fourth SBCon I2C controller ("shield 1"), Secure alias 0x5020D000.
 *
 * A build may describe a larger part instead with -DBOARD_FRAM_KIB=128
 * (FM24V10 / MB85RC1MT class) or 256: such parts put memory address bit 16
 * (and 17) in the device address, so they answer at 0x50..0x51 (0x50..0x53)
 * as 64 KiB pages; QEMU shows them as two (four) at24c-eeprom devices over
 * one image (tools/qemu.py --fram-size). The storage area then spans the
 * whole part.
 *
 * board_fram_init() is a boot-time call from the board's main (or a ktest),
 * before processes run. It sets up the controller and the driver, probes the
 * chip and logs the result. It always returns a usable nvram: when the chip
 * is absent its size is 0 and every request fails with NVRAM_ENODEV. Calling
 * it again returns the same device without touching the bus.
 */
#ifndef BOARDS_MPS2_AN505_FRAM_H
#define BOARDS_MPS2_AN505_FRAM_H

#include "hal/nvram.h"

#define BOARD_FRAM_I2C_BASE 0x5020D000u
#define BOARD_FRAM_I2C_ADDR 0x50u
#ifndef BOARD_FRAM_KIB
#define BOARD_FRAM_KIB 64u
#endif
#define BOARD_FRAM_SIZE (BOARD_FRAM_KIB * 1024u)
/* QEMU's SBCon has no timing: no delay between line changes. */
#define BOARD_FRAM_I2C_HALF_PERIOD_SPINS 0u

struct nvram *board_fram_init(void);

#endif /* BOARDS_MPS2_AN505_FRAM_H */
