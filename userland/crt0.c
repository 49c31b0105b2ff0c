/*
 * crt0_main: the C half of start-up, entered from _start (crt0.S) with the
 * stack, the break and r9 already set.
 *
 * It makes the RAM image the program was linked for: copies .data (which
 * begins with the GOT) from flash, rewrites every link-time address in the
 * GOT and in the relocated .data words to where flash and RAM really are,
 * zeroes .bss, runs constructors, then calls main() and exits with its value.
 * Until the GOT is fixed nothing here may touch a global: every global is
 * reached through the GOT.
 */
#include <stdint.h>
#include <stdlib.h>

#include "userland/crt0_header.h"

int main(void);
__attribute__((noreturn)) void crt0_main(const struct crt0_header *hdr, uint8_t *ram);

typedef void crt0_ctor_fn(void);

/* A link-time address to its run-time address. Zero stays zero: that is a
 * weak symbol nobody defined (nothing real is linked at RAM offset 0, which
 * is the bottom of the stack). */
static uint32_t crt0_relocate(uint32_t link, uintptr_t flash, uintptr_t ram)
{
    if (link >= CRT0_FLASH_LINK_BASE) {
        return link - CRT0_FLASH_LINK_BASE + flash;
    }
    if (link == 0) {
        return 0;
    }
    return link - CRT0_RAM_LINK_BASE + ram;
}

static void crt0_copy_words(uint32_t *dst, const uint32_t *src, uint32_t bytes)
{
    for (uint32_t i = 0; i < bytes / sizeof(uint32_t); i++) {
        dst[i] = src[i];
    }
}

static void crt0_zero_words(uint32_t *dst, uint32_t bytes)
{
    for (uint32_t i = 0; i < bytes / sizeof(uint32_t); i++) {
        dst[i] = 0;
    }
}

void crt0_main(const struct crt0_header *hdr, uint8_t *ram)
{
    uintptr_t flash = (uintptr_t)hdr;
    const uint8_t *flash_bytes = (const uint8_t *)hdr;

    crt0_copy_words((uint32_t *)(ram + hdr->data_start),
                    (const uint32_t *)(flash_bytes + hdr->data_load),
                    hdr->data_end - hdr->data_start);

    uint32_t *got = (uint32_t *)(ram + hdr->got_start);
    for (uint32_t i = 0; i < (hdr->got_end - hdr->got_start) / sizeof(uint32_t); i++) {
        got[i] = crt0_relocate(got[i], flash, (uintptr_t)ram);
    }

    const struct crt0_relocs *rel = (const struct crt0_relocs *)(flash_bytes + hdr->reloc_start);
    for (uint32_t i = 0; i < rel->count; i++) {
        uint32_t *word = (uint32_t *)(ram + rel->offsets[i]);
        *word = crt0_relocate(*word, flash, (uintptr_t)ram);
    }

    crt0_zero_words((uint32_t *)(ram + hdr->bss_start), hdr->bss_end - hdr->bss_start);

    /* From here on globals work. The array holds relocated pointers. */
    crt0_ctor_fn **ctor = (crt0_ctor_fn **)(ram + hdr->init_start);
    crt0_ctor_fn **ctor_end = (crt0_ctor_fn **)(ram + hdr->init_end);
    for (; ctor < ctor_end; ctor++) {
        (*ctor)();
    }

    /* exit() flushes stdio, then ends in _exit (sys.c): exit-terminate. */
    exit(main());
}
