/*
 * tbf: Tock Binary Format (version 2) header parser. See kernel/tbf.h.
 *
 * Every read goes through the rd16/rd32 helpers with an offset that has
 * already been checked against the bytes known to exist, so a lying length
 * can make the parse fail but never read out of bounds. Fields are read byte
 * by byte: images only need 4-byte alignment, and this code also runs on
 * fuzzer buffers with no alignment at all.
 */
#include "kernel/tbf.h"

#include <stddef.h>

#include "kernel/log.h"

/* Base header field offsets. */
#define OFF_VERSION     0
#define OFF_HEADER_SIZE 2
#define OFF_TOTAL_SIZE  4
#define OFF_FLAGS       8

/* TLV framing: u16 type, u16 length, value padded to a 4-byte multiple. */
#define TLV_HDR_SIZE 4
#define TLV_ALIGN    4
#define WORD_SIZE    4

/* Fixed TLV value lengths. */
#define MAIN_LEN              12
#define PROGRAM_LEN           20
#define FIXED_ADDRESSES_LEN   8
#define KERNEL_VERSION_LEN    4
#define SHORT_ID_LEN          4
#define WRITEABLE_FLASH_ENTRY 8

/* Storage Permissions value: write_id, read count, ids, modify count, ids. */
#define STORAGE_COUNT_SIZE 2
#define STORAGE_ID_SIZE    4

/* Blank flash: erased NOR reads all ones, zero fill after the last image. */
#define BLANK16_ERASED 0xFFFFu

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Erased or zero flash where a version field would be: no image here. A
 * one-byte tail counts as blank when that byte is. */
static bool version_blank(const uint8_t *image, uint32_t avail)
{
    if (avail == 0)
        return true;
    if (avail == 1)
        return image[0] == 0x00 || image[0] == 0xFF;
    uint16_t version = rd16(image + OFF_VERSION);
    return version == 0 || version == BLANK16_ERASED;
}

static bool header_checksum_ok(const uint8_t *image, uint16_t header_size)
{
    uint32_t acc = 0;
    for (uint32_t off = 0; off < header_size; off += WORD_SIZE)
        acc ^= rd32(image + off);
    return acc == 0;
}

/* Length in bytes of the longest valid UTF-8 sequence starting at s[0], or 0
 * if s does not start with one (overlong forms, surrogates and code points
 * past U+10FFFF are invalid, as in Tock's from_utf8). */
static uint32_t utf8_seq_len(const uint8_t *s, uint32_t left)
{
    uint8_t c = s[0];
    uint32_t len;
    uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        if (c == 0xF4)
            hi = 0x8F; /* past U+10FFFF */
    } else {
        return 0;
    }
    if (left < len || s[1] < lo || s[1] > hi)
        return 0;
    for (uint32_t i = 2; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    }
    return len;
}

/* Package Name: must be UTF-8; stored cut to TBF_NAME_MAX bytes on a
 * character boundary and NUL-terminated. */
static enum tbf_error parse_name(const uint8_t *v, uint16_t len, struct tbf_info *out)
{
    uint32_t kept = 0;
    for (uint32_t i = 0; i < len;) {
        uint32_t n = utf8_seq_len(v + i, len - i);
        if (n == 0)
            return TBF_ERR_TLV;
        if (i + n <= TBF_NAME_MAX)
            kept = i + n;
        i += n;
    }
    for (uint32_t i = 0; i < kept; i++)
        out->name[i] = (char)v[i];
    out->name[kept] = '\0';
    return TBF_OK;
}

/* Reads a u16 count and that many u32 ids at *pos, advancing *pos. */
static enum tbf_error parse_id_list(const uint8_t *v, uint16_t len, uint32_t *pos, uint16_t *count,
                                    uint32_t *ids)
{
    if ((uint32_t)len - *pos < STORAGE_COUNT_SIZE)
        return TBF_ERR_TLV;
    uint16_t n = rd16(v + *pos);
    *pos += STORAGE_COUNT_SIZE;
    if (n > STORAGE_MAX_IDS || (uint32_t)len - *pos < (uint32_t)n * STORAGE_ID_SIZE)
        return TBF_ERR_TLV;
    for (uint16_t i = 0; i < n; i++) {
        ids[i] = rd32(v + *pos);
        *pos += STORAGE_ID_SIZE;
    }
    *count = n;
    return TBF_OK;
}

/* Storage Permissions: u32 write_id, u16 n, n x u32, u16 m, m x u32, packed.
 * The TLV length must be exactly that: Tock ignores bytes after the lists,
 * but then a count that lies low goes unnoticed, so we reject them. */
static enum tbf_error parse_storage(const uint8_t *v, uint16_t len, struct tbf_storage *st)
{
    uint32_t pos = sizeof(uint32_t);
    if (len < pos)
        return TBF_ERR_TLV;
    st->write_id = rd32(v);
    enum tbf_error err = parse_id_list(v, len, &pos, &st->num_read, st->read_ids);
    if (err == TBF_OK)
        err = parse_id_list(v, len, &pos, &st->num_modify, st->modify_ids);
    if (err == TBF_OK && pos != len)
        err = TBF_ERR_TLV;
    st->present = err == TBF_OK;
    return err;
}

/* Where the first Main and the first Program TLV values are (NULL: none). */
struct tbf_entry_tlvs {
    const uint8_t *main;
    const uint8_t *program;
};

static bool fixed_len_ok(uint16_t type, uint16_t len)
{
    switch (type) {
    case TBF_TLV_MAIN:
        return len == MAIN_LEN;
    case TBF_TLV_PROGRAM:
        return len == PROGRAM_LEN;
    case TBF_TLV_FIXED_ADDRESSES:
        return len == FIXED_ADDRESSES_LEN;
    case TBF_TLV_KERNEL_VERSION:
        return len == KERNEL_VERSION_LEN;
    case TBF_TLV_SHORT_ID:
        return len == SHORT_ID_LEN;
    case TBF_TLV_WRITEABLE_FLASH:
        return len % WRITEABLE_FLASH_ENTRY == 0;
    default:
        return true;
    }
}

/* One TLV whose value v[0..len) lies inside the header. */
static enum tbf_error parse_tlv(uint16_t type, const uint8_t *v, uint16_t len,
                                struct tbf_entry_tlvs *entry, struct tbf_info *out)
{
    if (!fixed_len_ok(type, len))
        return TBF_ERR_TLV;
    switch (type) {
    case TBF_TLV_MAIN:
        /* Like Tock: the first Main / Program counts, repeats are ignored. */
        if (entry->main == NULL)
            entry->main = v;
        return TBF_OK;
    case TBF_TLV_PROGRAM:
        if (entry->program == NULL)
            entry->program = v;
        return TBF_OK;
    case TBF_TLV_PACKAGE_NAME:
        return parse_name(v, len, out);
    case TBF_TLV_STORAGE_PERMS:
        return parse_storage(v, len, &out->storage);
    case TBF_TLV_KERNEL_VERSION:
        out->has_kernel_version = true;
        out->kernel_major = rd16(v);
        out->kernel_minor = rd16(v + sizeof(uint16_t));
        return TBF_OK;
    case TBF_TLV_SHORT_ID:
        out->has_short_id = true;
        out->short_id = rd32(v);
        return TBF_OK;
    case TBF_TLV_FIXED_ADDRESSES:
        out->has_fixed_addresses = true;
        out->fixed_ram = rd32(v);
        out->fixed_flash = rd32(v + sizeof(uint32_t));
        return TBF_OK;
    default:
        /* Writeable flash, permissions, unknown types: skipped by length. */
        return TBF_OK;
    }
}

/* Walks the TLVs of a header whose size and checksum are already checked. */
static enum tbf_error parse_tlvs(const uint8_t *image, uint16_t header_size,
                                 struct tbf_entry_tlvs *entry, struct tbf_info *out)
{
    uint32_t pos = TBF_BASE_HEADER_SIZE;
    while (pos < header_size) {
        uint32_t left = header_size - pos;
        if (left < TLV_HDR_SIZE)
            return TBF_ERR_TLV;
        uint16_t type = rd16(image + pos);
        uint16_t len = rd16(image + pos + sizeof(uint16_t));
        uint32_t padded = ((uint32_t)len + TLV_ALIGN - 1) & ~(uint32_t)(TLV_ALIGN - 1);
        if (padded > left - TLV_HDR_SIZE)
            return TBF_ERR_TLV;
        enum tbf_error err = parse_tlv(type, image + pos + TLV_HDR_SIZE, len, entry, out);
        if (err != TBF_OK)
            return err;
        pos += TLV_HDR_SIZE + padded;
    }
    return TBF_OK;
}

/* Copies Program (preferred, as in Tock) or Main into out and checks that
 * the protected trailer, the binary end and the entry point lie inside the
 * image. */
static enum tbf_error apply_entry(const struct tbf_entry_tlvs *entry, struct tbf_info *out)
{
    const uint8_t *v = entry->program != NULL ? entry->program : entry->main;
    if (v == NULL)
        return out->enabled ? TBF_ERR_NO_MAIN : TBF_OK;

    out->has_program = entry->program != NULL;
    out->init_fn_offset = rd32(v);
    out->protected_size = rd32(v + 4);
    out->min_ram_size = rd32(v + 8);
    if (out->has_program) {
        out->binary_end_offset = rd32(v + 12);
        out->app_version = rd32(v + 16);
    }

    /* 64-bit sums: header_size + a u32 from the image cannot wrap. */
    uint64_t binary_start = (uint64_t)out->header_size + out->protected_size;
    if (binary_start > out->total_size)
        return TBF_ERR_TLV;
    if (out->binary_end_offset < binary_start || out->binary_end_offset > out->total_size)
        return TBF_ERR_TLV;
    /* The low bit is the Thumb bit, not part of the address. */
    uint64_t entry_off = ((uint64_t)out->header_size + out->init_fn_offset) & ~(uint64_t)1;
    if (entry_off < binary_start || entry_off >= out->binary_end_offset)
        return TBF_ERR_ENTRY;
    return TBF_OK;
}

/* Base header checks, in order; sets the base fields of out. */
static enum tbf_error parse_base(const uint8_t *image, uint32_t avail, struct tbf_info *out)
{
    if (version_blank(image, avail))
        return TBF_ERR_END;
    if (avail < TBF_BASE_HEADER_SIZE)
        return TBF_ERR_TRUNCATED;

    /* A readable version that is not blank means something was written
     * here: a blank total_size (0 or all ones) is then a corrupted image,
     * reported as TBF_ERR_TOTAL_SIZE, not a silent end of the list. */
    uint32_t total_size = rd32(image + OFF_TOTAL_SIZE);
    out->version = rd16(image + OFF_VERSION);
    if (out->version != TBF_VERSION)
        return TBF_ERR_VERSION;
    if (total_size > avail || total_size < TBF_BASE_HEADER_SIZE)
        return TBF_ERR_TOTAL_SIZE;
    /* From here on total_size fits the area: a loader may skip by it. */
    out->total_size = total_size;
    out->binary_end_offset = total_size;
    out->header_size = rd16(image + OFF_HEADER_SIZE);
    out->flags = rd32(image + OFF_FLAGS);
    out->enabled = (out->flags & TBF_FLAG_ENABLED) != 0;

    /* Whole words only: the checksum and TLV padding are word based. */
    if (out->header_size < TBF_BASE_HEADER_SIZE || out->header_size > total_size ||
        out->header_size % WORD_SIZE != 0)
        return TBF_ERR_HEADER_SIZE;
    if (!header_checksum_ok(image, out->header_size))
        return TBF_ERR_CHECKSUM;
    return TBF_OK;
}

enum tbf_error tbf_parse(const uint8_t *image, uint32_t avail, struct tbf_info *out)
{
    *out = (struct tbf_info){0};
    enum tbf_error err = parse_base(image, avail, out);
    if (err != TBF_OK)
        return err;

    struct tbf_entry_tlvs entry = {NULL, NULL};
    err = parse_tlvs(image, out->header_size, &entry, out);
    if (err != TBF_OK)
        return err;
    return apply_entry(&entry, out);
}

bool tbf_error_skippable(enum tbf_error err)
{
    switch (err) {
    case TBF_ERR_HEADER_SIZE:
    case TBF_ERR_CHECKSUM:
    case TBF_ERR_TLV:
    case TBF_ERR_NO_MAIN:
    case TBF_ERR_ENTRY:
        return true;
    default:
        return false;
    }
}

const char *tbf_error_str(enum tbf_error err)
{
    switch (err) {
    case TBF_OK:
        return LOG_TEXT("ok");
    case TBF_ERR_END:
        return LOG_TEXT("no image (blank flash)");
    case TBF_ERR_TRUNCATED:
        return LOG_TEXT("truncated base header");
    case TBF_ERR_VERSION:
        return LOG_TEXT("unsupported TBF version");
    case TBF_ERR_HEADER_SIZE:
        return LOG_TEXT("bad header size");
    case TBF_ERR_TOTAL_SIZE:
        return LOG_TEXT("bad total size");
    case TBF_ERR_CHECKSUM:
        return LOG_TEXT("header checksum mismatch");
    case TBF_ERR_TLV:
        return LOG_TEXT("malformed TLV");
    case TBF_ERR_NO_MAIN:
        return LOG_TEXT("no Main or Program header");
    case TBF_ERR_ENTRY:
        return LOG_TEXT("entry point outside the binary");
    }
    return LOG_TEXT("unknown error");
}
