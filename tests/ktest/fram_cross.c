/*
 * ktest fram_cross: for a board FRAM past 64 KiB (built with
 * -DBOARD_FRAM_KIB=128, QEMU: two at24c-eeprom devices at 0x50 and 0x51),
 * write the seeded pattern across every 64 KiB page boundary in one nvram
 * write each, then read each span back in one nvram read. The test checks
 * the image file afterwards (both sides of each boundary, nothing wrapped to
 * the start of a page). Ends QEMU with 0 on PASS, 1 on FAIL.
 */
#include "boards/mps2-an385/fram.h"
#include "drivers/i2c_fram.h"
#include "kernel/arch/cortex-m/arch.h"
#include "tests/ktest/fram_ktest.h"
#include "tests/ktest/fram_pattern.h"

/* Bytes on each side of a boundary: several chunks, and an odd split. */
#define CROSS_BELOW 333u
#define CROSS_ABOVE 467u
#define CROSS_LEN   (CROSS_BELOW + CROSS_ABOVE)

static uint8_t span[CROSS_LEN], back[CROSS_LEN];

static bool cross(struct nvram *nv, uint32_t boundary)
{
    uint32_t at = boundary - CROSS_BELOW, i;
    enum nvram_status st;
    size_t count = 0;

    for (i = 0; i < CROSS_LEN; i++)
        span[i] = fram_pattern(at + i);
    st = ktest_nvram_op(nv, NULL, span, at, CROSS_LEN, &count);
    if (st != NVRAM_OK || count != CROSS_LEN) {
        ktest_say("KTEST fram_cross: write 0x%x+%u: %s, %u bytes", (unsigned)at,
                  (unsigned)CROSS_LEN, nvram_status_name(st), (unsigned)count);
        return false;
    }
    st = ktest_nvram_op(nv, back, NULL, at, CROSS_LEN, &count);
    if (st != NVRAM_OK || count != CROSS_LEN) {
        ktest_say("KTEST fram_cross: read 0x%x+%u: %s", (unsigned)at, (unsigned)CROSS_LEN,
                  nvram_status_name(st));
        return false;
    }
    for (i = 0; i < CROSS_LEN; i++) {
        if (back[i] != span[i]) {
            ktest_say("KTEST fram_cross: 0x%x reads 0x%02x, wrote 0x%02x", (unsigned)(at + i),
                      back[i], span[i]);
            return false;
        }
    }
    ktest_say("KTEST fram_cross: 0x%x..0x%x written and read back across 0x%x", (unsigned)at,
              (unsigned)(at + CROSS_LEN), (unsigned)boundary);
    return true;
}

void ktest_main(void);
void ktest_main(void)
{
    struct nvram *nv = board_fram_init();
    uint32_t size = nvram_size(nv), b;
    bool ok = true;

    if (size != BOARD_FRAM_SIZE || size <= I2C_FRAM_PAGE_SIZE) {
        ktest_say("KTEST fram_cross: FAIL (size %u: needs a board FRAM past 64 KiB)",
                  (unsigned)size);
        arch_exit(1);
    }
    for (b = I2C_FRAM_PAGE_SIZE; b < size && ok; b += I2C_FRAM_PAGE_SIZE)
        ok = cross(nv, b);
    ktest_say("KTEST fram_cross: %s", ok ? "PASS" : "FAIL");
    arch_exit(ok ? 0 : 1);
}
