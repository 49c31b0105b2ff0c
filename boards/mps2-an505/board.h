/*
 * mps2-an505 board constants: peripheral addresses, interrupt lines, clocks
 * and the policies this board chooses. Only boards/mps2-an505/ includes it.
 *
 * Everything runs in the Secure world, so every peripheral is reached
 * through its Secure alias (the Non-secure address + 0x10000000): at reset
 * the TrustZone peripheral protection controllers leave every device
 * Secure-only, and this board never changes that.
 */
#ifndef BOARDS_MPS2_AN505_BOARD_H
#define BOARDS_MPS2_AN505_BOARD_H

#define BOARD_NAME      "mps2-an505 (Cortex-M33, Secure, QEMU)"
#define BOARD_SYSCLK_HZ 20000000u /* QEMU mps2-tz: SYSCLK 20 MHz */

#define UART0_BASE    0x50200000u /* CMSDK UART0, Secure alias of 0x40200000 */
#define UART0_RX_IRQ  32          /* TX 33, combined 42 */
#define UART0_BAUDDIV 16u         /* minimum the CMSDK UART accepts */

#define TIMER0_BASE          0x50000000u /* alarm: counts down to the next alarm */
#define TIMER0_IRQ           3
#define TIMER1_BASE          0x50001000u /* free-running tick counter (IRQ 4 unused) */
#define BOARD_DUALTIMER_BASE 0x50002000u /* CMSDK dual timer: the FRAM bench's clock */

#include "boards/mps2-an505/fram.h"
#if BOARD_FRAM_KIB > 64
#define BOARD_FRAM_PART "FM24V10/MB85RC1MT-class I2C FRAM, a bus address per 64 KiB"
#else
#define BOARD_FRAM_PART "MB85RC512-class I2C FRAM (QEMU at24c-eeprom)"
#endif

/* Kernel policies. */
#define BOARD_TIMESLICE_CYCLES 200000u /* 10 ms at 20 MHz */
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

#endif /* BOARDS_MPS2_AN505_BOARD_H */
