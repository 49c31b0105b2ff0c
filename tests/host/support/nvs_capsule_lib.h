/*
 * nvs_capsule_lib: the synchronous calls of libnvstorage/nvs.h (nvs_exists,
 * nvs_size, nvs_read, nvs_write) served by the real storage capsule of
 * nvs_harness.h, on behalf of one fake process. It lets host tests run the
 * library's atomic records over the capsule, the RAM FRAM and its power-cut
 * injection, as an app would under the kernel. Single-threaded test code.
 */
#ifndef TESTS_HOST_SUPPORT_NVS_CAPSULE_LIB_H
#define TESTS_HOST_SUPPORT_NVS_CAPSULE_LIB_H

#include "kernel/driver.h"

/* The process on whose behalf the nvs.h calls are made from now on. */
void ncl_use(proc_id_t pid);

#endif /* TESTS_HOST_SUPPORT_NVS_CAPSULE_LIB_H */
