/*
 * nvs_noperm: what an app without storage permission sees. The driver
 * exists, but every call that needs the region is refused with NOSUPPORT;
 * a well-behaved app reports that and carries on without storage.
 *
 * It prints one line per library entry point ("nvs_noperm: <call>: <err>")
 * so the QEMU tests can check each one, then a summary line. The same
 * binary, repacked with other storage headers (read-only, say), shows
 * which calls those permissions allow. Exit status 0.
 */
#include <stdint.h>
#include <stdio.h>

#include "libnvstorage/nvs.h"
#include "libnvstorage/nvs_posix.h"
#include "libnvstorage/nvs_record.h"
#include "libnvstorage/nvs_stdio.h"

#define PROBE_LEN 8

static void show(const char *call, int err)
{
    printf("nvs_noperm: %s: %d %s\n", call, err, nvs_strerror(err));
}

int main(void)
{
    uint8_t buf[PROBE_LEN] = {0};
    uint64_t size = 0;
    struct nvs_record rec = NVS_RECORD_INIT(0, PROBE_LEN);
    int err;
    int refused = 0;

    show("nvs_exists", nvs_exists());
    err = nvs_size(&size);
    refused += err == NVS_ERR_NOSUPPORT;
    show("nvs_size", err);
    err = nvs_read(0, buf, sizeof(buf));
    refused += err == NVS_ERR_NOSUPPORT;
    show("nvs_read", err);
    err = nvs_write(0, buf, sizeof(buf));
    refused += err == NVS_ERR_NOSUPPORT;
    show("nvs_write", err);
    err = (int)nvs_pread(buf, sizeof(buf), 0);
    show("nvs_pread", err < 0 ? err : NVS_OK);
    err = (int)nvs_pwrite(buf, sizeof(buf), 0);
    show("nvs_pwrite", err < 0 ? err : NVS_OK);
    FILE *f = nvs_fopen("r+", &err);
    show("nvs_fopen", err);
    if (f != NULL)
        fclose(f);
    show("nvs_record_load", nvs_record_load(&rec, buf));
    show("nvs_record_save", nvs_record_save(&rec, buf));
    if (refused > 0)
        printf("nvs_noperm: no storage permission; running without persistent state\n");
    else
        printf("nvs_noperm: storage is available\n");
    return 0;
}
