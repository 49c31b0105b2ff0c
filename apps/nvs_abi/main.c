/*
 * nvs_abi: checks the isolated nonvolatile storage driver (0x50004) through
 * raw system calls, against the driver's specification and the choices in
 * docs/nvstorage.md (which errors come from the command, which from the
 * upcall). It leaves its whole region holding pattern(i) so that the test
 * can check the FRAM image afterwards.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "userland/alarm.h"
#include "userland/check.h"
#include "userland/console.h"
#include "userland/syscall.h"

#define REGION_SIZE 4096u /* boards/mps2-an385/board.h BOARD_NVS_REGION_SIZE */
#define UNKNOWN_CMD 9u
#define SMALL       16u
#define SETTLE_MS   2u /* long enough for a small request to complete */

static uint8_t buf[REGION_SIZE];

static uint8_t pattern(uint32_t i)
{
    return (uint8_t)(i * 7u + (i >> 8) + 0x5a);
}

/* Issue a command and, if accepted, wait for its upcall. Returns the
 * command's answer; *ev gets the upcall (status, length). */
static tock_ret_t request(uint32_t cmd, uint32_t upcall, uint32_t lo, uint32_t hi, tock_event_t *ev)
{
    tock_ret_t r = tock_command(DRIVER_NVSTORAGE, cmd, lo, hi);

    memset(ev, 0xff, sizeof(*ev));
    if (r.variant == RET_SUCCESS)
        *ev = tock_yield_wait_for(DRIVER_NVSTORAGE, upcall);
    return r;
}

static void expect_done(const char *what, tock_ret_t r, const tock_event_t *ev, uint32_t status,
                        uint32_t length)
{
    check_variant(what, r, RET_SUCCESS);
    check_u32(what, ev->arg0, status);
    check_u32(what, ev->arg1, length);
}

static void read_at(const char *what, uint32_t lo, uint32_t hi, uint32_t len, uint32_t status,
                    uint32_t moved)
{
    tock_event_t ev;
    tock_ret_t r;

    tock_allow_rw(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, buf, len);
    r = request(NVS_CMD_READ, NVS_UPCALL_READ, lo, hi, &ev);
    tock_allow_rw(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, NULL, 0);
    expect_done(what, r, &ev, status, moved);
}

static void write_at(const char *what, const void *src, uint32_t lo, uint32_t hi, uint32_t len,
                     uint32_t status, uint32_t moved)
{
    tock_event_t ev;
    tock_ret_t r;

    tock_allow_ro(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, src, len);
    r = request(NVS_CMD_WRITE, NVS_UPCALL_WRITE, lo, hi, &ev);
    tock_allow_ro(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, NULL, 0);
    expect_done(what, r, &ev, status, moved);
}

static bool matches_pattern(uint32_t offset, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        if (buf[i] != pattern(offset + i))
            return false;
    return true;
}

static void test_exists_and_size(void)
{
    tock_event_t ev;

    check_variant("command 0 exists", tock_command(DRIVER_NVSTORAGE, NVS_CMD_EXISTS, 0, 0),
                  RET_SUCCESS);
    expect_done("get size", request(NVS_CMD_GET_SIZE, NVS_UPCALL_GET_SIZE, 0, 0, &ev), &ev,
                TOCK_SUCCESS, REGION_SIZE);
    check_failure("unknown command", tock_command(DRIVER_NVSTORAGE, UNKNOWN_CMD, 0, 0), RET_FAILURE,
                  TOCK_ENOSUPPORT);
}

static void test_busy_while_pending(void)
{
    tock_event_t ev;

    /* A whole-region write takes many device operations: while it runs,
     * any other request from this process is BUSY (and gets no upcall). */
    tock_allow_ro(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, buf, REGION_SIZE);
    check_variant("long write accepted", tock_command(DRIVER_NVSTORAGE, NVS_CMD_WRITE, 0, 0),
                  RET_SUCCESS);
    check_failure("get size while a write is pending is BUSY",
                  tock_command(DRIVER_NVSTORAGE, NVS_CMD_GET_SIZE, 0, 0), RET_FAILURE, TOCK_EBUSY);
    check_failure("read while a write is pending is BUSY",
                  tock_command(DRIVER_NVSTORAGE, NVS_CMD_READ, 0, 0), RET_FAILURE, TOCK_EBUSY);
    ev = tock_yield_wait_for(DRIVER_NVSTORAGE, NVS_UPCALL_WRITE);
    tock_allow_ro(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, NULL, 0);
    check_u32("the long write still completes", ev.arg0, TOCK_SUCCESS);
    check_u32("the long write moved everything", ev.arg1, REGION_SIZE);
}

static void test_no_buffer_is_reserve(void)
{
    tock_event_t ev;
    tock_ret_t r;

    r = request(NVS_CMD_READ, NVS_UPCALL_READ, 0, 0, &ev);
    check_variant("read without buffer accepted", r, RET_SUCCESS);
    check_u32("read without buffer: RESERVE", ev.arg0, TOCK_ERESERVE);
    r = request(NVS_CMD_WRITE, NVS_UPCALL_WRITE, 0, 0, &ev);
    check_u32("write without buffer: RESERVE", ev.arg0, TOCK_ERESERVE);
    /* A zero-length buffer counts as none. */
    tock_allow_ro(DRIVER_NVSTORAGE, NVS_ALLOW_RO_WRITE, buf, 0);
    r = request(NVS_CMD_WRITE, NVS_UPCALL_WRITE, 0, 0, &ev);
    check_u32("zero-length write buffer: RESERVE", ev.arg0, TOCK_ERESERVE);
}

static void test_whole_region_round_trip(void)
{
    for (uint32_t i = 0; i < REGION_SIZE; i++)
        buf[i] = pattern(i);
    write_at("4 KiB write in one command", buf, 0, 0, REGION_SIZE, TOCK_SUCCESS, REGION_SIZE);
    memset(buf, 0, sizeof(buf));
    read_at("4 KiB read in one command", 0, 0, REGION_SIZE, TOCK_SUCCESS, REGION_SIZE);
    check_true("4 KiB read back what was written", matches_pattern(0, REGION_SIZE));
}

static void test_out_of_region_is_inval(void)
{
    static const uint8_t junk[SMALL + 1] = "OUT OF BOUNDS!!";

    /* Ends one byte past the region: refused whole, nothing moved. */
    write_at("write ending one past the end", junk, REGION_SIZE - SMALL + 1, 0, SMALL, TOCK_EINVAL,
             0);
    write_at("write at the end", junk, REGION_SIZE, 0, 1, TOCK_EINVAL, 0);
    write_at("upper offset word set", junk, 0, 1, SMALL, TOCK_EINVAL, 0);
    write_at("offset + length overflows 32 bits", junk, 0xFFFFFFF8u, 0, SMALL, TOCK_EINVAL, 0);
    read_at("read ending one past the end", REGION_SIZE - SMALL + 1, 0, SMALL, TOCK_EINVAL, 0);
    read_at("read with upper offset word set", 0, 0x80000000u, SMALL, TOCK_EINVAL, 0);
    /* The last bytes of the region are still the pattern. */
    read_at("last byte is reachable", REGION_SIZE - SMALL, 0, SMALL, TOCK_SUCCESS, SMALL);
    check_true("refused writes changed nothing", matches_pattern(REGION_SIZE - SMALL, SMALL));
}

static volatile uint32_t got_status = 0xffffffffu, got_len, runs;

static void on_read(uint32_t status, uint32_t len, uint32_t unused, void *data)
{
    (void)unused;
    (void)data;
    got_status = status;
    got_len = len;
    runs++;
}

static void test_upcall_function_path(void)
{
    tock_ret_t r;

    tock_subscribe(DRIVER_NVSTORAGE, NVS_UPCALL_READ, on_read, NULL);
    tock_allow_rw(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, buf, SMALL);
    r = tock_command(DRIVER_NVSTORAGE, NVS_CMD_READ, SMALL, 0);
    check_variant("read with a subscribed function", r, RET_SUCCESS);
    while (runs == 0)
        tock_yield_wait();
    tock_allow_rw(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, NULL, 0);
    tock_subscribe(DRIVER_NVSTORAGE, NVS_UPCALL_READ, NULL, NULL);
    check_u32("upcall function ran once", runs, 1);
    check_u32("upcall status", got_status, TOCK_SUCCESS);
    check_u32("upcall length", got_len, SMALL);
    check_true("upcall read the right bytes", matches_pattern(SMALL, SMALL));
}

/* Spin, without yielding, until the requests made so far have completed
 * and queued their events (each system call lets the kernel run). */
static void settle(void)
{
    uint32_t hz = 0, start = 0, now = 0;

    tock_alarm_frequency(&hz);
    tock_alarm_now(&start);
    do {
        tock_alarm_now(&now);
    } while (now - start < hz / 1000u * SETTLE_MS);
}

/* Start a 16-byte read at offset 0 and let it complete, queueing its event. */
static void queue_read(void)
{
    tock_allow_rw(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, buf, SMALL);
    check_variant("read", tock_command(DRIVER_NVSTORAGE, NVS_CMD_READ, 0, 0), RET_SUCCESS);
    settle();
}

/* Take the read's event with yield-wait-for: it must be that one. */
static void take_read(const char *what)
{
    tock_event_t ev = tock_yield_wait_for(DRIVER_NVSTORAGE, NVS_UPCALL_READ);

    check_u32(what, ev.arg0, TOCK_SUCCESS);
    check_u32("and the read's length", ev.arg1, SMALL);
    tock_allow_rw(DRIVER_NVSTORAGE, NVS_ALLOW_RW_READ, NULL, 0);
    check_true("the read got the right bytes", matches_pattern(0, SMALL));
}

/* yield-wait-for matches its event by driver and by upcall number, not by
 * its place in the queue: waiting for a read passes over an older event of
 * the same number from another driver (console write: 1, 1), then over an
 * older one of the same driver with another number (get size: 0x50004, 0);
 * taking the oldest first must leave the next one in its place. */
static void test_wait_for_matches_driver_and_number(void)
{
    static const char text[] = "nvs_abi: two events queued\n";
    const uint32_t text_len = sizeof(text) - 1;
    tock_event_t ev;

    tock_allow_ro(DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, text, text_len);
    check_variant("console write", tock_command(DRIVER_CONSOLE, CONSOLE_CMD_WRITE, text_len, 0),
                  RET_SUCCESS);
    queue_read();
    take_read("wait-for the read, behind a console write: the read's status");
    ev = tock_yield_wait_for(DRIVER_CONSOLE, CONSOLE_UPCALL_WRITE);
    check_u32("then the console write gets its count", ev.arg0, text_len);
    tock_allow_ro(DRIVER_CONSOLE, CONSOLE_ALLOW_RO_WRITE, NULL, 0);

    check_variant("get size", tock_command(DRIVER_NVSTORAGE, NVS_CMD_GET_SIZE, 0, 0), RET_SUCCESS);
    settle();
    queue_read();
    take_read("wait-for the read, behind a get size: the read's status");
    ev = tock_yield_wait_for(DRIVER_NVSTORAGE, NVS_UPCALL_GET_SIZE);
    check_u32("then get size gets the region size", ev.arg1, REGION_SIZE);

    /* The same two, taken oldest first: the queue moves on past each. */
    check_variant("get size", tock_command(DRIVER_NVSTORAGE, NVS_CMD_GET_SIZE, 0, 0), RET_SUCCESS);
    settle();
    queue_read();
    ev = tock_yield_wait_for(DRIVER_NVSTORAGE, NVS_UPCALL_GET_SIZE);
    check_u32("wait-for the oldest, get size, gets the region size", ev.arg1, REGION_SIZE);
    take_read("then wait-for the read: the read's status");
}

int main(void)
{
    test_exists_and_size();
    test_no_buffer_is_reserve();
    test_whole_region_round_trip();
    test_busy_while_pending();
    test_out_of_region_is_inval();
    test_upcall_function_path();
    test_wait_for_matches_driver_and_number();
    printf("nvs_abi: %u passed, %u failed\n", check_passed(), check_failed());
    return (int)check_failed();
}
