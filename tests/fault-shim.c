/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fault injection for tests/test-faults.sh, loaded with LD_PRELOAD into the mefw command. It
 * makes the rare races of real life happen every time:
 *  - MEFW_SHIM_SHRINK=SUFFIX: right after a read-only mapping of a file whose path ends in
 *    SUFFIX is made, that file is cut to MEFW_SHIM_SHRINK_TO bytes (default 0), as a file on a
 *    share being rewritten would be; reading the lost pages then raises SIGBUS.
 *  - MEFW_SHIM_SIGNAL_IN_FSYNC=N: the first fsync() sends signal N to the process first, as a
 *    Ctrl-C or a 'kill' during a write would.
 * Nothing here is part of mefw; it is built for the tests only.
 */
#include <dlfcn.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

typedef void *(*mmap_fn)(void *, size_t, int, int, int, off_t);
typedef int (*fsync_fn)(int);

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int fsync(int fd);

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
        static mmap_fn real;
        if (!real)
                real = (mmap_fn) dlsym(RTLD_NEXT, "mmap");
        void *p = real(addr, len, prot, flags, fd, off);
        const char *suffix = getenv("MEFW_SHIM_SHRINK");
        if (p == MAP_FAILED || fd < 0 || !suffix || !*suffix || (prot & PROT_WRITE))
                return p;
        char link[64], path[PATH_MAX];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, path, sizeof path - 1);
        if (n <= 0)
                return p;
        path[n] = 0;
        size_t sl = strlen(suffix), pl = (size_t) n;
        if (pl >= sl && strcmp(path + pl - sl, suffix) == 0) {
                const char *to = getenv("MEFW_SHIM_SHRINK_TO");
                if (truncate(path, to ? strtoll(to, NULL, 0) : 0) < 0)
                        perror("fault-shim: truncate");
        }
        return p;
}

int fsync(int fd) {
        static fsync_fn real;
        static int fired;
        if (!real)
                real = (fsync_fn) dlsym(RTLD_NEXT, "fsync");
        const char *sig = getenv("MEFW_SHIM_SIGNAL_IN_FSYNC");
        if (sig && !fired) {
                fired = 1;
                kill(getpid(), atoi(sig));
        }
        return real(fd);
}
