/*
 * A TCG plugin for the lab's board (Debian's qemu-system-arm): where the
 * board's CPU spends its instructions, by translation block start and by
 * the CPU's mode at that block (user or privileged: an isolated guest's
 * kernel runs in user mode at the host kernel's addresses). At exit, writes
 * the blocks that ran the most instructions, one per line:
 *     INSNS EXECS VADDR MODE
 * where MODE is "usr" or "priv". For scripts/lab-profile.sh, which maps the
 * addresses to the lab kernel's and module's symbols.
 *
 * With marker=on, only what runs between two marker instructions counts:
 * MOVW r12, #0xa4b1 starts (and zeroes) the counts, MOVW r12, #0xa4b2 stops
 * them (scripts/lab-profile.sh runs a program of two such instructions
 * around the command, so the lab's boot is left out).
 *
 * usage: -plugin tbprof.so,out=FILE[,top=N][,marker=on]
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/*
 * One translation block as translated, with its executions by mode. A
 * block retranslated gets another; the report adds them up by address.
 */
struct block {
    uint64_t vaddr;
    unsigned int n_insns;
    uint64_t execs[2];          /* [0] privileged, [1] user */
};

static GPtrArray *blocks;
static GMutex lock;
static struct qemu_plugin_register *cpsr_reg;
static char *out_path;
static unsigned int top = 400;
static bool counting = true;

#define MARK_START  0xe30ac4b1u     /* movw r12, #0xa4b1 */
#define MARK_STOP   0xe30ac4b2u     /* movw r12, #0xa4b2 */

static void vcpu_init(qemu_plugin_id_t id, unsigned int vcpu_index)
{
    GArray *regs = qemu_plugin_get_registers();

    for (unsigned int i = 0; regs && i < regs->len; i++) {
        qemu_plugin_reg_descriptor *d =
            &g_array_index(regs, qemu_plugin_reg_descriptor, i);

        if (!strcmp(d->name, "cpsr")) {
            cpsr_reg = d->handle;
        }
    }
    if (regs) {
        g_array_free(regs, true);
    }
}

static void block_exec(unsigned int vcpu_index, void *udata)
{
    static __thread GByteArray *buf;
    struct block *b = udata;
    bool user = false;

    if (!__atomic_load_n(&counting, __ATOMIC_RELAXED)) {
        return;
    }
    if (cpsr_reg) {
        if (!buf) {
            buf = g_byte_array_sized_new(8);
        }
        g_byte_array_set_size(buf, 0);
        if (qemu_plugin_read_register(cpsr_reg, buf) >= 4) {
            user = (buf->data[0] & 0x1f) == 0x10;
        }
    }
    __atomic_fetch_add(&b->execs[user], 1, __ATOMIC_RELAXED);
}

static void mark(unsigned int vcpu_index, void *udata)
{
    bool start = udata != NULL;

    g_mutex_lock(&lock);
    for (unsigned int i = 0; start && i < blocks->len; i++) {
        struct block *b = g_ptr_array_index(blocks, i);

        b->execs[0] = b->execs[1] = 0;
    }
    __atomic_store_n(&counting, start, __ATOMIC_RELAXED);
    g_mutex_unlock(&lock);
}

static void block_translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    struct block *b = g_new0(struct block, 1);

    for (size_t i = 0; i < qemu_plugin_tb_n_insns(tb); i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint32_t word = 0;

        if (qemu_plugin_insn_size(insn) == 4 &&
            qemu_plugin_insn_data(insn, &word, 4) == 4 &&
            (word == MARK_START || word == MARK_STOP)) {
            qemu_plugin_register_vcpu_insn_exec_cb(insn, mark, QEMU_PLUGIN_CB_NO_REGS,
                                                   word == MARK_START ? b : NULL);
        }
    }

    b->vaddr = qemu_plugin_tb_vaddr(tb);
    b->n_insns = qemu_plugin_tb_n_insns(tb);
    g_mutex_lock(&lock);
    g_ptr_array_add(blocks, b);
    g_mutex_unlock(&lock);
    qemu_plugin_register_vcpu_tb_exec_cb(tb, block_exec, QEMU_PLUGIN_CB_R_REGS, b);
}

/* Totals by (vaddr, user). */
struct tally {
    uint64_t vaddr;
    bool user;
    uint64_t insns, execs;
};

static gint by_insns(gconstpointer a, gconstpointer b)
{
    const struct tally *x = *(struct tally *const *)a, *y = *(struct tally *const *)b;

    return x->insns < y->insns ? 1 : x->insns > y->insns ? -1 : 0;
}

static void at_exit(qemu_plugin_id_t id, void *p)
{
    GHashTable *tallies = g_hash_table_new_full(g_int64_hash, g_int64_equal,
                                                g_free, NULL);
    GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
    uint64_t total = 0;
    FILE *f = fopen(out_path, "w");

    if (!f) {
        perror(out_path);
        return;
    }
    for (unsigned int i = 0; i < blocks->len; i++) {
        struct block *b = g_ptr_array_index(blocks, i);

        for (int user = 0; user < 2; user++) {
            uint64_t key = b->vaddr << 1 | user;
            struct tally *t;

            if (!b->execs[user]) {
                continue;
            }
            t = g_hash_table_lookup(tallies, &key);
            if (!t) {
                t = g_new0(struct tally, 1);
                t->vaddr = b->vaddr;
                t->user = user;
                g_hash_table_insert(tallies, g_memdup2(&key, sizeof(key)), t);
                g_ptr_array_add(all, t);
            }
            t->insns += b->execs[user] * b->n_insns;
            t->execs += b->execs[user];
            total += b->execs[user] * b->n_insns;
        }
    }
    g_ptr_array_sort(all, by_insns);
    fprintf(f, "# total %" PRIu64 " instructions, %u block starts\n", total, all->len);
    for (unsigned int i = 0; i < all->len && i < top; i++) {
        struct tally *t = g_ptr_array_index(all, i);

        fprintf(f, "%" PRIu64 " %" PRIu64 " %08" PRIx64 " %s\n",
                t->insns, t->execs, t->vaddr, t->user ? "usr" : "priv");
    }
    fclose(f);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                           int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (!strncmp(argv[i], "out=", 4)) {
            out_path = g_strdup(argv[i] + 4);
        } else if (!strncmp(argv[i], "top=", 4)) {
            top = atoi(argv[i] + 4);
        } else if (!strcmp(argv[i], "marker=on")) {
            counting = false;
        } else {
            fprintf(stderr, "tbprof: unknown argument %s\n", argv[i]);
            return -1;
        }
    }
    if (!out_path) {
        fprintf(stderr, "tbprof: out=FILE is needed\n");
        return -1;
    }
    blocks = g_ptr_array_new();
    qemu_plugin_register_vcpu_init_cb(id, vcpu_init);
    qemu_plugin_register_vcpu_tb_trans_cb(id, block_translated);
    qemu_plugin_register_atexit_cb(id, at_exit, NULL);
    return 0;
}
