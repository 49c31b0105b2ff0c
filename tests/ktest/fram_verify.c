/*
 * ktest fram_verify: read the whole FRAM back and compare it with the
 * pattern fram_write left there (in an earlier QEMU run), then check that
 * accesses past the end are refused. Ends QEMU with 0 on PASS, 1 on FAIL.
 */
#include BOARD_FRAM_H /* boards/<board>/fram.h, named by the build */
#include "kernel/arch/cortex-m/arch.h"
#include "tests/ktest/fram_ktest.h"
#include "tests/ktest/fram_pattern.h"

#define PIECE 4096u

static uint8_t piece[PIECE];

static unsigned check_pattern(struct nvram *nv, uint32_t size)
{
    uint32_t addr, i, bad = 0;
    enum nvram_status st;
    size_t count;

    for (addr = 0; addr < size; addr += PIECE) {
        st = ktest_nvram_op(nv, piece, NULL, addr, PIECE, &count);
        if (st != NVRAM_OK || count != PIECE) {
            ktest_say("KTEST fram_verify: read at 0x%x failed: %s", (unsigned)addr,
                      nvram_status_name(st));
            return size;
        }
        for (i = 0; i < PIECE; i++) {
            if (piece[i] == fram_pattern(addr + i))
                continue;
            if (bad++ == 0)
                ktest_say("KTEST fram_verify: first mismatch at 0x%x: 0x%02x, expected 0x%02x",
                          (unsigned)(addr + i), piece[i], fram_pattern(addr + i));
        }
    }
    return bad;
}

/* Each request must be refused before anything starts. */
static bool check_past_end(struct nvram *nv, uint32_t size)
{
    const struct {
        uint32_t addr;
        size_t len;
    } cases[] = {{size, 1}, {size - 1, 2}, {0, (size_t)size + 1}, {0xFFFFFFFFu, 2}};
    enum nvram_status st;
    unsigned i;
    bool ok = true;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        st = ktest_nvram_op(nv, piece, NULL, cases[i].addr, cases[i].len, NULL);
        ok = ok && st == NVRAM_ERANGE;
        ktest_say("KTEST fram_verify: read 0x%x+%u -> %s", (unsigned)cases[i].addr,
                  (unsigned)cases[i].len, nvram_status_name(st));
        st = ktest_nvram_op(nv, NULL, piece, cases[i].addr, cases[i].len, NULL);
        ok = ok && st == NVRAM_ERANGE;
    }
    return ok;
}

void ktest_main(void);
void ktest_main(void)
{
    struct nvram *nv = board_fram_init();
    uint32_t size = nvram_size(nv);
    unsigned bad;
    bool range_ok;

    if (size != BOARD_FRAM_SIZE) {
        ktest_say("KTEST fram_verify: FAIL (size %u)", (unsigned)size);
        arch_exit(1);
    }
    bad = check_pattern(nv, size);
    range_ok = check_past_end(nv, size);
    ktest_say("KTEST fram_verify: %u of %u bytes differ; past-end refused: %s", bad, (unsigned)size,
              range_ok ? "yes" : "NO");
    if (bad != 0 || !range_ok) {
        ktest_say("KTEST fram_verify: FAIL");
        arch_exit(1);
    }
    ktest_say("KTEST fram_verify: PASS");
    arch_exit(0);
}
