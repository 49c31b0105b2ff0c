/*
 * Bitwise CRC-32: eight shifts per byte. Records are small and written
 * rarely, so a lookup table's 1 KiB of flash is not worth it.
 */
#include "libnvstorage/nvs_crc32.h"

#define CRC32_POLY_REFLECTED 0xEDB88320u
#define CRC32_XOR            0xFFFFFFFFu
#define BITS_PER_BYTE        8

uint32_t nvs_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;

    crc ^= CRC32_XOR;
    while (len-- > 0) {
        crc ^= *p++;
        for (int bit = 0; bit < BITS_PER_BYTE; bit++)
            crc = (crc >> 1) ^ (CRC32_POLY_REFLECTED & (0u - (crc & 1u)));
    }
    return crc ^ CRC32_XOR;
}
