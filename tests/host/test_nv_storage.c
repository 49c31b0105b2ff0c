/*
 * Host tests of the isolated storage capsule (driver 0x50004) over the RAM
 * FRAM: every command and error path, allocation and rediscovery after a
 * reboot, power cuts at every byte of an allocation, corrupted headers,
 * interleaved apps, re-allow and exit mid-operation.
 */
// clang-format off
/* HOST_TEST_SRCS: capsules/nv_storage.c capsules/nv_region.c drivers/ram_fram.c hal/nvram.c kernel/deferred.c kernel/fmt.c kernel/log.c tests/host/support/log_text.c tests/host/support/fake_kernel.c tests/host/support/nvs_harness.c */
// clang-format on
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capsules/nv_region.h"
#include "tests/host/support/nvs_harness.h"

#define AREA_START  1024u
#define AREA_LEN    8192u
#define REGION_SIZE 1024u
#define OWNER_A     0x11u
#define OWNER_B     0x22u
#define OWNER_C     0x33u
#define OWNER_D     0x44u
#define SLOT_A      0u
#define SLOT_B      1u
#define SLOT_C      2u
#define SLOT_D      3u
#define OLD_BYTE    0xA5u
#define BIG         4096u

static struct nvs_config cfg;
static uint8_t before[NH_FRAM_SIZE];

static void default_cfg(void)
{
    memset(&cfg, 0, sizeof(cfg));
    cfg.area_start = AREA_START;
    cfg.area_len = AREA_LEN;
    cfg.region_size = REGION_SIZE;
}

static int setup(void **state)
{
    (void)state;
    memset(nh_mem, 0, sizeof(nh_mem));
    fk_reset();
    default_cfg();
    nh_boot(&cfg, NH_FRAM_SIZE);
    return 0;
}

static proc_id_t spawn_owner(unsigned slot, uint32_t owner)
{
    struct storage_perms p = fk_perms_owner(owner);

    return fk_spawn(slot, &p);
}

/* Run a command to completion; assert the upcall's number and status;
 * return its length argument. */
static uint32_t expect_async(proc_id_t pid, uint32_t cmd, uint32_t lo, uint32_t hi, uint32_t status)
{
    struct fk_upcall up;
    uint32_t err;

    assert_true(nh_call(pid, cmd, lo, hi, &err, &up));
    assert_int_equal(up.num, cmd - 1u); /* upcall numbers follow commands */
    assert_int_equal(up.a0, status);
    return up.a1;
}

static void expect_sync(proc_id_t pid, uint32_t cmd, uint32_t lo, uint32_t hi, uint32_t err)
{
    struct syscall_ret r = nh_cmd(pid, cmd, lo, hi);

    assert_int_equal(r.variant, RET_FAILURE);
    assert_int_equal(r.r1, err);
    nh_run();
    assert_int_equal(fk_upcall_count(), 0);
}

static uint32_t get_size(proc_id_t pid)
{
    return expect_async(pid, NVS_CMD_GET_SIZE, 0, 0, TOCK_SUCCESS);
}

static void write_at(proc_id_t pid, uint32_t off, const uint8_t *buf, uint32_t len, uint32_t st)
{
    uint32_t n;

    fk_allow_ro(pid, NVS_ALLOW_RO_WRITE, buf, len);
    n = expect_async(pid, NVS_CMD_WRITE, off, 0, st);
    if (st == TOCK_SUCCESS)
        assert_int_equal(n, len);
}

static void read_at(proc_id_t pid, uint32_t off, uint8_t *buf, uint32_t len, uint32_t st)
{
    uint32_t n;

    fk_allow_rw(pid, NVS_ALLOW_RW_READ, buf, len);
    n = expect_async(pid, NVS_CMD_READ, off, 0, st);
    if (st == TOCK_SUCCESS)
        assert_int_equal(n, len);
}

static void fill_pattern(uint8_t *buf, uint32_t len, uint32_t seed)
{
    uint32_t i;

    for (i = 0; i < len; i++)
        buf[i] = (uint8_t)(seed * 31u + i * 7u + (i >> 8));
}

/* Simulated reboot: processes gone, FRAM powered again, capsule re-inited. */
static void reboot(void)
{
    fk_reset();
    nh_boot(&cfg, NH_FRAM_SIZE);
}

struct table_entry {
    uint32_t slot, owner, data, len; /* slot: the record's directory address */
};

static struct nvr_area area_of_cfg(void)
{
    return (struct nvr_area){cfg.area_start, cfg.area_start + cfg.area_len};
}

/* Walk the directory in nh_mem up to its END; returns the number of live
 * regions. Fails the test on overlap, area escape or a damaged position
 * (unless allow_damage). */
static unsigned walk_table(struct table_entry *out, unsigned max, bool allow_damage)
{
    struct nvr_area a = area_of_cfg();
    uint32_t low = a.end, i;
    unsigned n = 0, j;
    struct nvr_pos p;

    for (i = 0; nvr_pos_fits(&a, i); i++) {
        nvr_classify(nh_mem + nvr_pos_addr(&a, i), &a, i, &p);
        if (p.kind == NVR_POS_INVALID) {
            struct nvr_pos next;

            /* Two invalid positions in a row: a table without its END (a
             * chip never allocated on, or an END the next boot rewrites). */
            if (!nvr_pos_fits(&a, i + 1))
                return n;
            nvr_classify(nh_mem + nvr_pos_addr(&a, i + 1), &a, i + 1, &next);
            if (next.kind == NVR_POS_INVALID)
                return n;
            assert_true(allow_damage);
            continue;
        }
        assert_true(p.rec.addr + (p.kind == NVR_POS_REGION ? p.rec.length : 0) <= low);
        low = p.rec.addr;
        if (p.kind == NVR_POS_END) {
            /* The position after the END never holds a valid record. */
            struct nvr_pos after;

            if (nvr_pos_fits(&a, i + 1)) {
                nvr_classify(nh_mem + nvr_pos_addr(&a, i + 1), &a, i + 1, &after);
                assert_int_equal(after.kind, NVR_POS_INVALID);
            }
            return n;
        }
        for (j = 0; j < n && j < max; j++)
            assert_int_not_equal(out[j].owner, p.rec.owner);
        if (n < max)
            out[n] =
                (struct table_entry){nvr_pos_addr(&a, i), p.rec.owner, p.rec.addr, p.rec.length};
        n++;
    }
    fail_msg("no END record and no room for one");
    return n;
}

/* ---- commands and synchronous errors ---------------------------------- */

static void test_unknown_command_is_nosupport(void **state)
{
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);

    (void)state;
    expect_sync(a, 4, 0, 0, TOCK_ENOSUPPORT);
    expect_sync(a, 0xFFFFu, 0, 0, TOCK_ENOSUPPORT);
    expect_sync(a, NVS_CMD_EXISTS, 0, 0, TOCK_ENOSUPPORT); /* the kernel answers 0 */
}

static void test_driver_declaration(void **state)
{
    const struct driver *d = nvs_driver(&nh_cap);

    (void)state;
    assert_int_equal(d->number, DRIVER_NVSTORAGE);
    assert_int_equal(d->num_upcalls, 3);
    assert_int_equal(d->num_allow_ro, 1);
    assert_int_equal(d->num_allow_rw, 1);
    assert_int_equal(d->grant_size, sizeof(struct nvs_grant));
}

static void test_no_permissions_is_nosupport(void **state)
{
    proc_id_t none = fk_spawn(SLOT_A, NULL);
    struct storage_perms no_write = fk_perms_owner(OWNER_B);
    proc_id_t nw;

    (void)state;
    no_write.has_write_id = false;
    nw = fk_spawn(SLOT_B, &no_write);
    memcpy(before, nh_mem, sizeof(before));
    expect_sync(none, NVS_CMD_GET_SIZE, 0, 0, TOCK_ENOSUPPORT);
    expect_sync(none, NVS_CMD_READ, 0, 0, TOCK_ENOSUPPORT);
    expect_sync(none, NVS_CMD_WRITE, 0, 0, TOCK_ENOSUPPORT);
    expect_sync(nw, NVS_CMD_GET_SIZE, 0, 0, TOCK_ENOSUPPORT);
    expect_sync(nw, NVS_CMD_READ, 0, 0, TOCK_ENOSUPPORT);
    expect_sync(nw, NVS_CMD_WRITE, 0, 0, TOCK_ENOSUPPORT);
    assert_memory_equal(before, nh_mem, sizeof(before)); /* nothing allocated */
}

static void test_read_needs_read_id_write_needs_modify_id(void **state)
{
    struct storage_perms ro = fk_perms_owner(OWNER_A);
    struct storage_perms wo = fk_perms_owner(OWNER_B);
    struct storage_perms other = fk_perms_owner(OWNER_C);
    proc_id_t r, w, o;
    uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};

    (void)state;
    ro.num_modify = 0;
    wo.num_read = 0;
    other.read_ids[0] = OWNER_A; /* may read A's id, not its own */
    other.modify_ids[0] = OWNER_A;
    r = fk_spawn(SLOT_A, &ro);
    w = fk_spawn(SLOT_B, &wo);
    o = fk_spawn(SLOT_C, &other);
    fk_allow_ro(r, 0, buf, sizeof(buf));
    fk_allow_rw(w, 0, buf, sizeof(buf));
    expect_sync(r, NVS_CMD_WRITE, 0, 0, TOCK_ENOSUPPORT);
    expect_sync(w, NVS_CMD_READ, 0, 0, TOCK_ENOSUPPORT);
    expect_sync(o, NVS_CMD_READ, 0, 0, TOCK_ENOSUPPORT);
    expect_sync(o, NVS_CMD_WRITE, 0, 0, TOCK_ENOSUPPORT);
    /* get-size needs only the write id; the allowed operations work. */
    assert_int_equal(get_size(r), REGION_SIZE);
    assert_int_equal(get_size(o), REGION_SIZE);
    read_at(r, 0, buf, sizeof(buf), TOCK_SUCCESS);
    write_at(w, 0, buf, sizeof(buf), TOCK_SUCCESS);
}

static void test_busy_while_pending(void **state)
{
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    struct syscall_ret r;

    (void)state;
    r = nh_cmd(a, NVS_CMD_GET_SIZE, 0, 0);
    assert_int_equal(r.variant, RET_SUCCESS);
    r = nh_cmd(a, NVS_CMD_READ, 0, 0);
    assert_int_equal(r.variant, RET_FAILURE);
    assert_int_equal(r.r1, TOCK_EBUSY);
    r = nh_cmd(a, NVS_CMD_GET_SIZE, 0, 0);
    assert_int_equal(r.r1, TOCK_EBUSY);
    nh_run();
    assert_int_equal(fk_upcall_count(), 1); /* only the accepted one */
    assert_int_equal(get_size(a), REGION_SIZE);
}

static void test_no_grant_memory_is_nomem(void **state)
{
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);

    (void)state;
    fk_set_ram_limit(a, 0);
    expect_sync(a, NVS_CMD_GET_SIZE, 0, 0, TOCK_ENOMEM);
}

/* ---- allocation -------------------------------------------------------- */

static void test_get_size_allocates_once(void **state)
{
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    struct table_entry t[4];
    struct nvr_record h;
    uint32_t reads, i;

    (void)state;
    /* Old bytes where the region will go must not show through. */
    memset(nh_mem + AREA_START + AREA_LEN - REGION_SIZE, OLD_BYTE, REGION_SIZE);
    assert_int_equal(get_size(a), REGION_SIZE);
    assert_int_equal(walk_table(t, 4, false), 1);
    assert_int_equal(t[0].slot, AREA_START);
    assert_int_equal(t[0].owner, OWNER_A);
    assert_int_equal(t[0].len, REGION_SIZE);
    assert_int_equal(t[0].data, AREA_START + AREA_LEN - REGION_SIZE); /* data from the top */
    assert_true(nvr_decode(nh_mem + AREA_START, &h));
    assert_true(nvr_decode(nh_mem + AREA_START + NVR_REC_SIZE, &h));
    for (i = 0; i < REGION_SIZE; i++)
        assert_int_equal(nh_mem[t[0].data + i], NVR_CLEAR_BYTE);
    /* Cached in the grant: the second get-size touches no device. */
    reads = nh_dev.reads;
    assert_int_equal(get_size(a), REGION_SIZE);
    assert_int_equal(nh_dev.reads, reads);
    assert_int_equal(walk_table(t, 4, false), 1);
}

static void test_read_and_write_allocate_too(void **state)
{
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    proc_id_t b = spawn_owner(SLOT_B, OWNER_B);
    uint8_t buf[16];
    struct table_entry t[4];

    (void)state;
    memset(buf, 0x77, sizeof(buf));
    read_at(a, 0, buf, sizeof(buf), TOCK_SUCCESS);
    assert_int_equal(buf[0], 0);
    assert_int_equal(buf[sizeof(buf) - 1], 0);
    write_at(b, 5, buf, sizeof(buf), TOCK_SUCCESS);
    assert_int_equal(walk_table(t, 4, false), 2);
    assert_int_equal(t[0].owner, OWNER_A);
    assert_int_equal(t[1].owner, OWNER_B);
    assert_int_equal(t[1].slot, t[0].slot + NVR_POS_SIZE);
    assert_int_equal(t[1].data + t[1].len, t[0].data); /* data grows down */
}

static void test_size_override(void **state)
{
    static const struct nvs_size_override ov[] = {{OWNER_B, 100}, {OWNER_C, 3000}};
    proc_id_t a, b, c;

    (void)state;
    cfg.overrides = ov;
    cfg.num_overrides = 2;
    nh_boot(&cfg, NH_FRAM_SIZE);
    a = spawn_owner(SLOT_A, OWNER_A);
    b = spawn_owner(SLOT_B, OWNER_B);
    c = spawn_owner(SLOT_C, OWNER_C);
    assert_int_equal(get_size(b), 100);
    assert_int_equal(get_size(a), REGION_SIZE);
    assert_int_equal(get_size(c), 3000);
}

static void test_full_area_is_nomem_and_last_region_ends_at_area_end(void **state)
{
    proc_id_t a, b, c;
    uint8_t buf[4] = {9, 9, 9, 9};
    struct table_entry t[4];

    (void)state;
    cfg.area_len = NVR_AREA_FOR(2, REGION_SIZE);  /* exactly two regions */
    cfg.area_start = NH_FRAM_SIZE - cfg.area_len; /* ending at the device end */
    nh_boot(&cfg, NH_FRAM_SIZE);
    a = spawn_owner(SLOT_A, OWNER_A);
    b = spawn_owner(SLOT_B, OWNER_B);
    c = spawn_owner(SLOT_C, OWNER_C);
    assert_int_equal(get_size(a), REGION_SIZE);
    assert_int_equal(get_size(b), REGION_SIZE);
    memcpy(before, nh_mem, sizeof(before));
    expect_async(c, NVS_CMD_GET_SIZE, 0, 0, TOCK_ENOMEM);
    fk_allow_rw(c, 0, buf, sizeof(buf));
    expect_async(c, NVS_CMD_READ, 0, 0, TOCK_ENOMEM);
    fk_allow_ro(c, 0, buf, sizeof(buf));
    expect_async(c, NVS_CMD_WRITE, 0, 0, TOCK_ENOMEM);
    assert_memory_equal(before, nh_mem, sizeof(before));
    /* a's last byte is the device's last byte, and it is writable. */
    write_at(a, REGION_SIZE - sizeof(buf), buf, sizeof(buf), TOCK_SUCCESS);
    assert_memory_equal(nh_mem + NH_FRAM_SIZE - sizeof(buf), buf, sizeof(buf));
    assert_int_equal(walk_table(t, 4, false), 2);
    assert_int_equal(t[0].data + t[0].len, NH_FRAM_SIZE);
    /* b's region starts right above the directory room it needs. */
    assert_int_equal(t[1].data, cfg.area_start + 4 * NVR_POS_SIZE);
}

static void test_room_left_smaller_than_region_is_nomem(void **state)
{
    proc_id_t a, b;

    (void)state;
    cfg.area_len = NVR_AREA_FOR(2, REGION_SIZE) - 1;
    nh_boot(&cfg, NH_FRAM_SIZE);
    a = spawn_owner(SLOT_A, OWNER_A);
    b = spawn_owner(SLOT_B, OWNER_B);
    assert_int_equal(get_size(a), REGION_SIZE);
    memcpy(before, nh_mem, sizeof(before));
    expect_async(b, NVS_CMD_GET_SIZE, 0, 0, TOCK_ENOMEM);
    assert_memory_equal(before, nh_mem, sizeof(before));
}

/* ---- reads, writes, offsets -------------------------------------------- */

static void test_reserve_without_buffer(void **state)
{
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    uint8_t buf[4];

    (void)state;
    expect_async(a, NVS_CMD_READ, 0, 0, TOCK_ERESERVE);
    expect_async(a, NVS_CMD_WRITE, 0, 0, TOCK_ERESERVE);
    fk_allow_rw(a, 0, buf, 0);
    fk_allow_ro(a, 0, buf, 0);
    expect_async(a, NVS_CMD_READ, 0, 0, TOCK_ERESERVE);
    expect_async(a, NVS_CMD_WRITE, 0, 0, TOCK_ERESERVE);
    /* The read-only buffer does not serve reads, nor the reverse. */
    fk_allow_ro(a, 0, buf, sizeof(buf));
    expect_async(a, NVS_CMD_READ, 0, 0, TOCK_ERESERVE);
    /* The spec says these commands allocate: the region exists now. */
    assert_int_equal(walk_table(NULL, 0, false), 1);
}

static void test_offsets_outside_region_are_inval(void **state)
{
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    uint8_t buf[16];
    uint8_t one = 0x5A;

    (void)state;
    memset(buf, 0xC3, sizeof(buf));
    assert_int_equal(get_size(a), REGION_SIZE);
    memcpy(before, nh_mem, sizeof(before));
    fk_allow_ro(a, 0, buf, sizeof(buf));
    fk_allow_rw(a, 0, buf, sizeof(buf));
    /* Ends one byte past the region: INVAL, nothing written. */
    expect_async(a, NVS_CMD_WRITE, REGION_SIZE - sizeof(buf) + 1, 0, TOCK_EINVAL);
    expect_async(a, NVS_CMD_READ, REGION_SIZE - sizeof(buf) + 1, 0, TOCK_EINVAL);
    expect_async(a, NVS_CMD_WRITE, REGION_SIZE, 0, TOCK_EINVAL);
    expect_async(a, NVS_CMD_WRITE, 0xFFFFFFFFu, 0, TOCK_EINVAL); /* wraps in 32 bits */
    expect_async(a, NVS_CMD_WRITE, 0xFFFFFFF8u, 0, TOCK_EINVAL);
    expect_async(a, NVS_CMD_WRITE, 0, 1, TOCK_EINVAL); /* upper offset word */
    expect_async(a, NVS_CMD_READ, 0, 0x80000000u, TOCK_EINVAL);
    assert_memory_equal(before, nh_mem, sizeof(before));
    /* A region larger than the buffer: exact fits at both ends succeed. */
    write_at(a, REGION_SIZE - sizeof(buf), buf, sizeof(buf), TOCK_SUCCESS);
    fk_allow_ro(a, 0, &one, 1);
    expect_async(a, NVS_CMD_WRITE, REGION_SIZE - 1, 0, TOCK_SUCCESS);
    expect_async(a, NVS_CMD_WRITE, 0, 0, TOCK_SUCCESS);
}

static void test_buffer_larger_than_region_is_inval(void **state)
{
    static uint8_t big[REGION_SIZE + 1];
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);

    (void)state;
    assert_int_equal(get_size(a), REGION_SIZE);
    memcpy(before, nh_mem, sizeof(before));
    memset(big, 0xEE, sizeof(big));
    write_at(a, 0, big, sizeof(big), TOCK_EINVAL);
    read_at(a, 0, big, sizeof(big), TOCK_EINVAL);
    assert_memory_equal(before, nh_mem, sizeof(before));
    assert_int_equal(big[0], 0xEE);
}

static void test_any_length_round_trips(void **state)
{
    static const uint32_t lens[] = {1, 2, 255, 256, 257, 511, 512, 513, 1000, REGION_SIZE};
    static const uint32_t offs[] = {0, 1, 3, 24};
    static uint8_t out[REGION_SIZE], in[REGION_SIZE];
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    size_t i, j;

    (void)state;
    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        for (j = 0; j < sizeof(offs) / sizeof(offs[0]); j++) {
            uint32_t len = lens[i], off = offs[j];

            if (off + len > REGION_SIZE)
                continue;
            fill_pattern(out, len, (uint32_t)(i * 10 + j));
            memset(in, 0, sizeof(in));
            write_at(a, off, out, len, TOCK_SUCCESS);
            read_at(a, off, in, len, TOCK_SUCCESS);
            assert_memory_equal(in, out, len);
        }
    }
}

static void test_4k_round_trip_in_one_command(void **state)
{
    static uint8_t out[BIG], in[BIG];
    proc_id_t a;
    uint32_t writes;

    (void)state;
    cfg.region_size = BIG;
    nh_boot(&cfg, NH_FRAM_SIZE);
    a = spawn_owner(SLOT_A, OWNER_A);
    assert_int_equal(get_size(a), BIG);
    fill_pattern(out, BIG, 42);
    writes = nh_dev.writes;
    write_at(a, 0, out, BIG, TOCK_SUCCESS);
    /* Moved through the bounce buffer: one device write per chunk. */
    assert_int_equal(nh_dev.writes - writes, BIG / NVS_BOUNCE_SIZE);
    read_at(a, 0, in, BIG, TOCK_SUCCESS);
    assert_memory_equal(in, out, BIG);
}

static void test_writes_stay_inside_region(void **state)
{
    static uint8_t out[REGION_SIZE];
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    proc_id_t b = spawn_owner(SLOT_B, OWNER_B);
    struct table_entry t[2];
    size_t i;

    (void)state;
    assert_int_equal(get_size(a), REGION_SIZE);
    assert_int_equal(get_size(b), REGION_SIZE);
    memcpy(before, nh_mem, sizeof(before));
    memset(out, 0xFF, sizeof(out));
    write_at(a, 0, out, REGION_SIZE, TOCK_SUCCESS);
    assert_int_equal(walk_table(t, 2, false), 2);
    for (i = 0; i < NH_FRAM_SIZE; i++) {
        bool inside = i >= t[0].data && i < t[0].data + t[0].len;

        if (!inside)
            assert_int_equal(nh_mem[i], before[i]);
        else
            assert_int_equal(nh_mem[i], 0xFF);
    }
}

/* ---- reboot ------------------------------------------------------------ */

static void test_regions_found_again_after_reboot(void **state)
{
    static uint8_t out_a[300], out_b[700], in[700];
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    proc_id_t b = spawn_owner(SLOT_B, OWNER_B);
    proc_id_t c;

    (void)state;
    fill_pattern(out_a, sizeof(out_a), 1);
    fill_pattern(out_b, sizeof(out_b), 2);
    write_at(a, 10, out_a, sizeof(out_a), TOCK_SUCCESS);
    write_at(b, 0, out_b, sizeof(out_b), TOCK_SUCCESS);
    reboot();
    assert_int_equal(nh_cap.boot.regions, 2);
    assert_false(nh_cap.boot.corrupt);
    /* Different slots and order this time. */
    b = spawn_owner(SLOT_A, OWNER_B);
    a = spawn_owner(SLOT_C, OWNER_A);
    c = spawn_owner(SLOT_D, OWNER_C);
    read_at(b, 0, in, sizeof(out_b), TOCK_SUCCESS);
    assert_memory_equal(in, out_b, sizeof(out_b));
    read_at(a, 10, in, sizeof(out_a), TOCK_SUCCESS);
    assert_memory_equal(in, out_a, sizeof(out_a));
    assert_int_equal(get_size(c), REGION_SIZE);
    assert_int_equal(walk_table(NULL, 0, false), 3);
}

static void test_restarted_process_finds_its_region(void **state)
{
    uint8_t out[8] = {1, 2, 3, 4, 5, 6, 7, 8}, in[8];
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);

    (void)state;
    write_at(a, 0, out, sizeof(out), TOCK_SUCCESS);
    a = fk_restart(a);
    read_at(a, 0, in, sizeof(in), TOCK_SUCCESS);
    assert_memory_equal(in, out, sizeof(out));
    assert_int_equal(walk_table(NULL, 0, false), 1);
}

/* ---- fairness ---------------------------------------------------------- */

static void test_two_apps_served_in_arrival_order(void **state)
{
    static uint8_t out_a[600], out_b[600], in_a[600], in_b[600];
    proc_id_t b = spawn_owner(SLOT_A, OWNER_B); /* lower slot, asks second */
    proc_id_t a = spawn_owner(SLOT_B, OWNER_A);
    const struct fk_upcall *u0, *u1;

    (void)state;
    fill_pattern(out_a, sizeof(out_a), 5);
    fill_pattern(out_b, sizeof(out_b), 6);
    fk_allow_ro(a, 0, out_a, sizeof(out_a));
    fk_allow_ro(b, 0, out_b, sizeof(out_b));
    fk_allow_rw(a, 0, in_a, sizeof(in_a));
    fk_allow_rw(b, 0, in_b, sizeof(in_b));
    assert_int_equal(nh_cmd(a, NVS_CMD_WRITE, 0, 0).variant, RET_SUCCESS);
    assert_int_equal(nh_cmd(b, NVS_CMD_WRITE, 0, 0).variant, RET_SUCCESS);
    nh_run();
    assert_int_equal(fk_upcall_count(), 2);
    u0 = fk_upcall_at(0);
    u1 = fk_upcall_at(1);
    assert_int_equal(u0->pid, a);
    assert_int_equal(u1->pid, b);
    assert_int_equal(u0->a0, TOCK_SUCCESS);
    assert_int_equal(u1->a0, TOCK_SUCCESS);
    /* a asked first, so a owns the first region. */
    {
        struct table_entry t[2];

        assert_int_equal(walk_table(t, 2, false), 2);
        assert_int_equal(t[0].owner, OWNER_A);
    }
    /* Interleave: b reads while a's read is queued behind it. */
    while (fk_upcall_count() > 0) {
        struct fk_upcall up;

        assert_true(fk_upcall_take(fk_upcall_at(0)->pid, &up));
    }
    assert_int_equal(nh_cmd(b, NVS_CMD_READ, 0, 0).variant, RET_SUCCESS);
    assert_int_equal(nh_cmd(a, NVS_CMD_READ, 0, 0).variant, RET_SUCCESS);
    nh_run();
    assert_int_equal(fk_upcall_at(0)->pid, b);
    assert_int_equal(fk_upcall_at(1)->pid, a);
    assert_memory_equal(in_a, out_a, sizeof(out_a));
    assert_memory_equal(in_b, out_b, sizeof(out_b));
}

/* Step deferred calls until the capsule has moved some bytes of a transfer. */
static void run_until_first_chunk(enum nvs_phase phase)
{
    int guard = 0;

    while (!(nh_cap.phase == phase && nh_cap.done > 0)) {
        assert_true(deferred_any_pending());
        deferred_run();
        assert_true(++guard < 1000);
    }
}

static void test_reallow_mid_write_cancels(void **state)
{
    static uint8_t out[1000], other[1000];
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    struct table_entry t[1];
    struct fk_upcall up;
    uint32_t i;

    (void)state;
    assert_int_equal(get_size(a), REGION_SIZE);
    memset(out, 0x42, sizeof(out));
    memset(other, 0x99, sizeof(other));
    fk_allow_ro(a, 0, out, sizeof(out));
    assert_int_equal(nh_cmd(a, NVS_CMD_WRITE, 0, 0).variant, RET_SUCCESS);
    run_until_first_chunk(NVS_XFER_WRITE);
    fk_allow_ro(a, 0, other, sizeof(other)); /* same length, new pointer */
    nh_run();
    assert_true(fk_upcall_take(a, &up));
    assert_int_equal(up.num, NVS_UPCALL_WRITE);
    assert_int_equal(up.a0, TOCK_ECANCEL);
    assert_true(up.a1 > 0 && up.a1 < sizeof(out));
    assert_int_equal(up.a1 % NVS_BOUNCE_SIZE, 0);
    walk_table(t, 1, false);
    for (i = 0; i < REGION_SIZE; i++)
        assert_int_equal(nh_mem[t[0].data + i], i < up.a1 ? 0x42 : 0x00);
    /* The capsule is free again. */
    assert_int_equal(get_size(a), REGION_SIZE);
}

static void test_reallow_shorter_mid_read_cancels(void **state)
{
    static uint8_t in[1000];
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    struct fk_upcall up;
    uint32_t i;

    (void)state;
    assert_int_equal(get_size(a), REGION_SIZE);
    memset(in, 0x99, sizeof(in));
    fk_allow_rw(a, 0, in, sizeof(in));
    assert_int_equal(nh_cmd(a, NVS_CMD_READ, 0, 0).variant, RET_SUCCESS);
    run_until_first_chunk(NVS_XFER_READ);
    fk_allow_rw(a, 0, in, 10); /* same pointer, shorter */
    nh_run();
    assert_true(fk_upcall_take(a, &up));
    assert_int_equal(up.a0, TOCK_ECANCEL);
    for (i = up.a1; i < sizeof(in); i++)
        assert_int_equal(in[i], 0x99); /* nothing past what was reported */
}

static void test_exit_mid_operation_drops_it_and_serves_next(void **state)
{
    static uint8_t out[1000];
    uint8_t in[4];
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    proc_id_t b = spawn_owner(SLOT_B, OWNER_B);
    struct fk_upcall up;
    uint32_t upcalls_before;

    (void)state;
    assert_int_equal(get_size(a), REGION_SIZE);
    memset(out, 0x42, sizeof(out));
    fk_allow_ro(a, 0, out, sizeof(out));
    fk_allow_rw(b, 0, in, sizeof(in));
    assert_int_equal(nh_cmd(a, NVS_CMD_WRITE, 0, 0).variant, RET_SUCCESS);
    assert_int_equal(nh_cmd(b, NVS_CMD_READ, 0, 0).variant, RET_SUCCESS);
    run_until_first_chunk(NVS_XFER_WRITE);
    upcalls_before = fk_upcalls_dropped();
    fk_kill(a);
    nh_run();
    assert_false(fk_upcall_take(a, &up));
    assert_int_equal(fk_upcalls_dropped(), upcalls_before); /* none even tried */
    assert_true(fk_upcall_take(b, &up));
    assert_int_equal(up.a0, TOCK_SUCCESS);
    assert_int_equal(nh_cap.phase, NVS_IDLE);
    /* a restarted in the same slot starts afresh (stale id, new grant). */
    a = spawn_owner(SLOT_A, OWNER_A);
    assert_int_equal(get_size(a), REGION_SIZE);
}

static void test_exit_during_allocation_keeps_table_sound(void **state)
{
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    proc_id_t b = spawn_owner(SLOT_B, OWNER_B);
    struct fk_upcall up;

    (void)state;
    assert_int_equal(nh_cmd(a, NVS_CMD_GET_SIZE, 0, 0).variant, RET_SUCCESS);
    while (nh_cap.phase != NVS_CLEAR)
        deferred_run();
    fk_kill(a);
    nh_run();
    assert_false(fk_upcall_take(a, &up));
    assert_int_equal(get_size(b), REGION_SIZE);
    a = spawn_owner(SLOT_A, OWNER_A);
    assert_int_equal(get_size(a), REGION_SIZE);
    assert_int_equal(walk_table(NULL, 0, false), 2);
}

/* ---- cost: FRAM accesses after the boot scan --------------------------- */

/* Seven regions, then a reboot: finding the 7th reads one record, refusing
 * and allocating read none (the index and the END are in RAM). */
static void test_lookup_reads_one_record_refusal_and_allocation_read_none(void **state)
{
    static const uint32_t owners[7] = {0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76};
    proc_id_t p;
    uint32_t reads;
    unsigned i;

    (void)state;
    cfg.area_len = NVR_AREA_FOR(8, REGION_SIZE);
    nh_boot(&cfg, NH_FRAM_SIZE);
    for (i = 0; i < 7; i++) {
        p = spawn_owner(i % FK_MAX_PROCS, owners[i]);
        reads = nh_dev.reads;
        assert_int_equal(get_size(p), REGION_SIZE); /* allocation */
        assert_int_equal(nh_dev.reads, reads);
        if (i % FK_MAX_PROCS == FK_MAX_PROCS - 1)
            fk_reset();
    }
    reboot();
    assert_int_equal(nh_cap.boot.regions, 7);
    p = spawn_owner(SLOT_A, owners[6]);
    reads = nh_dev.reads;
    assert_int_equal(get_size(p), REGION_SIZE);
    assert_int_equal(nh_dev.reads - reads, 1);
    p = spawn_owner(SLOT_B, OWNER_B); /* the 8th fits: no read */
    reads = nh_dev.reads;
    assert_int_equal(get_size(p), REGION_SIZE);
    assert_int_equal(nh_dev.reads, reads);
    p = spawn_owner(SLOT_C, OWNER_C); /* the 9th does not: no read either */
    reads = nh_dev.reads;
    expect_async(p, NVS_CMD_GET_SIZE, 0, 0, TOCK_ENOMEM);
    expect_async(p, NVS_CMD_GET_SIZE, 0, 0, TOCK_ENOMEM); /* and again */
    assert_int_equal(nh_dev.reads, reads);
}

/* Past NVS_INDEX_MAX positions, an owner not in the index is looked for by
 * reading the positions past it, one read each. */
static void test_lookup_past_the_index_reads_the_positions_past_it(void **state)
{
    const uint32_t n = NVS_INDEX_MAX + 3, small = 16;
    proc_id_t p;
    uint32_t reads, i;

    (void)state;
    cfg.region_size = small;
    cfg.area_len = NVR_AREA_FOR(n + 1, small);
    nh_boot(&cfg, NH_FRAM_SIZE);
    for (i = 0; i < n; i++) {
        p = spawn_owner(SLOT_A, 0x100 + i);
        assert_int_equal(get_size(p), small);
    }
    reboot();
    p = spawn_owner(SLOT_A, 0x100 + n - 1); /* the last, at position n - 1 */
    reads = nh_dev.reads;
    assert_int_equal(get_size(p), small);
    assert_int_equal(nh_dev.reads - reads, n - NVS_INDEX_MAX);
    p = spawn_owner(SLOT_B, 0x100 + 2); /* in the index: one read */
    reads = nh_dev.reads;
    assert_int_equal(get_size(p), small);
    assert_int_equal(nh_dev.reads - reads, 1);
    p = spawn_owner(SLOT_C, OWNER_C); /* new: the positions past the index */
    reads = nh_dev.reads;
    assert_int_equal(get_size(p), small);
    assert_int_equal(nh_dev.reads - reads, n - NVS_INDEX_MAX);
}

/* The request queue drops the ids of processes that died while waiting:
 * more deaths than the queue holds never lock the driver. */
static void test_queue_drops_dead_waiters(void **state)
{
    static uint8_t out[REGION_SIZE];
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A), b, c;
    struct fk_upcall up;
    unsigned i;

    (void)state;
    assert_int_equal(get_size(a), REGION_SIZE);
    fk_allow_ro(a, NVS_ALLOW_RO_WRITE, out, sizeof(out));
    assert_int_equal(nh_cmd(a, NVS_CMD_WRITE, 0, 0).variant, RET_SUCCESS);
    run_until_first_chunk(NVS_XFER_WRITE); /* a's write is being served */
    for (i = 0; i < 2 * NVS_QUEUE_MAX; i++) {
        b = spawn_owner(SLOT_B, OWNER_B);
        assert_int_equal(nh_cmd(b, NVS_CMD_GET_SIZE, 0, 0).variant, RET_SUCCESS);
        fk_kill(b);
    }
    c = spawn_owner(SLOT_C, OWNER_C);
    assert_int_equal(nh_cmd(c, NVS_CMD_GET_SIZE, 0, 0).variant, RET_SUCCESS);
    nh_run();
    assert_true(fk_upcall_take(a, &up));
    assert_int_equal(up.a0, TOCK_SUCCESS);
    assert_true(fk_upcall_take(c, &up));
    assert_int_equal(up.a0, TOCK_SUCCESS);
    assert_int_equal(walk_table(NULL, 0, false), 2); /* the dead never allocated */
}

/* ---- device errors ----------------------------------------------------- */

static void test_device_absent_fails_every_request(void **state)
{
    proc_id_t a;
    uint8_t buf[4];

    (void)state;
    nh_boot(&cfg, 0);
    a = spawn_owner(SLOT_A, OWNER_A);
    fk_allow_rw(a, 0, buf, sizeof(buf));
    fk_allow_ro(a, 0, buf, sizeof(buf));
    expect_async(a, NVS_CMD_GET_SIZE, 0, 0, TOCK_EFAIL);
    expect_async(a, NVS_CMD_READ, 0, 0, TOCK_EFAIL);
    expect_async(a, NVS_CMD_WRITE, 0, 0, TOCK_EFAIL);
}

static void test_area_outside_device_fails(void **state)
{
    proc_id_t a;

    (void)state;
    cfg.area_start = NH_FRAM_SIZE - 100;
    nh_boot(&cfg, NH_FRAM_SIZE);
    a = spawn_owner(SLOT_A, OWNER_A);
    memcpy(before, nh_mem, sizeof(before));
    expect_async(a, NVS_CMD_GET_SIZE, 0, 0, TOCK_EFAIL);
    assert_memory_equal(before, nh_mem, sizeof(before));
}

static void test_device_error_at_each_op_of_first_write(void **state)
{
    static uint8_t out[600];
    uint32_t nth, st, clears, mirror, last;
    proc_id_t a;

    (void)state;
    /* First write = data clears, the cleared position, region primary and
     * secondary, END primary and secondary, then the data chunks. No read:
     * the index says the owner has no region. After the region primary, a
     * failed record write leaves the region live (repaired at boot). */
    clears = (REGION_SIZE + NVS_BOUNCE_SIZE - 1) / NVS_BOUNCE_SIZE + 1;
    mirror = clears + 4;
    last = mirror + (sizeof(out) + NVS_BOUNCE_SIZE - 1) / NVS_BOUNCE_SIZE;
    for (nth = 1; nth <= last + 1; nth++) {
        memset(nh_mem, 0, sizeof(nh_mem));
        fk_reset();
        nh_boot(&cfg, NH_FRAM_SIZE);
        a = spawn_owner(SLOT_A, OWNER_A);
        ram_fram_fail_op(&nh_dev.rf, nth);
        fill_pattern(out, sizeof(out), nth);
        fk_allow_ro(a, 0, out, sizeof(out));
        st = (nth > clears + 1 && nth <= mirror) || nth > last ? TOCK_SUCCESS : TOCK_EFAIL;
        expect_async(a, NVS_CMD_WRITE, 0, 0, st);
        /* Whatever failed, the table is sound after a reboot and the app
         * can use its region. */
        reboot();
        walk_table(NULL, 0, false);
        a = spawn_owner(SLOT_A, OWNER_A);
        assert_int_equal(get_size(a), REGION_SIZE);
        assert_int_equal(walk_table(NULL, 0, false), 1);
    }
}

/* ---- crash safety ------------------------------------------------------ */

/* Lay out the "before" state of the power-cut test: A's region with data;
 * where B's region will go, old bytes; and at the directory position B's
 * allocation must clear (after its new END), a stale but valid record of
 * owner C pointing at old bytes (left by an earlier table). */
static void stale_layout(void)
{
    static uint8_t out[REGION_SIZE];
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    struct nvr_area ar = area_of_cfg();
    struct nvr_record stale = {NVR_KIND_REGION, OWNER_C, ar.end - 3 * REGION_SIZE, REGION_SIZE};
    uint32_t pos3 = nvr_pos_addr(&ar, 3);

    memset(out, 0x11, sizeof(out));
    write_at(a, 0, out, sizeof(out), TOCK_SUCCESS);
    memset(nh_mem + ar.end - 3 * REGION_SIZE, OLD_BYTE, 2 * REGION_SIZE);
    nvr_encode(nh_mem + pos3, &stale);
    nvr_encode(nh_mem + pos3 + NVR_REC_SIZE, &stale);
    fk_reset();
}

static void check_after_cut(void)
{
    static uint8_t in[REGION_SIZE];
    proc_id_t a, b, c;
    struct table_entry t[4];
    unsigned n, i;

    reboot();
    assert_false(nh_cap.boot.corrupt);
    assert_int_equal(nh_cap.boot.damaged, 0);
    n = walk_table(t, 4, false);
    assert_true(n == 1 || n == 2);
    for (i = 0; i < n; i++) {
        /* The boot scan left both copies of every record valid. */
        struct nvr_record h;

        assert_true(nvr_decode(nh_mem + t[i].slot, &h));
        assert_true(nvr_decode(nh_mem + t[i].slot + NVR_REC_SIZE, &h));
    }
    a = spawn_owner(SLOT_A, OWNER_A);
    b = spawn_owner(SLOT_B, OWNER_B);
    c = spawn_owner(SLOT_C, OWNER_C);
    read_at(a, 0, in, REGION_SIZE, TOCK_SUCCESS); /* no region lost */
    for (i = 0; i < REGION_SIZE; i++)
        assert_int_equal(in[i], 0x11);
    read_at(b, 0, in, REGION_SIZE, TOCK_SUCCESS); /* never old bytes */
    for (i = 0; i < REGION_SIZE; i++)
        assert_int_equal(in[i], 0);
    read_at(c, 0, in, REGION_SIZE, TOCK_SUCCESS); /* the stale record is gone */
    for (i = 0; i < REGION_SIZE; i++)
        assert_int_equal(in[i], 0);
    n = walk_table(t, 4, false);
    assert_int_equal(n, 3);
    assert_int_equal(t[0].owner, OWNER_A);
    for (i = 1; i < n; i++)
        assert_true(t[i].data + t[i].len <= t[i - 1].data); /* no overlap */
}

static void test_power_cut_at_every_byte_of_allocation(void **state)
{
    static uint8_t snapshot[NH_FRAM_SIZE];
    uint64_t total, k;
    proc_id_t b;
    struct fk_upcall up;
    uint32_t err;

    (void)state;
    stale_layout();
    memcpy(snapshot, nh_mem, sizeof(snapshot));
    /* Dry run: how many bytes does allocating B's region write? */
    nh_boot(&cfg, NH_FRAM_SIZE);
    b = spawn_owner(SLOT_B, OWNER_B);
    assert_int_equal(get_size(b), REGION_SIZE);
    total = nh_dev.written;
    assert_int_equal(total, REGION_SIZE + NVR_POS_SIZE + 2 * NVR_POS_SIZE);
    for (k = 0; k <= total; k++) {
        memcpy(nh_mem, snapshot, sizeof(snapshot));
        fk_reset();
        nh_boot(&cfg, NH_FRAM_SIZE);
        b = spawn_owner(SLOT_B, OWNER_B);
        nh_dev.cut_at = (long)k;
        assert_true(nh_call(b, NVS_CMD_GET_SIZE, 0, 0, &err, &up));
        /* Once the region's primary record is whole the region is live; a
         * missing copy or END is left to the next boot's repair. */
        assert_int_equal(up.a0,
                         k >= total - NVR_POS_SIZE - NVR_REC_SIZE ? TOCK_SUCCESS : TOCK_EFAIL);
        check_after_cut();
    }
    printf("power cuts injected: %llu (every byte of a %llu-byte allocation)\n",
           (unsigned long long)(total + 1), (unsigned long long)total);
}

static void test_power_cut_during_boot_repair(void **state)
{
    static uint8_t snapshot[NH_FRAM_SIZE];
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    uint8_t out[4] = {1, 2, 3, 4}, in[4];
    long k;

    (void)state;
    write_at(a, 0, out, sizeof(out), TOCK_SUCCESS);
    memset(nh_mem + AREA_START + NVR_REC_SIZE, 0, NVR_REC_SIZE); /* mirror never written */
    memcpy(snapshot, nh_mem, sizeof(snapshot));
    for (k = 0; k <= NVR_REC_SIZE; k++) {
        memcpy(nh_mem, snapshot, sizeof(snapshot));
        fk_reset();
        nh_boot_with_cut(&cfg, NH_FRAM_SIZE, k); /* the repair is the only write */
        assert_int_equal(nh_cap.boot.repaired, k == NVR_REC_SIZE ? 1 : 0);
        reboot();
        a = spawn_owner(SLOT_A, OWNER_A);
        read_at(a, 0, in, sizeof(in), TOCK_SUCCESS);
        assert_memory_equal(in, out, sizeof(out));
        assert_int_equal(walk_table(NULL, 0, false), 1);
    }
}

/* ---- damaged tables ---------------------------------------------------- */

/* Three regions A, B, C with data; returns their table. */
static void three_regions(struct table_entry t[3])
{
    static uint8_t out[REGION_SIZE];
    proc_id_t p;
    uint32_t owners[3] = {OWNER_A, OWNER_B, OWNER_C};
    unsigned i;

    for (i = 0; i < 3; i++) {
        p = spawn_owner(i, owners[i]);
        memset(out, (int)(0x10 * (i + 1)), sizeof(out));
        write_at(p, 0, out, sizeof(out), TOCK_SUCCESS);
    }
    assert_int_equal(walk_table(t, 3, false), 3);
    fk_reset();
}

static void garble_record(uint32_t addr)
{
    nh_mem[addr + NVR_OFF_OWNER] ^= 0x5A;
}

static void expect_region_data(uint32_t slot, uint32_t owner, uint8_t value)
{
    static uint8_t in[REGION_SIZE];
    proc_id_t p = spawn_owner(slot, owner);
    uint32_t i;

    read_at(p, 0, in, REGION_SIZE, TOCK_SUCCESS);
    for (i = 0; i < REGION_SIZE; i++)
        assert_int_equal(in[i], value);
}

/* D allocates after damage: its region lies below every region that was
 * live (it never takes a damaged region's space), and reads zero. */
static void expect_new_region_below(const struct table_entry *t, unsigned n)
{
    proc_id_t d = spawn_owner(SLOT_D, OWNER_D);
    unsigned i;

    assert_int_equal(get_size(d), REGION_SIZE);
    for (i = 0; i < n; i++)
        assert_true(nh_cap.reg_data + nh_cap.reg_len <= t[i].data);
    expect_region_data(SLOT_D, OWNER_D, 0);
}

static void test_damaged_middle_record_keeps_the_others(void **state)
{
    struct table_entry t[3];

    (void)state;
    three_regions(t);
    garble_record(t[1].slot);
    garble_record(t[1].slot + NVR_REC_SIZE);
    reboot();
    assert_false(nh_cap.boot.corrupt);
    assert_int_equal(nh_cap.boot.damaged, 1);
    assert_int_equal(nh_cap.boot.regions, 2);
    memcpy(before, nh_mem, sizeof(before));
    expect_region_data(SLOT_A, OWNER_A, 0x10);
    expect_region_data(SLOT_C, OWNER_C, 0x30); /* behind the damage: still there */
    expect_new_region_below(t, 3);
    /* B's old data was never written over. */
    assert_memory_equal(before + t[1].data, nh_mem + t[1].data, t[1].len);
}

static void test_damaged_first_record_keeps_the_others(void **state)
{
    struct table_entry t[3];

    (void)state;
    three_regions(t);
    garble_record(t[0].slot);
    garble_record(t[0].slot + NVR_REC_SIZE);
    reboot();
    assert_int_equal(nh_cap.boot.damaged, 1);
    assert_int_equal(nh_cap.boot.regions, 2);
    memcpy(before, nh_mem, sizeof(before));
    expect_region_data(SLOT_B, OWNER_B, 0x20);
    expect_region_data(SLOT_C, OWNER_C, 0x30);
    expect_new_region_below(t, 3);
    assert_memory_equal(before + t[0].data, nh_mem + t[0].data, t[0].len);
}

static void test_damaged_last_record_is_never_allocated_over(void **state)
{
    struct table_entry t[3];

    (void)state;
    three_regions(t);
    garble_record(t[2].slot);
    garble_record(t[2].slot + NVR_REC_SIZE);
    reboot();
    assert_int_equal(nh_cap.boot.damaged, 1);
    assert_int_equal(nh_cap.boot.regions, 2);
    memcpy(before, nh_mem, sizeof(before));
    expect_region_data(SLOT_A, OWNER_A, 0x10);
    expect_region_data(SLOT_B, OWNER_B, 0x20);
    expect_new_region_below(t, 3); /* the END kept C's space */
    assert_memory_equal(before + t[2].data, nh_mem + t[2].data, t[2].len);
}

static void test_one_bad_copy_is_repaired_at_boot(void **state)
{
    struct table_entry t[3];
    struct nvr_record h;

    (void)state;
    three_regions(t);
    garble_record(t[1].slot);                                   /* B: primary bad */
    memset(nh_mem + t[2].slot + NVR_REC_SIZE, 0, NVR_REC_SIZE); /* C: mirror gone */
    reboot();
    assert_false(nh_cap.boot.corrupt);
    assert_int_equal(nh_cap.boot.regions, 3);
    assert_int_equal(nh_cap.boot.repaired, 2);
    assert_true(nvr_decode(nh_mem + t[1].slot, &h));
    assert_int_equal(h.owner, OWNER_B);
    assert_true(nvr_decode(nh_mem + t[2].slot + NVR_REC_SIZE, &h));
    expect_region_data(SLOT_B, OWNER_B, 0x20);
    expect_region_data(SLOT_C, OWNER_C, 0x30);
    expect_new_region_below(t, 3);
    assert_int_equal(walk_table(NULL, 0, false), 4);
}

static void test_bit_flip_on_read_uses_other_copy(void **state)
{
    struct table_entry t[3];

    (void)state;
    three_regions(t);
    reboot();
    /* The lookup reads C's position once: its primary reads damaged. */
    assert_true(ram_fram_flip_on_read(&nh_dev.rf, t[2].slot + NVR_OFF_LENGTH, 0x01));
    assert_true(ram_fram_flip_on_read(&nh_dev.rf, t[1].slot + NVR_REC_SIZE + NVR_OFF_CRC, 0x80));
    expect_region_data(SLOT_C, OWNER_C, 0x30);
    expect_region_data(SLOT_B, OWNER_B, 0x20);
}

static void test_record_with_huge_length_is_skipped_as_damaged(void **state)
{
    struct table_entry t[3];
    struct nvr_record huge = {NVR_KIND_REGION, OWNER_B, 0, 0xFFFFFF00u};

    (void)state;
    three_regions(t);
    /* Checksums right, but B claims more than the area holds. */
    huge.addr = t[1].data;
    nvr_encode(nh_mem + t[1].slot, &huge);
    nvr_encode(nh_mem + t[1].slot + NVR_REC_SIZE, &huge);
    reboot();
    assert_false(nh_cap.boot.corrupt);
    assert_int_equal(nh_cap.boot.damaged, 1);
    memcpy(before, nh_mem, sizeof(before));
    expect_region_data(SLOT_C, OWNER_C, 0x30);
    expect_new_region_below(t, 3);
    assert_memory_equal(before + t[1].data, nh_mem + t[1].data, t[1].len);
}

static void test_overlapping_records_stop_allocation(void **state)
{
    struct table_entry t[3];
    struct nvr_record over = {NVR_KIND_REGION, OWNER_C, 0, REGION_SIZE};
    proc_id_t d;

    (void)state;
    three_regions(t);
    /* A valid record of C that overlaps B's data (no cut or single fault
     * makes one; a tool bug could). */
    over.addr = t[1].data + 1;
    nvr_encode(nh_mem + t[2].slot, &over);
    nvr_encode(nh_mem + t[2].slot + NVR_REC_SIZE, &over);
    reboot();
    assert_true(nh_cap.boot.corrupt);
    assert_int_equal(nh_cap.boot.regions, 2);
    memcpy(before, nh_mem, sizeof(before));
    expect_region_data(SLOT_A, OWNER_A, 0x10);
    expect_region_data(SLOT_B, OWNER_B, 0x20);
    d = spawn_owner(SLOT_D, OWNER_D);
    expect_async(d, NVS_CMD_GET_SIZE, 0, 0, TOCK_ENOMEM);
    assert_memory_equal(before, nh_mem, sizeof(before));
}

static void test_disagreeing_copies_take_the_primary(void **state)
{
    struct table_entry t[3];
    struct nvr_record other = {NVR_KIND_REGION, OWNER_D, 0, REGION_SIZE};
    struct nvr_record h;

    (void)state;
    three_regions(t);
    other.addr = t[1].data;
    nvr_encode(nh_mem + t[1].slot + NVR_REC_SIZE, &other);
    reboot();
    assert_false(nh_cap.boot.corrupt);
    assert_int_equal(nh_cap.boot.regions, 3);
    assert_int_equal(nh_cap.boot.repaired, 1);
    assert_true(nvr_decode(nh_mem + t[1].slot + NVR_REC_SIZE, &h));
    assert_int_equal(h.owner, OWNER_B);
    expect_region_data(SLOT_B, OWNER_B, 0x20);
}

static void test_format1_table_is_refused(void **state)
{
    proc_id_t a;
    uint8_t v1[NVR_V1_HDR_SIZE] = {'N', 'V', 'R', 'G', NVR_V1_VERSION, 0, 0, 0, 0x11,
                                   0,   0,   0,   0,   0x10,           0, 0};
    uint32_t crc = nvr_crc32(v1, NVR_V1_HDR_SIZE - 4);

    (void)state;
    memcpy(v1 + NVR_V1_HDR_SIZE - 4, &crc, sizeof(crc)); /* host is little endian */
    memcpy(nh_mem + AREA_START, v1, sizeof(v1));
    memcpy(nh_mem + AREA_START + NVR_V1_HDR_SIZE, v1, sizeof(v1));
    reboot();
    assert_true(nh_cap.boot.format1);
    assert_true(nh_cap.boot.corrupt);
    memcpy(before, nh_mem, sizeof(before));
    a = spawn_owner(SLOT_A, OWNER_A);
    expect_async(a, NVS_CMD_GET_SIZE, 0, 0, TOCK_ENOMEM);
    assert_memory_equal(before, nh_mem, sizeof(before)); /* nothing written */
}

static void test_region_data_never_read_as_header(void **state)
{
    static uint8_t fake[REGION_SIZE];
    proc_id_t a = spawn_owner(SLOT_A, OWNER_A);
    struct nvr_area ar = area_of_cfg();
    struct nvr_record lie = {NVR_KIND_REGION, OWNER_B, 0, 16};
    proc_id_t b;
    uint32_t i;

    (void)state;
    /* A fills its region with valid-looking records claiming owner B. */
    for (i = 0; i + NVR_REC_SIZE <= REGION_SIZE; i += NVR_REC_SIZE) {
        lie.addr = ar.end - REGION_SIZE + i;
        nvr_encode(fake + i, &lie);
    }
    write_at(a, 0, fake, sizeof(fake), TOCK_SUCCESS);
    reboot();
    b = spawn_owner(SLOT_B, OWNER_B);
    assert_int_equal(get_size(b), REGION_SIZE); /* a real region, not A's data */
    assert_int_equal(walk_table(NULL, 0, false), 2);
    a = spawn_owner(SLOT_A, OWNER_A);
    {
        static uint8_t in[REGION_SIZE];

        read_at(a, 0, in, REGION_SIZE, TOCK_SUCCESS);
        assert_memory_equal(in, fake, REGION_SIZE);
    }
}

static void test_fresh_chip_of_ones_is_free(void **state)
{
    proc_id_t a;
    uint8_t in[8];
    unsigned i;

    (void)state;
    memset(nh_mem, 0xFF, sizeof(nh_mem));
    reboot();
    assert_false(nh_cap.boot.corrupt);
    assert_false(nh_cap.boot.end_written); /* a chip with no table is not written at boot */

    a = spawn_owner(SLOT_A, OWNER_A);
    read_at(a, 0, in, sizeof(in), TOCK_SUCCESS);
    for (i = 0; i < sizeof(in); i++)
        assert_int_equal(in[i], 0);
}

/* ---- image for the inspector's tests ----------------------------------- */

/* With NVS_IMAGE_DIR set, write a known table to $NVS_IMAGE_DIR/fram.img
 * and its description to table.txt (lines: owner slot data length), for
 * tests/py/test_fram_inspect.py to check the inspector against. */
static void test_write_sample_image(void **state)
{
    static const struct nvs_size_override ov[] = {{OWNER_C, 300}};
    static uint8_t out[64];
    const char *dir = getenv("NVS_IMAGE_DIR");
    struct table_entry t[4];
    char path[512];
    FILE *f;
    unsigned i, n;
    uint32_t owners[3] = {OWNER_A, 0xDEADBEEFu, OWNER_C};

    (void)state;
    cfg.overrides = ov;
    cfg.num_overrides = 1;
    nh_boot(&cfg, NH_FRAM_SIZE);
    for (i = 0; i < 3; i++) {
        proc_id_t p = spawn_owner(i, owners[i]);

        memset(out, (int)(0xB0 + i), sizeof(out));
        write_at(p, i, out, sizeof(out), TOCK_SUCCESS);
    }
    n = walk_table(t, 4, false);
    assert_int_equal(n, 3);
    if (dir == NULL)
        return;
    snprintf(path, sizeof(path), "%s/fram.img", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(nh_mem, 1, NH_FRAM_SIZE, f), NH_FRAM_SIZE);
    fclose(f);
    snprintf(path, sizeof(path), "%s/table.txt", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "area %u %u\n", AREA_START, AREA_LEN);
    for (i = 0; i < n; i++)
        fprintf(f, "region %u %u %u %u\n", t[i].owner, t[i].slot, t[i].data, t[i].len);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_unknown_command_is_nosupport, setup),
        cmocka_unit_test_setup(test_driver_declaration, setup),
        cmocka_unit_test_setup(test_no_permissions_is_nosupport, setup),
        cmocka_unit_test_setup(test_read_needs_read_id_write_needs_modify_id, setup),
        cmocka_unit_test_setup(test_busy_while_pending, setup),
        cmocka_unit_test_setup(test_no_grant_memory_is_nomem, setup),
        cmocka_unit_test_setup(test_get_size_allocates_once, setup),
        cmocka_unit_test_setup(test_read_and_write_allocate_too, setup),
        cmocka_unit_test_setup(test_size_override, setup),
        cmocka_unit_test_setup(test_full_area_is_nomem_and_last_region_ends_at_area_end, setup),
        cmocka_unit_test_setup(test_room_left_smaller_than_region_is_nomem, setup),
        cmocka_unit_test_setup(test_reserve_without_buffer, setup),
        cmocka_unit_test_setup(test_offsets_outside_region_are_inval, setup),
        cmocka_unit_test_setup(test_buffer_larger_than_region_is_inval, setup),
        cmocka_unit_test_setup(test_any_length_round_trips, setup),
        cmocka_unit_test_setup(test_4k_round_trip_in_one_command, setup),
        cmocka_unit_test_setup(test_writes_stay_inside_region, setup),
        cmocka_unit_test_setup(test_regions_found_again_after_reboot, setup),
        cmocka_unit_test_setup(test_restarted_process_finds_its_region, setup),
        cmocka_unit_test_setup(test_lookup_reads_one_record_refusal_and_allocation_read_none,
                               setup),
        cmocka_unit_test_setup(test_lookup_past_the_index_reads_the_positions_past_it, setup),
        cmocka_unit_test_setup(test_queue_drops_dead_waiters, setup),
        cmocka_unit_test_setup(test_two_apps_served_in_arrival_order, setup),
        cmocka_unit_test_setup(test_reallow_mid_write_cancels, setup),
        cmocka_unit_test_setup(test_reallow_shorter_mid_read_cancels, setup),
        cmocka_unit_test_setup(test_exit_mid_operation_drops_it_and_serves_next, setup),
        cmocka_unit_test_setup(test_exit_during_allocation_keeps_table_sound, setup),
        cmocka_unit_test_setup(test_device_absent_fails_every_request, setup),
        cmocka_unit_test_setup(test_area_outside_device_fails, setup),
        cmocka_unit_test_setup(test_device_error_at_each_op_of_first_write, setup),
        cmocka_unit_test_setup(test_power_cut_at_every_byte_of_allocation, setup),
        cmocka_unit_test_setup(test_power_cut_during_boot_repair, setup),
        cmocka_unit_test_setup(test_damaged_middle_record_keeps_the_others, setup),
        cmocka_unit_test_setup(test_damaged_first_record_keeps_the_others, setup),
        cmocka_unit_test_setup(test_damaged_last_record_is_never_allocated_over, setup),
        cmocka_unit_test_setup(test_one_bad_copy_is_repaired_at_boot, setup),
        cmocka_unit_test_setup(test_bit_flip_on_read_uses_other_copy, setup),
        cmocka_unit_test_setup(test_record_with_huge_length_is_skipped_as_damaged, setup),
        cmocka_unit_test_setup(test_overlapping_records_stop_allocation, setup),
        cmocka_unit_test_setup(test_disagreeing_copies_take_the_primary, setup),
        cmocka_unit_test_setup(test_format1_table_is_refused, setup),
        cmocka_unit_test_setup(test_region_data_never_read_as_header, setup),
        cmocka_unit_test_setup(test_fresh_chip_of_ones_is_free, setup),
        cmocka_unit_test_setup(test_write_sample_image, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
