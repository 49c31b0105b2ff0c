/*
 * crt0 header: the table app.ld writes at the very start of an app's flash
 * image, telling crt0 where its RAM sections go and what to relocate.
 *
 * Written by the linker script (userland/app.ld), read by crt0 (crt0.S and
 * crt0.c) at start-up and by the packer (tools/tbf_pack.py). All fields are
 * 32-bit words. "RAM offset" means an offset from the start of the process
 * RAM block (the app is linked with RAM at address 0); "flash offset" means an
 * offset from the start of the app binary (linked at CRT0_FLASH_LINK_BASE).
 * Usable from C and assembly.
 */
#ifndef USERLAND_CRT0_HEADER_H
#define USERLAND_CRT0_HEADER_H

/* Link-time origins (app.ld). A link-time address at or above the flash
 * origin is in flash; anything below it is a RAM offset. */
#define CRT0_FLASH_LINK_BASE 0x80000000
#define CRT0_RAM_LINK_BASE   0x00000000

/* "TKR1": Tock runtime header, layout version 1. */
#define CRT0_MAGIC 0x31524B54

/* Field offsets in bytes. */
#define CRT0_HDR_MAGIC       0  /* CRT0_MAGIC */
#define CRT0_HDR_STACK_TOP   4  /* RAM offset; the stack is [0, stack_top) */
#define CRT0_HDR_PIC_BASE    8  /* RAM offset that r9 points at (the GOT origin) */
#define CRT0_HDR_GOT_START   12 /* RAM offset of the first GOT word */
#define CRT0_HDR_GOT_END     16 /* RAM offset just past the GOT */
#define CRT0_HDR_DATA_START  20 /* RAM offset of .data (the GOT is inside it) */
#define CRT0_HDR_DATA_END    24
#define CRT0_HDR_DATA_LOAD   28 /* flash offset of .data's initial contents */
#define CRT0_HDR_BSS_START   32 /* RAM offsets of .bss */
#define CRT0_HDR_BSS_END     36
#define CRT0_HDR_HEAP_START  40 /* RAM offset of the heap: crt0's initial break */
#define CRT0_HDR_RELOC_START 44 /* flash offset of the data relocation table */
#define CRT0_HDR_INIT_START  48 /* RAM offsets of the constructor array */
#define CRT0_HDR_INIT_END    52
#define CRT0_HDR_SIZE        56

/* Exit codes crt0 uses when it cannot start the app at all. */
#define CRT0_EXIT_BAD_HEADER 0xC0DE0001 /* magic wrong: not our binary layout */
#define CRT0_EXIT_NO_MEMORY  0xC0DE0002 /* brk refused: RAM block too small */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct crt0_header {
    uint32_t magic;
    uint32_t stack_top;
    uint32_t pic_base;
    uint32_t got_start;
    uint32_t got_end;
    uint32_t data_start;
    uint32_t data_end;
    uint32_t data_load;
    uint32_t bss_start;
    uint32_t bss_end;
    uint32_t heap_start;
    uint32_t reloc_start;
    uint32_t init_start;
    uint32_t init_end;
};

/* The relocation table the packer appends at reloc_start: a count, then that
 * many RAM offsets of 32-bit words in .data holding link-time addresses. */
struct crt0_relocs {
    uint32_t count;
    uint32_t offsets[];
};

_Static_assert(offsetof(struct crt0_header, stack_top) == CRT0_HDR_STACK_TOP, "layout");
_Static_assert(offsetof(struct crt0_header, pic_base) == CRT0_HDR_PIC_BASE, "layout");
_Static_assert(offsetof(struct crt0_header, heap_start) == CRT0_HDR_HEAP_START, "layout");
_Static_assert(offsetof(struct crt0_header, reloc_start) == CRT0_HDR_RELOC_START, "layout");
_Static_assert(offsetof(struct crt0_header, init_end) == CRT0_HDR_INIT_END, "layout");
_Static_assert(sizeof(struct crt0_header) == CRT0_HDR_SIZE, "layout");
#endif

#endif /* USERLAND_CRT0_HEADER_H */
