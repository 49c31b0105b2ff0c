/*
 * nvg_pattern: the block nv_guard keeps at the start of its region: a
 * small header (magic, generation, length) and bytes that are a function
 * of the generation and the position, so any changed, lost or shifted
 * byte is seen. Pure functions over memory.
 */
#ifndef APPS_NV_GUARD_NVG_PATTERN_H
#define APPS_NV_GUARD_NVG_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NVG_MAGIC    0x4447564eu /* "NVGD" */
#define NVG_HDR_SIZE 12u

/* Fill buf[0..len) (len > NVG_HDR_SIZE) with generation gen. */
void nvg_fill(uint8_t *buf, size_t len, uint32_t gen);

/* True if buf holds a block (of this length); *gen gets its generation. */
bool nvg_has_block(const uint8_t *buf, size_t len, uint32_t *gen);

/* Offset of the first wrong byte for generation gen, or len if none. */
size_t nvg_first_bad(const uint8_t *buf, size_t len, uint32_t gen);

#endif /* APPS_NV_GUARD_NVG_PATTERN_H */
