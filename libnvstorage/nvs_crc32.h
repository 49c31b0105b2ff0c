/*
 * nvs_crc32: the CRC-32 of IEEE 802.3 / zlib (reflected polynomial
 * 0xEDB88320, initial value and final XOR 0xFFFFFFFF), used by the atomic
 * records to recognise a slot written whole.
 *
 * Pure function, any context, never blocks; a 64-byte table in flash, none in RAM.
 * nvs_crc32(0, "123456789", 9) == 0xCBF43926 (the standard check value).
 */
#ifndef LIBNVSTORAGE_NVS_CRC32_H
#define LIBNVSTORAGE_NVS_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* CRC of len bytes at data, continuing from crc (0 to start; pass a
 * previous result to continue over more bytes). */
uint32_t nvs_crc32(uint32_t crc, const void *data, size_t len);

#endif /* LIBNVSTORAGE_NVS_CRC32_H */
