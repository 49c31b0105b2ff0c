/*
 * ot_settings: what a Thread stack's settings layer does at each boot, on
 * the OpenThread-style adaptor (libnvstorage/nvs_ot_settings.h).
 *
 * Keys as OpenThread numbers them: 1 active dataset, 3 network info, 5
 * child info (one value per child, added and deleted by index). Each boot:
 * read the network info (absent on the first boot), count the boot in it,
 * write the active dataset if there is none, let a new child join (the
 * oldest leaves when the table is full), and print what is stored.
 *
 * Output (parsed by tests/qemu/test_kv.py):
 *   ot_settings: store damaged: N entries failed their checks   (bytes damaged on the chip)
 *   ot_settings: boot B (network info absent|present, dataset absent|present)
 *   ot_settings: children C: id id ...
 *   ot_settings: done
 * Exit status 0, or 1 if a settings call failed.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_ot_settings.h"

#define KEY_ACTIVE_DATASET 1
#define KEY_NETWORK_INFO   3
#define KEY_CHILD_INFO     5
#define MAX_CHILDREN       4
#define AREA_OFF           0
#define AREA_SIZE          2048
#define NAME_LEN           16
#define EXT_ADDR_LEN       8
#define CHANNEL            15
#define PAN_ID             0xFACE
#define RLOC_BASE          0x0400

struct network_info {
    uint32_t boots;
    uint16_t rloc16;
    uint8_t ext_addr[EXT_ADDR_LEN];
};

struct dataset {
    char name[NAME_LEN];
    uint16_t pan_id;
    uint8_t channel;
};

struct child_info {
    uint16_t rloc16;
    uint32_t joined_at_boot;
};

static struct nvs_ots ots;

static int failed(const char *what, nvs_ots_error e)
{
    printf("ot_settings: %s failed: otError %d (%s)\n", what, e, nvs_strerror(ots.last_err));
    return 1;
}

int main(void)
{
    struct network_info info = {0};
    struct dataset ds = {0};
    struct child_info child;
    uint16_t len = sizeof(info);
    int err = nvs_ots_init(&ots, AREA_OFF, AREA_SIZE);
    nvs_ots_error e;
    bool had_info, had_ds;

    if (err != NVS_OK && err != NVS_ERR_CORRUPT) {
        printf("ot_settings: init failed: %s\n", nvs_strerror(err));
        return 1;
    }
    if (err == NVS_ERR_CORRUPT) /* damaged entries dropped; the rest is fine */
        printf("ot_settings: store damaged: %u entries failed their checks\n", ots.kv.damaged);
    e = nvs_ots_get(&ots, KEY_NETWORK_INFO, 0, (uint8_t *)&info, &len);
    had_info = e == NVS_OTS_ERROR_NONE;
    if (!had_info && e != NVS_OTS_ERROR_NOT_FOUND)
        return failed("get network info", e);
    info.boots++;
    info.rloc16 = RLOC_BASE;
    memset(info.ext_addr, (int)info.boots, sizeof(info.ext_addr));
    e = nvs_ots_set(&ots, KEY_NETWORK_INFO, (const uint8_t *)&info, sizeof(info));
    if (e != NVS_OTS_ERROR_NONE)
        return failed("set network info", e);

    had_ds = nvs_ots_get(&ots, KEY_ACTIVE_DATASET, 0, NULL, NULL) == NVS_OTS_ERROR_NONE;
    if (!had_ds) {
        strcpy(ds.name, "nvkernel-mesh");
        ds.pan_id = PAN_ID;
        ds.channel = CHANNEL;
        e = nvs_ots_set(&ots, KEY_ACTIVE_DATASET, (const uint8_t *)&ds, sizeof(ds));
        if (e != NVS_OTS_ERROR_NONE)
            return failed("set dataset", e);
    }
    printf("ot_settings: boot %lu (network info %s, dataset %s)\n", (unsigned long)info.boots,
           had_info ? "present" : "absent", had_ds ? "present" : "absent");

    /* A child joins; with the table full the oldest (index 0) leaves. */
    len = sizeof(child);
    if (nvs_ots_get(&ots, KEY_CHILD_INFO, MAX_CHILDREN - 1, (uint8_t *)&child, &len) ==
        NVS_OTS_ERROR_NONE) {
        e = nvs_ots_delete(&ots, KEY_CHILD_INFO, 0);
        if (e != NVS_OTS_ERROR_NONE)
            return failed("delete child", e);
    }
    child.rloc16 = (uint16_t)(RLOC_BASE + info.boots);
    child.joined_at_boot = info.boots;
    e = nvs_ots_add(&ots, KEY_CHILD_INFO, (const uint8_t *)&child, sizeof(child));
    if (e != NVS_OTS_ERROR_NONE)
        return failed("add child", e);

    int n = 0;
    char list[MAX_CHILDREN * 8 + 1] = "";
    for (;; n++) {
        len = sizeof(child);
        e = nvs_ots_get(&ots, KEY_CHILD_INFO, n, (uint8_t *)&child, &len);
        if (e == NVS_OTS_ERROR_NOT_FOUND)
            break;
        if (e != NVS_OTS_ERROR_NONE || n >= MAX_CHILDREN)
            return failed("get child", e);
        snprintf(list + strlen(list), sizeof(list) - strlen(list), " %lu",
                 (unsigned long)child.joined_at_boot);
    }
    printf("ot_settings: children %d:%s\n", n, list);
    printf("ot_settings: done\n");
    return 0;
}
