/*
 * Storage permission policies a board can plug into its kernel_config.
 *
 *  storage_policy_tbf:        exactly what the TBF Storage Permissions
 *                             header says (write id, read ids, modify ids);
 *                             no header means no storage access.
 *  storage_policy_own_region: each app may reach only its own region: the
 *                             owner id is the ShortId (or, failing that, the
 *                             header's write id) and it may read and modify
 *                             that owner id only.
 * Called once per process at load time; pure functions.
 */
#ifndef KERNEL_STORAGE_POLICY_H
#define KERNEL_STORAGE_POLICY_H

#include "kernel/driver.h"
#include "kernel/tbf.h"

void storage_policy_tbf(const struct tbf_info *tbf, struct storage_perms *perms);
void storage_policy_own_region(const struct tbf_info *tbf, struct storage_perms *perms);

#endif /* KERNEL_STORAGE_POLICY_H */
