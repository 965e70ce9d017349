/*
 * A scripted debugger session against QEMU's gdbstub, for the lab (which has
 * no gdb): it speaks gdb's remote serial protocol as gdb does, to a QEMU
 * started with -s -S on GUEST.elf, and checks what a user of `target remote`
 * relies on first:
 *   - the stop reply of a machine held at reset (-S);
 *   - the registers (g, p): pc at the image's entry point, a privileged mode;
 *   - memory (m): the word at the entry point is the image's;
 *   - writes (P, M): r0 written and read back, then restored; the entry word
 *     written back as it was;
 *   - a breakpoint (Z0): the stub's answer, printed on a line of its own
 *     ("breakpoint:"), since accelerators differ there;
 *   - c: the guest runs to its end once the debugger lets it go; or, with
 *     "interrupt", twice: an interrupt (gdb's Ctrl-C) stops it inside the
 *     image, and after the second one the session kills QEMU (k);
 *   - with "step" (guest/baremetal/steps.S): a breakpoint at the image's
 *     symbol bp_here, continue to it, a few steps (s), a Thumb breakpoint at
 *     thumb_code, continue to it, then steps to steps_end, each step's pc,
 *     CPSR (flags, IT, T, mode) and a digest of r0-r14 printed, so that the
 *     lines are TCG's only if every step landed where TCG's did; then steps
 *     through the guest's own BKPT, its prefetch abort handler (abort mode)
 *     and its return to after_bkpt, through its own copy of armkvm's step UDF
 *     to after_udf, and a breakpoint at after_bkpt2, past a
 *     second BKPT of its own, which the guest must take (its handler counts
 *     them in r12) before the stop there.
 * Or, against a Linux guest running with its MMU on: gdb-probe PORT kernel
 * ADDR: an interrupt, a breakpoint at the kernel function at virtual ADDR,
 * continue to it, the breakpoint removed, five steps, continue to the end
 * (or, with "kill", kill QEMU there).
 * usage: gdb-probe PORT GUEST.elf [interrupt|step]
 *        gdb-probe PORT kernel ADDR [kill]
 * Prints one line per step; exits 1 at the first step that fails.
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int sock = -1;

static void fail(const char *what)
{
    printf("gdb-probe: %s\n", what);
    exit(1);
}

static int get_char(void)
{
    unsigned char c;
    ssize_t n = read(sock, &c, 1);

    return n == 1 ? c : -1;
}

static void send_packet(const char *data)
{
    char buf[1024];
    unsigned int sum = 0;
    size_t i;
    int c;

    for (i = 0; data[i]; i++) {
        sum += (unsigned char)data[i];
    }
    snprintf(buf, sizeof(buf), "$%s#%02x", data, sum & 0xff);
    if (write(sock, buf, strlen(buf)) != (ssize_t)strlen(buf)) {
        fail("write to the gdbstub failed");
    }
    c = get_char();         /* the stub's acknowledgement */
    if (c != '+') {
        fail("no '+' from the gdbstub");
    }
}

/* A packet's data into buf (NUL-terminated); -1 once the stub has gone. */
static int recv_packet(char *buf, size_t size)
{
    size_t n = 0;
    int c;

    do {
        c = get_char();
        if (c < 0) {
            return -1;
        }
    } while (c != '$');
    while ((c = get_char()) >= 0 && c != '#') {
        if (n + 1 < size) {
            buf[n++] = c;
        }
    }
    buf[n] = 0;
    if (c < 0 || get_char() < 0 || get_char() < 0) {
        return -1;
    }
    if (write(sock, "+", 1) != 1) {
        return -1;
    }
    return 0;
}

static void exchange(const char *cmd, char *reply, size_t size)
{
    send_packet(cmd);
    if (recv_packet(reply, size)) {
        fail("the gdbstub went away");
    }
}

static unsigned int hex_digit(char c)
{
    return c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0';
}

/* A little-endian word as the protocol gives it: 8 hex digits. */
static uint32_t hex_le32(const char *s)
{
    uint32_t v = 0;
    int i;

    for (i = 3; i >= 0; i--) {
        v = v << 8 | hex_digit(s[2 * i]) << 4 | hex_digit(s[2 * i + 1]);
    }
    return v;
}

static void le32_hex(uint32_t v, char *out)
{
    snprintf(out, 9, "%02x%02x%02x%02x", v & 0xff, (v >> 8) & 0xff,
             (v >> 16) & 0xff, v >> 24);
}

/* The entry point and the word there, from the image's loadable segments. */
static void image_entry(const char *path, uint32_t *entry, uint32_t *word)
{
    Elf32_Ehdr eh;
    Elf32_Phdr ph;
    int fd = open(path, O_RDONLY), i;
    off_t at;

    if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
        memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
        fail("cannot read the guest's ELF header");
    }
    *entry = eh.e_entry;
    for (i = 0; i < eh.e_phnum; i++) {
        at = eh.e_phoff + i * eh.e_phentsize;
        if (pread(fd, &ph, sizeof(ph), at) != sizeof(ph)) {
            break;
        }
        if (ph.p_type == PT_LOAD && eh.e_entry >= ph.p_vaddr &&
            eh.e_entry - ph.p_vaddr + 4 <= ph.p_filesz) {
            at = ph.p_offset + eh.e_entry - ph.p_vaddr;
            if (pread(fd, word, 4, at) == 4) {
                close(fd);
                return;
            }
        }
    }
    fail("the entry point is in no loadable segment");
}

/* The value of symbol name in the image's symbol table. */
static uint32_t image_symbol(const char *path, const char *name)
{
    Elf32_Ehdr eh;
    Elf32_Shdr sh, strh;
    Elf32_Sym sym;
    char sname[64];
    int fd = open(path, O_RDONLY), i;
    unsigned int j;

    if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh)) {
        fail("cannot read the guest's ELF header");
    }
    for (i = 0; i < eh.e_shnum; i++) {
        if (pread(fd, &sh, sizeof(sh), eh.e_shoff + i * eh.e_shentsize) !=
            sizeof(sh) || sh.sh_type != SHT_SYMTAB) {
            continue;
        }
        if (pread(fd, &strh, sizeof(strh),
                  eh.e_shoff + sh.sh_link * eh.e_shentsize) != sizeof(strh)) {
            break;
        }
        for (j = 0; j < sh.sh_size / sizeof(sym); j++) {
            if (pread(fd, &sym, sizeof(sym), sh.sh_offset + j * sizeof(sym)) !=
                sizeof(sym) ||
                pread(fd, sname, sizeof(sname), strh.sh_offset + sym.st_name) <= 0) {
                break;
            }
            sname[sizeof(sname) - 1] = 0;
            if (!strcmp(sname, name)) {
                close(fd);
                return sym.st_value & ~1u;
            }
        }
    }
    fail("a symbol the probe needs is not in the image");
    return 0;
}

/* Where the vCPU stands: pc, CPSR, and a digest of r0-r14. */
static void where(uint32_t *pc, uint32_t *cpsr, uint32_t *digest)
{
    char reply[4096];
    int i;

    exchange("g", reply, sizeof(reply));
    if (strlen(reply) < 16 * 8) {
        fail("short register packet");
    }
    *digest = 0;
    for (i = 0; i < 15; i++) {
        *digest = (*digest << 5 | *digest >> 27) ^ hex_le32(reply + i * 8);
    }
    *pc = hex_le32(reply + 15 * 8);
    exchange("p19", reply, sizeof(reply));
    /* N, Z, C, V, IT, T, mode: not the masks, which accelerators may differ in. */
    *cpsr = hex_le32(reply) & 0xf600fc3f;
}

/* One breakpoint of gdb's kind at addr, continue to it, and remove it. */
static void run_to(const char *what, uint32_t addr, int kind)
{
    char reply[4096], cmd[64];
    uint32_t pc, cpsr, digest;

    snprintf(cmd, sizeof(cmd), "Z0,%x,%d", addr, kind);
    exchange(cmd, reply, sizeof(reply));
    printf("breakpoint at %s: %s\n", what, reply);
    exchange("c", reply, sizeof(reply));
    where(&pc, &cpsr, &digest);
    printf("stopped at %s: %c%.2s, pc %s, cpsr %08x, regs %08x\n", what,
           reply[0], reply + 1, pc == addr ? "there" : "elsewhere", cpsr,
           digest);
    snprintf(cmd, sizeof(cmd), "z0,%x,%d", addr, kind);
    exchange(cmd, reply, sizeof(reply));
    printf("breakpoint at %s removed: %s\n", what, reply);
}

/* Steps until pc is end, or n of them; each printed. */
static void step(uint32_t entry, int n, uint32_t end)
{
    char reply[4096];
    uint32_t pc, cpsr, digest;
    int i;

    for (i = 0; i < n; i++) {
        exchange("s", reply, sizeof(reply));
        where(&pc, &cpsr, &digest);
        printf("step: %c%.2s +0x%x cpsr %08x regs %08x\n", reply[0],
               reply + 1, pc - entry, cpsr, digest);
        if (pc == end) {
            printf("stepped to the end\n");
            return;
        }
    }
}

/* Kill: QEMU exits at once, perhaps before its acknowledgement. */
static int kill_session(void)
{
    if (write(sock, "$k#6b", 5) != 5) {
        fail("write to the gdbstub failed");
    }
    close(sock);
    printf("killed\n");
    return 0;
}

/* Let it run: the stub answers when the machine stops, or goes with QEMU. */
static int continue_to_end(void)
{
    char reply[4096];

    send_packet("c");
    if (recv_packet(reply, sizeof(reply)) == 0) {
        printf("after continue: %c\n", reply[0]);
    } else {
        printf("after continue: QEMU gone\n");
    }
    close(sock);
    return 0;
}

/* A Linux guest: a breakpoint and steps at a kernel address (virtual, MMU on). */
#define KERNEL_STOP_TRIES  600

static int kernel_session(uint32_t addr, bool kill_after)
{
    char reply[4096], cmd[64];
    uint32_t pc, cpsr, digest;
    int i;

    /*
     * Let it boot; an interrupt then stops it. Stopped before its kernel's
     * MMU is on (the decompressor: isolated mode's is slow), or in user mode
     * (QEMU's walk uses the current privilege, under TCG too), the kernel's
     * addresses do not translate: let it go on and stop it again, for up to
     * five minutes.
     */
    send_packet("c");
    sleep(5);
    for (i = 0; i < KERNEL_STOP_TRIES; i++) {
        if (i) {
            send_packet("c");
            usleep(500000);
        }
        if (write(sock, "\x03", 1) != 1 || recv_packet(reply, sizeof(reply))) {
            fail("no stop after an interrupt");
        }
        if (!i) {
            printf("interrupt: stop reply %c%.2s\n", reply[0], reply + 1);
        }
        where(&pc, &cpsr, &digest);
        if ((cpsr & 0x1f) != 0x10 && pc >= 0xc0000000) {
            break;
        }
    }
    printf("stopped in the kernel in a privileged mode: %s\n",
           i < KERNEL_STOP_TRIES ? "yes" : "no");
    snprintf(cmd, sizeof(cmd), "m%x,4", addr);
    exchange(cmd, reply, sizeof(reply));
    printf("kernel text at the breakpoint's address: %s\n",
           strlen(reply) == 8 ? "readable" : reply);
    snprintf(cmd, sizeof(cmd), "Z0,%x,4", addr);
    exchange(cmd, reply, sizeof(reply));
    printf("kernel breakpoint: %s\n", reply);
    exchange("c", reply, sizeof(reply));
    where(&pc, &cpsr, &digest);
    printf("stopped at the kernel breakpoint: %c%.2s, pc %s, mode %02x\n",
           reply[0], reply + 1, pc == addr ? "there" : "elsewhere", cpsr & 0x1f);
    /* As gdb does: breakpoints out while stepping from one. */
    snprintf(cmd, sizeof(cmd), "z0,%x,4", addr);
    exchange(cmd, reply, sizeof(reply));
    printf("kernel breakpoint removed: %s\n", reply);
    for (i = 1; i <= 5; i++) {
        exchange("s", reply, sizeof(reply));
        where(&pc, &cpsr, &digest);
        printf("kernel step %d: %c%.2s, pc %s\n", i, reply[0], reply + 1,
               pc >= 0xc0000000 && pc != addr ? "in the kernel, moved" : "wrong");
    }
    if (kill_after) {
        return kill_session();
    }
    return continue_to_end();
}

int main(int argc, char **argv)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    char reply[4096], cmd[128], hex[9];
    uint32_t entry = 0, word = 0, pc, cpsr, r0;
    int tries;

    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: gdb-probe PORT GUEST.elf [interrupt|step]\n"
                "       gdb-probe PORT kernel ADDR [kill]\n");
        return 2;
    }
    if (strcmp(argv[2], "kernel")) {
        image_entry(argv[2], &entry, &word);
    }
    sa.sin_port = htons(atoi(argv[1]));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (tries = 0; tries < 200; tries++) {
        sock = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(sock, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
            break;
        }
        close(sock);
        sock = -1;
        usleep(50000);
    }
    if (sock < 0) {
        fail("no gdbstub listening");
    }
    printf("gdb-probe: connected\n");
    if (!strcmp(argv[2], "kernel")) {
        return kernel_session(argc >= 4 ? strtoul(argv[3], NULL, 16) : 0,
                              argc == 5 && !strcmp(argv[4], "kill"));
    }

    exchange("?", reply, sizeof(reply));
    printf("stop reply: %c%.2s\n", reply[0], reply + 1);

    exchange("g", reply, sizeof(reply));
    if (strlen(reply) < 16 * 8) {
        fail("short register packet");
    }
    pc = hex_le32(reply + 15 * 8);
    r0 = hex_le32(reply);
    printf("pc at the entry point: %s\n", pc == entry ? "yes" : "no");
    exchange("p19", reply, sizeof(reply));      /* cpsr, register 25 */
    cpsr = hex_le32(reply);
    printf("cpsr mode: %s\n", (cpsr & 0x1f) == 0x13 ? "svc" : "other");

    snprintf(cmd, sizeof(cmd), "m%x,4", entry);
    exchange(cmd, reply, sizeof(reply));
    printf("memory at the entry point: %s\n",
           strlen(reply) == 8 && hex_le32(reply) == word ?
           "the image's" : reply);

    exchange("P0=78563412", reply, sizeof(reply));
    exchange("p0", reply, sizeof(reply));
    printf("r0 written and read back: %s\n",
           hex_le32(reply) == 0x12345678 ? "yes" : "no");
    le32_hex(r0, hex);
    snprintf(cmd, sizeof(cmd), "P0=%s", hex);
    exchange(cmd, reply, sizeof(reply));
    snprintf(cmd, sizeof(cmd), "M%x,4:", entry);
    le32_hex(word, hex);
    strcat(cmd, hex);
    exchange(cmd, reply, sizeof(reply));
    printf("memory write: %s\n", reply);

    snprintf(cmd, sizeof(cmd), "Z0,%x,4", entry);
    exchange(cmd, reply, sizeof(reply));
    printf("breakpoint: %s\n", reply[0] ? reply : "(not supported)");
    if (!strcmp(reply, "OK")) {
        snprintf(cmd, sizeof(cmd), "z0,%x,4", entry);
        exchange(cmd, reply, sizeof(reply));
    }

    if (argc == 4 && !strcmp(argv[3], "interrupt")) {
        int round;

        for (round = 1; round <= 2; round++) {
            send_packet("c");
            sleep(1);
            if (write(sock, "\x03", 1) != 1 || recv_packet(reply, sizeof(reply))) {
                fail("no stop after an interrupt");
            }
            printf("interrupt %d: stop reply %c%.2s\n", round, reply[0], reply + 1);
            exchange("g", reply, sizeof(reply));
            pc = hex_le32(reply + 15 * 8);
            printf("interrupt %d: pc inside the image: %s\n", round,
                   pc >= entry && pc < entry + 0x10000 ? "yes" : "no");
        }
        return kill_session();
    }

    if (argc == 4 && !strcmp(argv[3], "step")) {
        run_to("bp_here", image_symbol(argv[2], "bp_here"), 4);
        step(entry, 12, 0);
        run_to("thumb_code", image_symbol(argv[2], "thumb_code"), 2);
        step(entry, 200, image_symbol(argv[2], "steps_end"));
        /* The guest's own BKPTs: its prefetch abort, handled, returns. */
        step(entry, 20, image_symbol(argv[2], "after_bkpt"));
        step(entry, 20, image_symbol(argv[2], "after_udf"));
        run_to("after_bkpt2", image_symbol(argv[2], "after_bkpt2"), 4);
    }

    return continue_to_end();
}
