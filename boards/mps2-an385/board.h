/*
 * mps2-an385 board constants: peripheral addresses, interrupt lines, clocks
 * and the policies this board chooses. Only boards/mps2-an385/ includes it.
 */
#ifndef BOARDS_MPS2_AN385_BOARD_H
#define BOARDS_MPS2_AN385_BOARD_H

#define BOARD_NAME      "mps2-an385 (Cortex-M3, QEMU)"
#define BOARD_SYSCLK_HZ 25000000u

#define UART0_BASE    0x40004000u
#define UART0_RX_IRQ  0
#define UART0_BAUDDIV 16u /* minimum the CMSDK UART accepts */

#define TIMER0_BASE          0x40000000u /* alarm: counts down to the next alarm */
#define TIMER0_IRQ           8
#define TIMER1_BASE          0x40001000u /* free-running tick counter */
#define BOARD_DUALTIMER_BASE 0x40002000u /* CMSDK dual timer: the FRAM bench's clock */

#include "boards/mps2-an385/fram.h"
#if BOARD_FRAM_KIB > 64
#define BOARD_FRAM_PART "FM24V10/MB85RC1MT-class I2C FRAM, a bus address per 64 KiB"
#else
#define BOARD_FRAM_PART "MB85RC256V-class I2C FRAM (QEMU at24c-eeprom)"
#endif

/* Kernel policies. */
#define BOARD_TIMESLICE_CYCLES 250000u /* 10 ms at 25 MHz */
#define BOARD_GRANT_RESERVE    1024u   /* grant bytes added to each process block */
#define BOARD_RESTART_LIMIT    3u      /* a faulting app is restarted this often */
#define BOARD_NVS_REGION_SIZE  4096u   /* data bytes of each app's storage region */

/* The part of the FRAM the storage capsule manages: all of it, unless a test
 * build leaves guard bytes at both ends (-DBOARD_NVS_AREA_GUARD=512, the
 * power-cut kernel variants): tools/powercut.py then checks that no write
 * ever lands outside the area. */
#ifndef BOARD_NVS_AREA_GUARD
#define BOARD_NVS_AREA_GUARD 0u
#endif
#define BOARD_NVS_AREA_START BOARD_NVS_AREA_GUARD
#define BOARD_NVS_AREA_LEN   (BOARD_FRAM_SIZE - 2u * BOARD_NVS_AREA_GUARD)

#endif /* BOARDS_MPS2_AN385_BOARD_H */
