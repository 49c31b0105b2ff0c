/*
 * libFuzzer target for the storage capsule's command path.
 *
 * The input is a script of process events run over the fake kernel and the
 * RAM FRAM: spawn / kill / restart processes with various permissions,
 * allow buffers, issue commands with any arguments, run deferred calls one
 * pass or all, fail device operations, cut the power and reboot. Every
 * allowed buffer is its own heap block, freed the moment it is replaced or
 * its process ends, so AddressSanitizer catches any byte the capsule moves
 * outside the buffer currently shared, or through a stale pointer. At the
 * end these promises are checked and a broken one aborts:
 *   - bytes outside the storage area are untouched;
 *   - the region table is sound: no unreadable header, one region per owner,
 *     every region of the size the board gives its owner;
 *   - every upcall carries a status the driver documents, and lengths
 *     within the region.
 */
// clang-format off
/* FUZZ_SRCS: capsules/nv_storage.c capsules/nv_region.c drivers/ram_fram.c hal/nvram.c kernel/deferred.c kernel/log.c kernel/log_record.c tests/host/support/fake_kernel.c tests/host/support/nvs_harness.c */
// clang-format on
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/nv_region.h"
#include "tests/host/support/nvs_harness.h"

#define AREA_START  256u
#define AREA_LEN    1500u
#define REGION_SIZE 300u
#define BIG_OWNER   3u
#define BIG_SIZE    600u
#define CANARY      0x5Cu
#define MAX_BUF     800u
#define NUM_OWNERS  4u
#define MAX_STEPS   200

enum fz_op {
    FZ_SPAWN,
    FZ_KILL,
    FZ_RESTART,
    FZ_ALLOW_RW,
    FZ_ALLOW_RO,
    FZ_COMMAND,
    FZ_STEP,
    FZ_RUN,
    FZ_FAIL_OP,
    FZ_POWER_CUT,
    FZ_NUM_OPS,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct nvs_size_override overrides[] = {{BIG_OWNER, BIG_SIZE}};
static proc_id_t pids[FK_MAX_PROCS];
static uint8_t *rw_buf[FK_MAX_PROCS];
static uint8_t *ro_buf[FK_MAX_PROCS];
static struct nvs_config cfg;

struct input {
    const uint8_t *p;
    size_t left;
};

static uint8_t take8(struct input *in)
{
    if (in->left == 0)
        return 0;
    in->left--;
    return *in->p++;
}

static uint32_t take32(struct input *in)
{
    uint32_t v = 0;
    int i;

    for (i = 0; i < 4; i++)
        v = v << 8 | take8(in);
    return v;
}

static void check(int ok)
{
    if (!ok)
        abort();
}

static void drop_buffers(unsigned slot)
{
    free(rw_buf[slot]);
    free(ro_buf[slot]);
    rw_buf[slot] = NULL;
    ro_buf[slot] = NULL;
}

static struct storage_perms perms_variant(uint8_t v)
{
    struct storage_perms p = fk_perms_owner(1u + (v >> 2) % NUM_OWNERS);

    switch (v & 3u) {
    case 1:
        p.num_read = 0;
        break;
    case 2:
        p.num_modify = 0;
        break;
    case 3:
        p.has_write_id = false;
        break;
    default:
        break;
    }
    return p;
}

static void allow(unsigned slot, bool rw, uint32_t len)
{
    uint8_t **b = rw ? &rw_buf[slot] : &ro_buf[slot];

    free(*b); /* the old buffer is gone: any later use of it is caught */
    *b = len != 0 ? malloc(len) : NULL;
    if (*b != NULL)
        memset(*b, (int)len, len);
    if (rw)
        fk_allow_rw(pids[slot], 0, *b, len);
    else
        fk_allow_ro(pids[slot], 0, *b, len);
}

static void check_upcalls(void)
{
    size_t i;

    for (i = 0; i < fk_upcall_count(); i++) {
        const struct fk_upcall *u = fk_upcall_at(i);

        check(u->num <= NVS_UPCALL_WRITE);
        switch (u->a0) {
        case TOCK_SUCCESS:
            check(u->a1 > 0 && u->a1 <= BIG_SIZE);
            break;
        case TOCK_ERESERVE:
        case TOCK_ENOMEM:
        case TOCK_EINVAL:
        case TOCK_EFAIL:
        case TOCK_ECANCEL:
            check(u->num != NVS_UPCALL_GET_SIZE || u->a0 != TOCK_ECANCEL);
            break;
        default:
            abort();
        }
    }
}

static void check_table(void)
{
    struct nvr_area a = {AREA_START, AREA_START + AREA_LEN};
    uint32_t seen = 0, i, low = a.end;
    struct nvr_pos p;

    /* Only cuts, device errors and app requests happened; after a boot
     * every position up to the END is a whole region record, regions
     * descend and do not overlap (or, if no region was ever made, there is
     * no table at all yet). */
    for (i = 0; nvr_pos_fits(&a, i); i++) {
        nvr_classify(nh_mem + nvr_pos_addr(&a, i), &a, i, &p);
        if (i == 0 && p.kind == NVR_POS_INVALID) {
            /* No region was ever made: the boot leaves the chip as it is. */
            nvr_classify(nh_mem + nvr_pos_addr(&a, 1), &a, 1, &p);
            check(p.kind == NVR_POS_INVALID && nh_cap.boot.regions == 0);
            break;
        }
        check(p.kind != NVR_POS_INVALID);
        check(p.rec.addr + (p.kind == NVR_POS_REGION ? p.rec.length : 0) <= low);
        low = p.rec.addr;
        if (p.kind == NVR_POS_END)
            break;
        check(p.rec.owner >= 1 && p.rec.owner <= NUM_OWNERS);
        check(!(seen & (1u << p.rec.owner)));
        seen |= 1u << p.rec.owner;
        check(p.rec.length == (p.rec.owner == BIG_OWNER ? BIG_SIZE : REGION_SIZE));
    }
    check(nvr_pos_fits(&a, i));
    for (i = 0; i < AREA_START; i++)
        check(nh_mem[i] == CANARY);
    for (i = a.end; i < NH_FRAM_SIZE; i++)
        check(nh_mem[i] == CANARY);
}

static void reboot(void)
{
    unsigned i;

    for (i = 0; i < FK_MAX_PROCS; i++) {
        drop_buffers(i);
        pids[i] = PROC_ID_NONE;
    }
    fk_reset();
    nh_boot(&cfg, NH_FRAM_SIZE);
}

static void step(struct input *in)
{
    uint8_t op = take8(in) % FZ_NUM_OPS;
    unsigned slot = take8(in) % FK_MAX_PROCS;
    struct storage_perms perms;
    uint32_t cmd, a1, a2;

    switch (op) {
    case FZ_SPAWN:
        perms = perms_variant(take8(in));
        drop_buffers(slot);
        pids[slot] = fk_spawn(slot, &perms);
        break;
    case FZ_KILL:
        fk_kill(pids[slot]);
        drop_buffers(slot);
        break;
    case FZ_RESTART:
        pids[slot] = fk_restart(pids[slot]);
        drop_buffers(slot);
        break;
    case FZ_ALLOW_RW:
    case FZ_ALLOW_RO:
        allow(slot, op == FZ_ALLOW_RW, (take8(in) << 8 | take8(in)) % MAX_BUF);
        break;
    case FZ_COMMAND:
        cmd = take8(in) % 5u;
        a1 = take32(in);
        a2 = take8(in) & 1u ? take32(in) : 0;
        (void)nh_cmd(pids[slot], cmd, a1 % 2u ? a1 % (BIG_SIZE + 2u) : a1, a2);
        break;
    case FZ_STEP:
        deferred_run();
        break;
    case FZ_RUN:
        nh_run();
        break;
    case FZ_FAIL_OP:
        ram_fram_fail_op(&nh_dev.rf, 1u + take8(in) % 8u);
        break;
    case FZ_POWER_CUT:
        nh_dev.cut_at = (long)((take8(in) << 8 | take8(in)) % 2048u);
        nh_run();
        reboot();
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size};
    int steps = 0;

    memset(nh_mem, CANARY, sizeof(nh_mem));
    memset(nh_mem + AREA_START, 0, AREA_LEN);
    memset(&cfg, 0, sizeof(cfg));
    cfg.area_start = AREA_START;
    cfg.area_len = AREA_LEN;
    cfg.region_size = REGION_SIZE;
    cfg.overrides = overrides;
    cfg.num_overrides = 1;
    reboot();
    while (in.left > 0 && steps++ < MAX_STEPS)
        step(&in);
    nh_run();
    check_upcalls();
    reboot(); /* frees every buffer, and rewrites an END a failed write lost */
    check(!nh_cap.boot.corrupt);
    check_table();
    return 0;
}
