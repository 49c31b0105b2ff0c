/*
 * tbf_walk: reads an app area from a file and walks it with the kernel's
 * parser (kernel/tbf.c) the way the loader does, printing one line per image,
 * so tests/py/test_tbf_tools.py can check that tools/tbflib.py agrees with
 * the C parser on every image and every corruption. Built by that test.
 *
 * Output per image: offset, error name, then key=value fields on success.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kernel/tbf.h"

static const char *const codes[] = {
    [TBF_OK] = "OK",
    [TBF_ERR_END] = "END",
    [TBF_ERR_TRUNCATED] = "TRUNCATED",
    [TBF_ERR_VERSION] = "VERSION",
    [TBF_ERR_HEADER_SIZE] = "HEADER_SIZE",
    [TBF_ERR_TOTAL_SIZE] = "TOTAL_SIZE",
    [TBF_ERR_CHECKSUM] = "CHECKSUM",
    [TBF_ERR_TLV] = "TLV",
    [TBF_ERR_NO_MAIN] = "NO_MAIN",
    [TBF_ERR_ENTRY] = "ENTRY",
};

static void print_ids(const char *key, const uint32_t *ids, unsigned n)
{
    printf(" %s=", key);
    for (unsigned i = 0; i < n; i++)
        printf("%s%u", i ? "," : "", (unsigned)ids[i]);
}

static void print_info(const struct tbf_info *t)
{
    printf(" total=%u header=%u flags=%u enabled=%d program=%d init=%u protected=%u ram=%u"
           " end=%u appver=%u name=%s",
           (unsigned)t->total_size, (unsigned)t->header_size, (unsigned)t->flags, t->enabled,
           t->has_program, (unsigned)t->init_fn_offset, (unsigned)t->protected_size,
           (unsigned)t->min_ram_size, (unsigned)t->binary_end_offset, (unsigned)t->app_version,
           t->name);
    if (t->storage.present) {
        printf(" write=%u", (unsigned)t->storage.write_id);
        print_ids("read", t->storage.read_ids, t->storage.num_read);
        print_ids("modify", t->storage.modify_ids, t->storage.num_modify);
    }
    if (t->has_short_id)
        printf(" short=%u", (unsigned)t->short_id);
    if (t->has_kernel_version)
        printf(" kver=%u.%u", t->kernel_major, t->kernel_minor);
    if (t->has_fixed_addresses)
        printf(" fixed=%u,%u", (unsigned)t->fixed_ram, (unsigned)t->fixed_flash);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: tbf_walk AREA_FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    static uint8_t area[1 << 22];
    uint32_t size = (uint32_t)fread(area, 1, sizeof(area), f);
    fclose(f);
    /* A tight heap copy, so ASan (if built with it) sees reads past the end. */
    uint8_t *copy = malloc(size ? size : 1);
    if (copy == NULL)
        return 2;
    for (uint32_t i = 0; i < size; i++)
        copy[i] = area[i];

    uint32_t off = 0;
    while (off < size) {
        struct tbf_info info;
        enum tbf_error err = tbf_parse(copy + off, size - off, &info);
        if (err == TBF_ERR_END)
            break;
        printf("%u %s", (unsigned)off, codes[err]);
        if (err == TBF_OK)
            print_info(&info);
        printf("\n");
        if (err != TBF_OK && !tbf_error_skippable(err))
            break;
        off += info.total_size;
    }
    free(copy);
    return 0;
}
