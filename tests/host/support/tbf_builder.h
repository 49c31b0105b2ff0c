/*
 * tbf_builder: assembles TBF v2 images in memory for the host tests of the
 * kernel's TBF parser (tests/host/test_tbf.c) and its fuzzer seeds.
 *
 * Contract: test code only. A builder writes a base header and TLVs into
 * its own zeroed buffer; tbfb_finish() fills in header_size and the
 * checksum. Tests then corrupt fields with tbfb_put16/32 (and may call
 * tbfb_fix_checksum() so the corruption gets past the checksum check).
 * Overflowing the buffer aborts the test program: a builder bug, not a
 * parser result.
 */
#ifndef TESTS_HOST_SUPPORT_TBF_BUILDER_H
#define TESTS_HOST_SUPPORT_TBF_BUILDER_H

#include <stdbool.h>
#include <stdint.h>

#define TBFB_MAX_SIZE    8192
#define TBFB_STORAGE_IDS 32 /* per list; more than the kernel accepts */

struct tbfb {
    uint8_t buf[TBFB_MAX_SIZE];
    uint32_t total_size; /* value written to the total_size field */
    uint32_t hdr_len;    /* bytes of header written so far */
};

/* Base header with the given total size and flags; no TLVs yet. */
void tbfb_init(struct tbfb *b, uint32_t total_size, uint32_t flags);

/* Appends a TLV with the given value, zero padding it to 4 bytes. */
void tbfb_tlv(struct tbfb *b, uint16_t type, const void *value, uint16_t len);

/* Appends just a TLV's type and length fields (a lying length). */
void tbfb_tlv_raw(struct tbfb *b, uint16_t type, uint16_t len);

void tbfb_main(struct tbfb *b, uint32_t init_fn, uint32_t protected_size, uint32_t min_ram);
void tbfb_program(struct tbfb *b, uint32_t init_fn, uint32_t protected_size, uint32_t min_ram,
                  uint32_t binary_end, uint32_t app_version);
void tbfb_name(struct tbfb *b, const char *name);
void tbfb_storage(struct tbfb *b, uint32_t write_id, uint16_t n_read, const uint32_t *read_ids,
                  uint16_t n_modify, const uint32_t *modify_ids);
void tbfb_kernel_version(struct tbfb *b, uint16_t major, uint16_t minor);
void tbfb_short_id(struct tbfb *b, uint32_t id);
void tbfb_fixed_addresses(struct tbfb *b, uint32_t ram, uint32_t flash);

/* Sets header_size to the bytes written and computes the checksum. */
void tbfb_finish(struct tbfb *b);

/* Overwrite a little-endian field anywhere in the image. */
void tbfb_put16(struct tbfb *b, uint32_t off, uint16_t v);
void tbfb_put32(struct tbfb *b, uint32_t off, uint32_t v);

/* Recomputes the checksum over the header_size now in the image. */
void tbfb_fix_checksum(struct tbfb *b);

/* A typical good app: Program header (entry at binary offset 1, Thumb),
 * name, kernel version 2.0; total_size 512, enabled. Finished. */
void tbfb_good_app(struct tbfb *b, const char *name);

#endif /* TESTS_HOST_SUPPORT_TBF_BUILDER_H */
