/*
 * QTest for the armkvm accelerator's command line: it is listed, it fails
 * clearly where it cannot run, QEMU's fallback list works, its mode is
 * validated, and armkvm-virt rejects impossible machines.
 *
 * These run QEMU as a user would and read what it prints.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "libqtest.h"
#include "armkvm-poweroff-blob.h"

#include <sys/utsname.h>

typedef struct QemuRun {
    int status;
    char *out;
    char *err;
} QemuRun;

static char *poweroff_blob;

/* Runs the QEMU under test with args (split on spaces) and a time limit. */
static QemuRun run_qemu(const char *args)
{
    const char *qemu = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *cmd = g_strdup_printf("timeout -s KILL 60 %s -nographic "
                                           "-monitor none %s", qemu, args);
    g_auto(GStrv) argv = g_strsplit(cmd, " ", -1);
    QemuRun r = { 0 };
    GError *error = NULL;
    int wait_status;

    g_assert_nonnull(qemu);
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
                               NULL, &r.out, &r.err, &wait_status, &error));
    g_assert_no_error(error);
    g_assert_true(WIFEXITED(wait_status));
    r.status = WEXITSTATUS(wait_status);
    return r;
}

static void qemu_run_free(QemuRun *r)
{
    g_free(r->out);
    g_free(r->err);
}

static void expect_failure(const char *args, const char *message)
{
    QemuRun r = run_qemu(args);

    if (!strstr(r.err, message)) {
        g_test_message("stderr: %s", r.err);
    }
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, message));
    qemu_run_free(&r);
}

static QemuRun expect_poweroff(const char *accel)
{
    g_autofree char *args = g_strdup_printf("-M armkvm-virt %s -kernel %s",
                                            accel, poweroff_blob);
    QemuRun r = run_qemu(args);

    if (r.status) {
        g_test_message("stderr: %s", r.err);
    }
    g_assert_cmpint(r.status, ==, 0);
    return r;
}

static bool host_is_arm(void)
{
    struct utsname u;

    return uname(&u) == 0 && g_str_has_prefix(u.machine, "armv");
}

static void test_listed(void)
{
    QemuRun r = run_qemu("-accel help");

    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "\narmkvm\n"));
    qemu_run_free(&r);

    r = run_qemu("-M help");
    g_assert_nonnull(strstr(r.out, "armkvm-virt "));
    qemu_run_free(&r);
}

static void test_not_arm_host(void)
{
    if (host_is_arm()) {
        g_test_skip("an ARM host: the lab suite tests the module checks");
        return;
    }
    expect_failure("-M armkvm-virt -accel armkvm",
                   "this host is not an ARMv6/ARMv7 machine");
    expect_failure("-M armkvm-virt -accel armkvm,mode=privileged",
                   "this host is not an ARMv6/ARMv7 machine");
    expect_failure("-M armkvm-virt -accel armkvm,mode=isolated",
                   "this host is not an ARMv6/ARMv7 machine");
}

static void test_fallback(void)
{
    QemuRun r;

    if (host_is_arm()) {
        g_test_skip("an ARM host: the lab suite tests the fallback");
        return;
    }
    r = expect_poweroff("-accel armkvm -accel tcg");
    g_assert_nonnull(strstr(r.err, "falling back to tcg"));
    qemu_run_free(&r);
}

static void test_mode_tcg(void)
{
    QemuRun r = expect_poweroff("-accel armkvm,mode=tcg");

    g_assert_null(strstr(r.err, "falling back"));
    qemu_run_free(&r);
}

static void test_bad_mode(void)
{
    expect_failure("-M armkvm-virt -accel armkvm,mode=fast",
                   "armkvm: unknown mode 'fast'");
}

static void test_modes_not_built(void)
{
    expect_failure("-M armkvm-virt -accel armkvm,mode=trustzone",
                   "mode 'trustzone' is not supported yet");
}

static void test_bad_machine(void)
{
    expect_failure("-M armkvm-virt -accel tcg -m 4G",
                   "does not fit below 4 GiB");
    expect_failure("-M armkvm-virt,ram-base=0x1000 -accel tcg",
                   "must be a multiple of 16 MiB");
    expect_failure("-M armkvm-virt -accel tcg -smp 5",
                   "max CPUs supported by machine 'armkvm-virt' is 4");
    expect_failure("-M armkvm-virt -accel tcg -cpu cortex-a9",
                   "Invalid CPU model");
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    poweroff_blob = armkvm_write_poweroff_blob();

    qtest_add_func("armkvm-accel/listed", test_listed);
    qtest_add_func("armkvm-accel/not-arm-host", test_not_arm_host);
    qtest_add_func("armkvm-accel/fallback", test_fallback);
    qtest_add_func("armkvm-accel/mode-tcg", test_mode_tcg);
    qtest_add_func("armkvm-accel/bad-mode", test_bad_mode);
    qtest_add_func("armkvm-accel/modes-not-built", test_modes_not_built);
    qtest_add_func("armkvm-accel/bad-machine", test_bad_machine);
    ret = g_test_run();
    unlink(poweroff_blob);
    g_free(poweroff_blob);
    return ret;
}
