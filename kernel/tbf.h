/*
 * tbf: parser for Tock Binary Format (version 2) app image headers.
 *
 * Pure logic over a byte buffer (no hardware, no globals), so host tests and
 * fuzzers run it directly. The kernel's process loader calls tbf_parse() on
 * each image in the app flash area; tools/tbflib.py is the host-side twin.
 *
 * Contract: tbf_parse() never reads outside [image, image + avail), never
 * trusts a length field without checking it against what is left, and
 * reports the first problem it finds. On TBF_OK every field of *out is set;
 * on an error, out->total_size is still set when the base header was
 * readable and its total size plausible, so a loader can skip to the next
 * image (tbf_error_skippable() says whether that is safe).
 */
#ifndef KERNEL_TBF_H
#define KERNEL_TBF_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/driver.h" /* STORAGE_MAX_IDS */

/* TLV types. */
#define TBF_TLV_MAIN            1
#define TBF_TLV_WRITEABLE_FLASH 2
#define TBF_TLV_PACKAGE_NAME    3
#define TBF_TLV_FIXED_ADDRESSES 5
#define TBF_TLV_PERMISSIONS     6
#define TBF_TLV_STORAGE_PERMS   7
#define TBF_TLV_KERNEL_VERSION  8
#define TBF_TLV_PROGRAM         9
#define TBF_TLV_SHORT_ID        10

#define TBF_VERSION          2
#define TBF_BASE_HEADER_SIZE 16
#define TBF_FLAG_ENABLED     0x1
#define TBF_FLAG_STICKY      0x2
#define TBF_NAME_MAX         32

enum tbf_error {
    TBF_OK = 0,
    TBF_ERR_END,         /* no image here: erased flash or zero padding */
    TBF_ERR_TRUNCATED,   /* fewer bytes available than the header needs */
    TBF_ERR_VERSION,     /* unsupported TBF version */
    TBF_ERR_HEADER_SIZE, /* header size smaller than base or beyond total */
    TBF_ERR_TOTAL_SIZE,  /* total size beyond the area or below header */
    TBF_ERR_CHECKSUM,    /* XOR of header words is not zero */
    TBF_ERR_TLV,         /* a TLV runs past the header or has a bad length */
    TBF_ERR_NO_MAIN,     /* enabled app without Main or Program header */
    TBF_ERR_ENTRY,       /* entry point outside the binary */
};

struct tbf_storage {
    bool present;      /* Storage Permissions TLV seen */
    uint32_t write_id; /* 0: none */
    uint16_t num_read;
    uint32_t read_ids[STORAGE_MAX_IDS];
    uint16_t num_modify;
    uint32_t modify_ids[STORAGE_MAX_IDS];
};

struct tbf_info {
    uint16_t version;
    uint16_t header_size;
    uint32_t total_size;
    uint32_t flags;
    bool enabled;
    bool has_program;        /* Program (9) rather than Main (1) */
    uint32_t init_fn_offset; /* from the end of the header */
    uint32_t protected_size; /* protected trailer after the header */
    uint32_t min_ram_size;
    uint32_t binary_end_offset;  /* Program only; else total_size */
    uint32_t app_version;        /* Program only */
    char name[TBF_NAME_MAX + 1]; /* NUL-terminated, cut to TBF_NAME_MAX */
    struct tbf_storage storage;
    bool has_short_id;
    uint32_t short_id;
    bool has_kernel_version;
    uint16_t kernel_major, kernel_minor;
    bool has_fixed_addresses;
    uint32_t fixed_ram, fixed_flash;
};

enum tbf_error tbf_parse(const uint8_t *image, uint32_t avail, struct tbf_info *out);

/* True when out->total_size can be trusted to find the next image. */
bool tbf_error_skippable(enum tbf_error err);

/* Short English reason, for the loader's one log line: a LOG_TEXT
 * (kernel/log.h), which the kernel can log but not read. */
const char *tbf_error_str(enum tbf_error err);

#endif /* KERNEL_TBF_H */
