/* nvg_pattern: see nvg_pattern.h. */
#include "nvg_pattern.h"

#define OFF_MAGIC     0
#define OFF_GEN       4
#define OFF_LEN       8
#define MUL_GEN       31u
#define MUL_POS       7u
#define BIAS          0x5au
#define BYTE_MASK     0xffu
#define BITS_PER_BYTE 8u

static void put32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < sizeof(v); i++)
        p[i] = (uint8_t)(v >> (BITS_PER_BYTE * i));
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v = 0;

    for (unsigned i = 0; i < sizeof(v); i++)
        v |= (uint32_t)p[i] << (BITS_PER_BYTE * i);
    return v;
}

static uint8_t byte_at(size_t i, uint32_t gen)
{
    return (uint8_t)((gen * MUL_GEN + (uint32_t)i * MUL_POS + BIAS) & BYTE_MASK);
}

void nvg_fill(uint8_t *buf, size_t len, uint32_t gen)
{
    put32(buf + OFF_MAGIC, NVG_MAGIC);
    put32(buf + OFF_GEN, gen);
    put32(buf + OFF_LEN, (uint32_t)len);
    for (size_t i = NVG_HDR_SIZE; i < len; i++)
        buf[i] = byte_at(i, gen);
}

bool nvg_has_block(const uint8_t *buf, size_t len, uint32_t *gen)
{
    if (get32(buf + OFF_MAGIC) != NVG_MAGIC || get32(buf + OFF_LEN) != len)
        return false;
    *gen = get32(buf + OFF_GEN);
    return true;
}

size_t nvg_first_bad(const uint8_t *buf, size_t len, uint32_t gen)
{
    uint32_t found;

    if (!nvg_has_block(buf, len, &found) || found != gen)
        return 0;
    for (size_t i = NVG_HDR_SIZE; i < len; i++)
        if (buf[i] != byte_at(i, gen))
            return i;
    return len;
}
