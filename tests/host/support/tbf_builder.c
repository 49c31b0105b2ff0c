/*
 * tbf_builder: see tbf_builder.h. Writes fields byte by byte, little endian,
 * independently of kernel/tbf.c so a shared mistake cannot hide.
 */
#include "tests/host/support/tbf_builder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE_SIZE        16
#define OFF_VERSION      0
#define OFF_HEADER_SIZE  2
#define OFF_TOTAL_SIZE   4
#define OFF_FLAGS        8
#define OFF_CHECKSUM     12
#define TBF_V2           2
#define TLV_MAIN         1
#define TLV_NAME         3
#define TLV_FIXED        5
#define TLV_STORAGE      7
#define TLV_KVERSION     8
#define TLV_PROGRAM      9
#define TLV_SHORT_ID     10
#define GOOD_TOTAL       512
#define GOOD_ENTRY       1 /* binary offset 0, Thumb bit set */
#define GOOD_MIN_RAM     4096
#define GOOD_BINARY_SIZE 64

static void need(const struct tbfb *b, uint32_t off, uint32_t len)
{
    if (off > TBFB_MAX_SIZE || len > TBFB_MAX_SIZE - off) {
        fprintf(stderr, "tbf_builder: write past its %d-byte buffer\n", TBFB_MAX_SIZE);
        abort();
    }
    (void)b;
}

void tbfb_put16(struct tbfb *b, uint32_t off, uint16_t v)
{
    need(b, off, 2);
    b->buf[off] = (uint8_t)v;
    b->buf[off + 1] = (uint8_t)(v >> 8);
}

void tbfb_put32(struct tbfb *b, uint32_t off, uint32_t v)
{
    need(b, off, 4);
    for (int i = 0; i < 4; i++)
        b->buf[off + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const struct tbfb *b, uint32_t off)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | b->buf[off + i];
    return v;
}

void tbfb_init(struct tbfb *b, uint32_t total_size, uint32_t flags)
{
    memset(b, 0, sizeof(*b));
    b->total_size = total_size;
    tbfb_put16(b, OFF_VERSION, TBF_V2);
    tbfb_put32(b, OFF_TOTAL_SIZE, total_size);
    tbfb_put32(b, OFF_FLAGS, flags);
    b->hdr_len = BASE_SIZE;
}

void tbfb_tlv_raw(struct tbfb *b, uint16_t type, uint16_t len)
{
    tbfb_put16(b, b->hdr_len, type);
    tbfb_put16(b, b->hdr_len + 2, len);
    b->hdr_len += 4;
}

void tbfb_tlv(struct tbfb *b, uint16_t type, const void *value, uint16_t len)
{
    uint32_t padded = (len + 3u) & ~3u;
    tbfb_tlv_raw(b, type, len);
    need(b, b->hdr_len, padded);
    memcpy(b->buf + b->hdr_len, value, len);
    b->hdr_len += padded;
}

/* Packs u32 words into a little-endian byte array. */
static void pack32(uint8_t *dst, const uint32_t *words, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < 4; j++)
            dst[4 * i + j] = (uint8_t)(words[i] >> (8 * j));
}

void tbfb_main(struct tbfb *b, uint32_t init_fn, uint32_t protected_size, uint32_t min_ram)
{
    uint32_t w[3] = {init_fn, protected_size, min_ram};
    uint8_t v[12];
    pack32(v, w, 3);
    tbfb_tlv(b, TLV_MAIN, v, sizeof(v));
}

void tbfb_program(struct tbfb *b, uint32_t init_fn, uint32_t protected_size, uint32_t min_ram,
                  uint32_t binary_end, uint32_t app_version)
{
    uint32_t w[5] = {init_fn, protected_size, min_ram, binary_end, app_version};
    uint8_t v[20];
    pack32(v, w, 5);
    tbfb_tlv(b, TLV_PROGRAM, v, sizeof(v));
}

void tbfb_name(struct tbfb *b, const char *name)
{
    tbfb_tlv(b, TLV_NAME, name, (uint16_t)strlen(name));
}

void tbfb_storage(struct tbfb *b, uint32_t write_id, uint16_t n_read, const uint32_t *read_ids,
                  uint16_t n_modify, const uint32_t *modify_ids)
{
    uint8_t v[4 + 2 + 4 * TBFB_STORAGE_IDS + 2 + 4 * TBFB_STORAGE_IDS];
    uint32_t pos = 0;
    if (n_read > TBFB_STORAGE_IDS || n_modify > TBFB_STORAGE_IDS) {
        fprintf(stderr, "tbf_builder: at most %d storage ids per list\n", TBFB_STORAGE_IDS);
        abort();
    }
    pack32(v, &write_id, 1);
    pos += 4;
    v[pos++] = (uint8_t)n_read;
    v[pos++] = (uint8_t)(n_read >> 8);
    pack32(v + pos, read_ids, n_read);
    pos += 4u * n_read;
    v[pos++] = (uint8_t)n_modify;
    v[pos++] = (uint8_t)(n_modify >> 8);
    pack32(v + pos, modify_ids, n_modify);
    pos += 4u * n_modify;
    tbfb_tlv(b, TLV_STORAGE, v, (uint16_t)pos);
}

void tbfb_kernel_version(struct tbfb *b, uint16_t major, uint16_t minor)
{
    uint8_t v[4] = {(uint8_t)major, (uint8_t)(major >> 8), (uint8_t)minor, (uint8_t)(minor >> 8)};
    tbfb_tlv(b, TLV_KVERSION, v, sizeof(v));
}

void tbfb_short_id(struct tbfb *b, uint32_t id)
{
    uint8_t v[4];
    pack32(v, &id, 1);
    tbfb_tlv(b, TLV_SHORT_ID, v, sizeof(v));
}

void tbfb_fixed_addresses(struct tbfb *b, uint32_t ram, uint32_t flash)
{
    uint32_t w[2] = {ram, flash};
    uint8_t v[8];
    pack32(v, w, 2);
    tbfb_tlv(b, TLV_FIXED, v, sizeof(v));
}

void tbfb_fix_checksum(struct tbfb *b)
{
    uint32_t header_size = (uint32_t)(b->buf[OFF_HEADER_SIZE] | (b->buf[OFF_HEADER_SIZE + 1] << 8));
    uint32_t acc = 0;
    header_size &= ~3u;
    if (header_size > TBFB_MAX_SIZE)
        header_size = TBFB_MAX_SIZE; /* a lying header_size: checksum what exists */
    tbfb_put32(b, OFF_CHECKSUM, 0);
    for (uint32_t off = 0; off < header_size; off += 4)
        acc ^= get32(b, off);
    tbfb_put32(b, OFF_CHECKSUM, acc);
}

void tbfb_finish(struct tbfb *b)
{
    tbfb_put16(b, OFF_HEADER_SIZE, (uint16_t)b->hdr_len);
    tbfb_fix_checksum(b);
}

void tbfb_good_app(struct tbfb *b, const char *name)
{
    /* Header: 16 base + 24 Program + name + 8 kernel version. */
    uint32_t name_tlv = 4 + (((uint32_t)strlen(name) + 3u) & ~3u);
    uint32_t header_size = BASE_SIZE + 24 + name_tlv + 8;
    tbfb_init(b, GOOD_TOTAL, 1);
    tbfb_program(b, GOOD_ENTRY, 0, GOOD_MIN_RAM, header_size + GOOD_BINARY_SIZE, 0);
    tbfb_name(b, name);
    tbfb_kernel_version(b, 2, 0);
    if (b->hdr_len != header_size) {
        fprintf(stderr, "tbf_builder: good app header is %u bytes, expected %u\n",
                (unsigned)b->hdr_len, (unsigned)header_size);
        abort();
    }
    tbfb_finish(b);
}
