/*
 * powercut_plugin: a QEMU TCG plugin that cuts the power after an exact
 * number of guest instructions, for the power-cut tests.
 *
 *   -plugin powercut.so,cut=N    end QEMU with _exit(POWERCUT_STATUS) just
 *                                before instruction N+1 would run
 *   -plugin powercut.so          only count; print "powercut: N instructions"
 *                                when QEMU exits normally
 *
 * With -icount shift=0 the guest is deterministic, so the same N cuts at the
 * same instant every time. _exit skips every QEMU clean-up: the FRAM image
 * keeps exactly the writes whose I2C STOP had completed (the at24c model
 * writes the file back at each STOP), which is what a real power cut leaves
 * on an I2C FRAM. Built by tests/qemu/test_powercut_records.py with the
 * host compiler.
 *
 * The few declarations of QEMU's plugin API (version 1, QEMU 7.2) are
 * written out here because Debian ships no qemu-plugin.h.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- QEMU plugin API, version 1 (the subset used). ---- */
typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_info_t;
enum qemu_plugin_cb_flags {
    QEMU_PLUGIN_CB_NO_REGS,
    QEMU_PLUGIN_CB_R_REGS,
    QEMU_PLUGIN_CB_RW_REGS,
};
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_outs(const char *string);
int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t *info, int argc, char **argv);

#define PLUGIN_API_VERSION 1
__attribute__((visibility("default"))) int qemu_plugin_version = PLUGIN_API_VERSION;

/* ---- The plugin. ---- */

#define POWERCUT_STATUS 99 /* QEMU's exit status after a cut */
#define CUT_ARG         "cut="
#define MSG_LEN         64

static uint64_t executed;
static uint64_t cut_at;
static int cutting;

/* Runs before each guest instruction (single vCPU: no locking needed). */
static void on_insn(unsigned int vcpu, void *userdata)
{
    (void)vcpu;
    (void)userdata;
    if (cutting && executed == cut_at) {
        fflush(stdout);
        _exit(POWERCUT_STATUS);
    }
    executed++;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    size_t n = qemu_plugin_tb_n_insns(tb);

    (void)id;
    for (size_t i = 0; i < n; i++)
        qemu_plugin_register_vcpu_insn_exec_cb(qemu_plugin_tb_get_insn(tb, i), on_insn,
                                               QEMU_PLUGIN_CB_NO_REGS, NULL);
}

static void on_exit_report(qemu_plugin_id_t id, void *userdata)
{
    char msg[MSG_LEN];

    (void)id;
    (void)userdata;
    snprintf(msg, sizeof(msg), "powercut: %" PRIu64 " instructions\n", executed);
    qemu_plugin_outs(msg);
}

int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], CUT_ARG, strlen(CUT_ARG)) == 0) {
            cut_at = strtoull(argv[i] + strlen(CUT_ARG), NULL, 0);
            cutting = 1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_exit_report, NULL);
    return 0;
}
