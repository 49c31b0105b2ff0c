/*
 * ktest fram_write: write the seeded pattern over the whole FRAM, first and
 * last byte included, through the asynchronous driver path. fram_verify
 * checks it after QEMU restarts. Ends QEMU with 0 on PASS, 1 on FAIL.
 */
#include BOARD_FRAM_H /* boards/<board>/fram.h, named by the build */
#include "kernel/arch/cortex-m/arch.h"
#include "tests/ktest/fram_ktest.h"
#include "tests/ktest/fram_pattern.h"

#define PIECE 4096u /* bytes per nvram request */

static uint8_t piece[PIECE];

void ktest_main(void);
void ktest_main(void)
{
    struct nvram *nv = board_fram_init();
    uint32_t size = nvram_size(nv), addr, i;
    enum nvram_status st;
    size_t count;

    if (size != BOARD_FRAM_SIZE) {
        ktest_say("KTEST fram_write: FAIL (size %u)", (unsigned)size);
        arch_exit(1);
    }
    for (addr = 0; addr < size; addr += PIECE) {
        for (i = 0; i < PIECE; i++)
            piece[i] = fram_pattern(addr + i);
        st = ktest_nvram_op(nv, NULL, piece, addr, PIECE, &count);
        if (st != NVRAM_OK || count != PIECE) {
            ktest_say("KTEST fram_write: FAIL (write at 0x%x: %s, %u bytes)", (unsigned)addr,
                      nvram_status_name(st), (unsigned)count);
            arch_exit(1);
        }
    }
    ktest_say("KTEST fram_write: wrote %u bytes, seed 0x%x", (unsigned)size,
              (unsigned)FRAM_PATTERN_SEED);
    ktest_say("KTEST fram_write: PASS");
    arch_exit(0);
}
