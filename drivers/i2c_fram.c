/* i2c_fram: see i2c_fram.h. */
#include "drivers/i2c_fram.h"

#include "kernel/log.h"

/* Memory address bytes on the wire, most significant first; the bits above
 * them pick the page's bus address. */
#define FRAM_ADDR_HI(a)     ((uint8_t)((a) >> 8))
#define FRAM_ADDR_LO(a)     ((uint8_t)(a))
#define FRAM_PAGE_SHIFT     16u
#define FRAM_PAGE_OFFSET(a) ((a) & (I2C_FRAM_PAGE_SIZE - 1u))

/* What went wrong on the bus, for the log. */
static const char *fram_i2c_error(enum i2c_status st)
{
    switch (st) {
    case I2C_ENACK:
        return LOG_TEXT("no ACK");
    case I2C_EBUS:
        return LOG_TEXT("bus stuck (a line held low)");
    default:
        return LOG_TEXT("bus misuse");
    }
}

static struct i2c_fram *to_fram(struct nvram *dev)
{
    return (struct i2c_fram *)dev;
}

/* The bus address that answers for memory address mem. */
static uint8_t fram_dev_addr(const struct i2c_fram *f, uint32_t mem)
{
    return (uint8_t)(f->addr7 + (mem >> FRAM_PAGE_SHIFT));
}

/* START, write address, memory address: common to reads and writes. */
static enum i2c_status fram_select(struct i2c_fram *f, uint32_t mem)
{
    enum i2c_status st = i2c_start(f->bus);

    if (st == I2C_OK)
        st = i2c_address(f->bus, fram_dev_addr(f, mem), I2C_DIR_WRITE);
    if (st == I2C_OK)
        st = i2c_write_byte(f->bus, FRAM_ADDR_HI(mem));
    if (st == I2C_OK)
        st = i2c_write_byte(f->bus, FRAM_ADDR_LO(mem));
    return st;
}

/* Every transaction ends with STOP, whatever went wrong before it: a STOP
 * is what makes a write durable and what frees the bus after an error. */
static enum i2c_status fram_end(struct i2c_fram *f, enum i2c_status st)
{
    enum i2c_status st_stop = i2c_stop(f->bus);

    return st != I2C_OK ? st : st_stop;
}

static enum i2c_status fram_xfer_write(struct i2c_fram *f, uint32_t mem, const uint8_t *src,
                                       size_t n)
{
    enum i2c_status st = fram_select(f, mem);
    size_t i;

    for (i = 0; i < n && st == I2C_OK; i++)
        st = i2c_write_byte(f->bus, src[i]);
    return fram_end(f, st);
}

static enum i2c_status fram_xfer_read(struct i2c_fram *f, uint32_t mem, uint8_t *dst, size_t n)
{
    enum i2c_status st = fram_select(f, mem);
    size_t i;

    if (st == I2C_OK)
        st = i2c_restart(f->bus);
    if (st == I2C_OK)
        st = i2c_address(f->bus, fram_dev_addr(f, mem), I2C_DIR_READ);
    /* ACK every byte but the last; the NACK tells the chip to let go. */
    for (i = 0; i < n && st == I2C_OK; i++)
        st = i2c_read_byte(f->bus, &dst[i], i + 1 < n);
    return fram_end(f, st);
}

static void fram_finish(struct i2c_fram *f, enum nvram_status status, size_t count)
{
    /* Idle before the callback, so the client may start its next
     * operation from inside it. */
    f->op = I2C_FRAM_IDLE;
    if (f->nv.done != NULL)
        f->nv.done(f->nv.done_ctx, status, count);
}

/* Bytes of the next transaction: at most one chunk, never past a page. */
static size_t fram_chunk(const struct i2c_fram *f, uint32_t mem)
{
    size_t n = f->len - f->done;
    size_t limit = f->op == I2C_FRAM_WRITE ? I2C_FRAM_WRITE_CHUNK : I2C_FRAM_CHUNK;
    size_t page_left = I2C_FRAM_PAGE_SIZE - FRAM_PAGE_OFFSET(mem);

    if (n > limit)
        n = limit;
    return n < page_left ? n : page_left;
}

/* One chunk per call; reschedules itself until the transfer is done. */
static void fram_step(void *ctx)
{
    struct i2c_fram *f = ctx;
    size_t n = f->len - f->done;
    uint32_t mem = f->addr + (uint32_t)f->done;
    enum i2c_status st;

    if (f->op == I2C_FRAM_IDLE)
        return;
    if (f->op == I2C_FRAM_FLUSH || n == 0) {
        /* FRAM has no write buffer: durable at each STOP already. */
        fram_finish(f, NVRAM_OK, f->done);
        return;
    }
    n = fram_chunk(f, mem);
    if (f->op == I2C_FRAM_WRITE)
        st = fram_xfer_write(f, mem, f->src + f->done, n);
    else
        st = fram_xfer_read(f, mem, f->dst + f->done, n);
    if (st != I2C_OK) {
        /* Only whole chunks ended by a good STOP count as moved. */
        log_warn("fram: i2c error at 0x%x: %s", (unsigned)mem, fram_i2c_error(st));
        fram_finish(f, NVRAM_EIO, f->done);
        return;
    }
    f->done += n;
    if (f->done == f->len)
        fram_finish(f, NVRAM_OK, f->done);
    else
        deferred_schedule(&f->step);
}

static enum nvram_status fram_begin(struct i2c_fram *f, enum i2c_fram_op op, uint32_t addr,
                                    size_t len)
{
    if (!f->present)
        return NVRAM_ENODEV;
    if (f->op != I2C_FRAM_IDLE)
        return NVRAM_EBUSY;
    if (!nvram_range_ok(&f->nv, addr, len))
        return NVRAM_ERANGE;
    f->op = op;
    f->addr = addr;
    f->len = len;
    f->done = 0;
    deferred_schedule(&f->step);
    return NVRAM_OK;
}

static enum nvram_status fram_read(struct nvram *dev, uint8_t *dst, uint32_t addr, size_t len)
{
    struct i2c_fram *f = to_fram(dev);
    enum nvram_status st = fram_begin(f, I2C_FRAM_READ, addr, len);

    if (st == NVRAM_OK)
        f->dst = dst;
    return st;
}

static enum nvram_status fram_write(struct nvram *dev, const uint8_t *src, uint32_t addr,
                                    size_t len)
{
    struct i2c_fram *f = to_fram(dev);
    enum nvram_status st = fram_begin(f, I2C_FRAM_WRITE, addr, len);

    if (st == NVRAM_OK)
        f->src = src;
    return st;
}

static enum nvram_status fram_flush(struct nvram *dev)
{
    return fram_begin(to_fram(dev), I2C_FRAM_FLUSH, 0, 0);
}

/* Boot time only: run our own chunks here instead of waiting for the
 * kernel loop. */
static void fram_poll(struct nvram *dev)
{
    struct i2c_fram *f = to_fram(dev);

    while (f->op != I2C_FRAM_IDLE && deferred_take(&f->step))
        fram_step(f);
}

static const struct nvram_ops fram_ops = {
    .read = fram_read,
    .write = fram_write,
    .flush = fram_flush,
    .poll = fram_poll,
};

void i2c_fram_init(struct i2c_fram *fram, struct i2c_bus *bus, uint8_t addr7, uint32_t size)
{
    fram->nv.ops = &fram_ops;
    fram->nv.size = 0;
    fram->nv.extra = fram;
    fram->nv.done = NULL;
    fram->nv.done_ctx = NULL;
    fram->bus = bus;
    fram->addr7 = addr7;
    fram->board_size = size;
    fram->present = false;
    fram->op = I2C_FRAM_IDLE;
    fram->len = fram->done = 0;
    /* Safe on a second init: registering again resets the call in place. */
    deferred_register(&fram->step, fram_step, fram);
}

/* What the board says is a part this driver can address: a size of at
 * most one page, or 2 or 4 whole pages (the page number is address bits in
 * the device address), and page bus addresses that are all 7-bit addresses
 * with the page bits free. */
static bool fram_config_ok(const struct i2c_fram *f)
{
    uint32_t pages = (f->board_size + I2C_FRAM_PAGE_SIZE - 1u) / I2C_FRAM_PAGE_SIZE;

    if (f->board_size == 0 || f->board_size > I2C_FRAM_MAX_SIZE)
        return false;
    if (pages > 1 && (FRAM_PAGE_OFFSET(f->board_size) != 0 || (pages & (pages - 1u)) != 0))
        return false;
    return (uint32_t)f->addr7 + pages <= I2C_ADDR7_LIMIT && (f->addr7 & (pages - 1u)) == 0;
}

bool i2c_fram_probe(struct i2c_fram *fram)
{
    enum i2c_status st = I2C_OK;
    uint32_t last;
    uint8_t byte;

    fram->present = false;
    fram->nv.size = 0;
    if (!fram_config_ok(fram)) {
        log_error("fram: bad configuration (i2c 0x%x, %u bytes)", (unsigned)fram->addr7,
                  (unsigned)fram->board_size);
        return false;
    }
    /* A read at the last address of each page proves that page's bus
     * address answers and takes a 2-byte memory address, without changing
     * anything on the chip. */
    for (last = fram->board_size - 1;; last -= I2C_FRAM_PAGE_SIZE) {
        st = fram_xfer_read(fram, last, &byte, 1);
        if (st != I2C_OK || last < I2C_FRAM_PAGE_SIZE)
            break;
    }
    if (st != I2C_OK) {
        log_warn("fram: FRAM absent (i2c 0x%x: %s); storage disabled",
                 (unsigned)fram_dev_addr(fram, last), fram_i2c_error(st));
        return false;
    }
    fram->present = true;
    fram->nv.size = fram->board_size;
    if (fram->board_size > I2C_FRAM_PAGE_SIZE)
        log_info("fram: FRAM present at i2c 0x%x..0x%x, %u bytes", (unsigned)fram->addr7,
                 (unsigned)fram_dev_addr(fram, fram->board_size - 1), (unsigned)fram->nv.size);
    else
        log_info("fram: FRAM present at i2c 0x%x, %u bytes", (unsigned)fram->addr7,
                 (unsigned)fram->nv.size);
    return true;
}
