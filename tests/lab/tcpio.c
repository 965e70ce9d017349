/*
 * tcpio: one TCP transfer or measurement, the same program in the lab host and
 * in the guest (static armhf), for the virtio-net tests and scripts/bench-io.sh.
 *
 *   tcpio recv PORT                 accept one connection; peer's bytes to stdout
 *   tcpio send HOST PORT            stdin to HOST:PORT
 *   tcpio sink PORT                 accept one connection, count it; prints
 *                                   "sink: BYTES bytes in SECONDS s, MiB/s"
 *   tcpio source HOST PORT MIB      send MIB MiB of a pattern to a sink
 *   tcpio pump PORT MIB             accept one connection and send it MIB MiB
 *   tcpio drain HOST PORT           connect and count what arrives (as sink)
 *   tcpio echo PORT                 accept one connection, echo until EOF
 *   tcpio rr HOST PORT COUNT        COUNT one-byte request/responses; prints
 *                                   "rr: COUNT in SECONDS s, USEC us each"
 *
 * A transfer ends with the receiver's one-byte acknowledgement after EOF, and
 * the sender retries from the start until it gets it: a port forwarder (QEMU's
 * user network) accepts a connection before the guest listens, and drops it.
 * Connecting (and sending until acknowledged) retries for 240 s, so either
 * side may start first: a Linux guest under TCG nested in the lab can take
 * more than a minute to boot to its listener (virtio-net once missed 60 s).
 *
 * Copyright (c) 2026 The armkvm developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ACK 'K'
#define CHUNK 65536
#define CONNECT_TRIES 2400          /* 100 ms apart */

static void die(const char *what)
{
    fprintf(stderr, "tcpio: %s: %s\n", what, strerror(errno));
    exit(1);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int port_of(const char *s)
{
    int p = atoi(s);

    if (p <= 0 || p > 65535) {
        fprintf(stderr, "tcpio: bad port '%s'\n", s);
        exit(2);
    }
    return p;
}

static int accept_one(int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    int one = 1, ls, s;

    ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 0) {
        die("socket");
    }
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1)) {
        die("bind/listen");
    }
    s = accept(ls, NULL, NULL);
    if (s < 0) {
        die("accept");
    }
    close(ls);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return s;
}

static int connect_to(const char *host, int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    int one = 1;

    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        fprintf(stderr, "tcpio: bad IPv4 address '%s'\n", host);
        exit(2);
    }
    for (int i = 0; i < CONNECT_TRIES; i++) {
        int s = socket(AF_INET, SOCK_STREAM, 0);

        if (s < 0) {
            die("socket");
        }
        if (!connect(s, (struct sockaddr *)&a, sizeof(a))) {
            setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            return s;
        }
        close(s);
        usleep(100000);
    }
    die("connect");
    return -1;
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);

        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            die("write");
        }
        p += w;
        n -= w;
    }
}

/* Everything from fd until EOF, into a growing buffer. */
static char *read_all(int fd, size_t *len)
{
    size_t cap = CHUNK, n = 0;
    char *buf = malloc(cap);

    for (;;) {
        ssize_t r;

        if (!buf) {
            die("malloc");
        }
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            continue;
        }
        r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            die("read");
        }
        if (r == 0) {
            break;
        }
        n += r;
    }
    *len = n;
    return buf;
}

static int do_recv(int port)
{
    int s = accept_one(port);
    size_t n;
    char *data = read_all(s, &n);
    char ack = ACK;

    write_all(s, &ack, 1);
    close(s);
    write_all(1, data, n);
    return 0;
}

static int do_send(const char *host, int port)
{
    size_t n;
    char *data = read_all(0, &n);

    for (int i = 0; i < CONNECT_TRIES; i++) {
        int s = connect_to(host, port);
        char ack = 0;

        write_all(s, data, n);
        shutdown(s, SHUT_WR);
        if (read(s, &ack, 1) == 1 && ack == ACK) {
            close(s);
            return 0;
        }
        close(s);
        usleep(100000);
    }
    fprintf(stderr, "tcpio: no acknowledgement from %s:%d\n", host, port);
    return 1;
}

static void count(int s, const char *who)
{
    static char buf[CHUNK];
    unsigned long long total = 0;
    double t0 = now(), t;
    ssize_t r;

    while ((r = read(s, buf, sizeof(buf))) != 0) {
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            die("read");
        }
        total += r;
    }
    t = now() - t0;
    printf("%s: %llu bytes in %.3f s, %.1f MiB/s\n", who, total, t,
           t > 0 ? total / 1048576.0 / t : 0.0);
}

static void stream(int s, long mib)
{
    static char buf[CHUNK];

    for (size_t i = 0; i < sizeof(buf); i++) {
        buf[i] = (char)(i * 7 + 1);
    }
    for (long i = 0; i < mib * (1048576 / CHUNK); i++) {
        write_all(s, buf, sizeof(buf));
    }
    shutdown(s, SHUT_WR);
    /* Wait for the peer to close: the figure is the receiver's. */
    while (read(s, buf, sizeof(buf)) > 0) {
    }
}

static int do_echo(int port)
{
    int s = accept_one(port);
    char buf[256];
    ssize_t r;

    while ((r = read(s, buf, sizeof(buf))) > 0) {
        write_all(s, buf, r);
    }
    close(s);
    return 0;
}

static int do_rr(const char *host, int port, long n)
{
    int s = connect_to(host, port);
    double t0 = now(), t;
    char c = 'x';

    for (long i = 0; i < n; i++) {
        write_all(s, &c, 1);
        if (read(s, &c, 1) != 1) {
            die("rr read");
        }
    }
    t = now() - t0;
    close(s);
    printf("rr: %ld in %.3f s, %.1f us each\n", n, t, n ? t * 1e6 / n : 0.0);
    return 0;
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";
    int s;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(m, "recv") && argc == 3) {
        return do_recv(port_of(argv[2]));
    }
    if (!strcmp(m, "send") && argc == 4) {
        return do_send(argv[2], port_of(argv[3]));
    }
    if (!strcmp(m, "sink") && argc == 3) {
        s = accept_one(port_of(argv[2]));
        count(s, "sink");
        close(s);
        return 0;
    }
    if (!strcmp(m, "source") && argc == 5) {
        s = connect_to(argv[2], port_of(argv[3]));
        stream(s, atol(argv[4]));
        close(s);
        return 0;
    }
    if (!strcmp(m, "pump") && argc == 4) {
        s = accept_one(port_of(argv[2]));
        stream(s, atol(argv[3]));
        close(s);
        return 0;
    }
    if (!strcmp(m, "drain") && argc == 4) {
        s = connect_to(argv[2], port_of(argv[3]));
        count(s, "drain");
        close(s);
        return 0;
    }
    if (!strcmp(m, "echo") && argc == 3) {
        return do_echo(port_of(argv[2]));
    }
    if (!strcmp(m, "rr") && argc == 5) {
        return do_rr(argv[2], port_of(argv[3]), atol(argv[4]));
    }
    fprintf(stderr, "usage: see the comment at the top of tests/lab/tcpio.c\n");
    return 2;
}
