/*
 * boot_counter: how many times has this board booted? The count lives in an
 * atomic record (libnvstorage/nvs_record.h) at the start of the app's
 * storage region, so a power cut while it is being updated loses at most
 * that one increment. Exit status 0 on success, 1 if storage failed.
 */
#include <stdint.h>
#include <stdio.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_record.h"

struct boot_count {
    uint32_t boots;
};

int main(void)
{
    struct nvs_record rec = NVS_RECORD_INIT(0, sizeof(struct boot_count));
    struct boot_count count = {0};
    int err = nvs_record_load(&rec, &count);

    if (err == NVS_ERR_NO_RECORD) {
        count.boots = 0; /* a fresh chip: this is the first boot */
    } else if (err != NVS_OK) {
        printf("boot_counter: cannot read the count: %s\n", nvs_strerror(err));
        return 1;
    }
    count.boots++;
    err = nvs_record_save(&rec, &count);
    if (err != NVS_OK) {
        printf("boot_counter: cannot save the count: %s\n", nvs_strerror(err));
        return 1;
    }
    printf("boot_counter: this board has booted %lu time%s\n", (unsigned long)count.boots,
           count.boots == 1 ? "" : "s");
    return 0;
}
