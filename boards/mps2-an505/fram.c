/* The board's FRAM wiring: SBCon -> I2C FRAM driver -> nvram. See fram.h. */
#include "boards/mps2-an505/fram.h"

#include <stdbool.h>

#include "drivers/i2c_fram.h"
#include "drivers/sbcon_i2c.h"

static struct sbcon_i2c fram_bus;
static struct i2c_fram fram;
static bool fram_ready;

struct nvram *board_fram_init(void)
{
    if (!fram_ready) {
        sbcon_i2c_init(&fram_bus, BOARD_FRAM_I2C_BASE, BOARD_FRAM_I2C_HALF_PERIOD_SPINS);
        i2c_fram_init(&fram, &fram_bus.bus, BOARD_FRAM_I2C_ADDR, BOARD_FRAM_SIZE);
        (void)i2c_fram_probe(&fram);
        fram_ready = true;
    }
    return &fram.nv;
}
