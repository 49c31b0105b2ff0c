/*
 * Stock storage permission policies a board may choose (kernel.h
 * storage_policy_fn). They turn an app's TBF headers into the identity and
 * rights the storage capsule checks.
 */
#include "kernel/storage_policy.h"

#include <string.h>

void storage_policy_tbf(const struct tbf_info *tbf, struct storage_perms *perms)
{
    memset(perms, 0, sizeof(*perms));
    if (!tbf->storage.present)
        return;
    perms->has_write_id = tbf->storage.write_id != 0;
    perms->write_id = tbf->storage.write_id;
    perms->num_read = tbf->storage.num_read;
    memcpy(perms->read_ids, tbf->storage.read_ids, sizeof(perms->read_ids));
    perms->num_modify = tbf->storage.num_modify;
    memcpy(perms->modify_ids, tbf->storage.modify_ids, sizeof(perms->modify_ids));
}

void storage_policy_own_region(const struct tbf_info *tbf, struct storage_perms *perms)
{
    uint32_t id = 0;

    memset(perms, 0, sizeof(*perms));
    if (tbf->has_short_id && tbf->short_id != 0)
        id = tbf->short_id;
    else if (tbf->storage.present)
        id = tbf->storage.write_id;
    if (id == 0)
        return;
    perms->has_write_id = true;
    perms->write_id = id;
    perms->num_read = perms->num_modify = 1;
    perms->read_ids[0] = perms->modify_ids[0] = id;
}
