/*
 * ktest fram_absent: booted with no FRAM on the bus. The board's probe must
 * log the absence, every storage request must fail cleanly with
 * NVRAM_ENODEV, and the kernel loop must keep running. Exit 0 on PASS.
 */
#include BOARD_FRAM_H /* boards/<board>/fram.h, named by the build */
#include "kernel/arch/cortex-m/arch.h"
#include "tests/ktest/fram_ktest.h"

#define LOOP_PASSES 100u

static uint8_t buf[16];

void ktest_main(void);
void ktest_main(void)
{
    struct nvram *nv = board_fram_init();
    enum nvram_status rd, wr, fl, rb;
    unsigned pass;

    rd = ktest_nvram_op(nv, buf, NULL, 0, sizeof(buf), NULL);
    wr = ktest_nvram_op(nv, NULL, buf, 0, sizeof(buf), NULL);
    fl = nvram_flush(nv);
    rb = nvram_read_blocking(nv, buf, 0, 1, NULL);
    ktest_say("KTEST fram_absent: size %u, read %s, write %s, flush %s, blocking read %s",
              (unsigned)nvram_size(nv), nvram_status_name(rd), nvram_status_name(wr),
              nvram_status_name(fl), nvram_status_name(rb));
    for (pass = 0; pass < LOOP_PASSES; pass++)
        deferred_run();
    ktest_say("KTEST fram_absent: kernel loop still running after %u passes", pass);
    if (nvram_size(nv) != 0 || rd != NVRAM_ENODEV || wr != NVRAM_ENODEV || fl != NVRAM_ENODEV ||
        rb != NVRAM_ENODEV) {
        ktest_say("KTEST fram_absent: FAIL");
        arch_exit(1);
    }
    ktest_say("KTEST fram_absent: PASS");
    arch_exit(0);
}
