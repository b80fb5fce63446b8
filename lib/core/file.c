/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file.h"
#include "mefw/core.h"
#include "util.h"

/*
 * The live mappings, so that a SIGBUS handler (the CLI's) can tell "an input shrank while it was
 * read" from a real fault, async-signal-safely: slots are claimed and released with atomics and
 * read without a lock. A mapping that finds no free slot is still made, just not recognized.
 */
#define MAPPINGS_MAX 64
static struct {
        uintptr_t start; /* 0: free */
        size_t size;
} mappings[MAPPINGS_MAX];

static void mapping_register(const void *p, size_t size) {
        for (size_t i = 0; i < MAPPINGS_MAX; i++) {
                uintptr_t expected = 0;
                if (__atomic_load_n(&mappings[i].start, __ATOMIC_RELAXED) == 0 &&
                    __atomic_compare_exchange_n(&mappings[i].start, &expected, UINTPTR_MAX, false, __ATOMIC_ACQ_REL,
                                                __ATOMIC_RELAXED)) {
                        __atomic_store_n(&mappings[i].size, size, __ATOMIC_RELAXED);
                        __atomic_store_n(&mappings[i].start, (uintptr_t) p, __ATOMIC_RELEASE);
                        return;
                }
        }
}

static void mapping_unregister(const void *p) {
        for (size_t i = 0; i < MAPPINGS_MAX; i++)
                if (__atomic_load_n(&mappings[i].start, __ATOMIC_ACQUIRE) == (uintptr_t) p) {
                        __atomic_store_n(&mappings[i].start, 0, __ATOMIC_RELEASE);
                        return;
                }
}

bool mefw_mapping_contains(const void *addr, const void **ret_start, size_t *ret_size) {
        uintptr_t a = (uintptr_t) addr;
        for (size_t i = 0; i < MAPPINGS_MAX; i++) {
                uintptr_t start = __atomic_load_n(&mappings[i].start, __ATOMIC_ACQUIRE);
                size_t size = __atomic_load_n(&mappings[i].size, __ATOMIC_RELAXED);
                if (start == 0 || start == UINTPTR_MAX || a < start || a - start >= size)
                        continue;
                if (ret_start)
                        *ret_start = (const void *) start;
                if (ret_size)
                        *ret_size = size;
                return true;
        }
        return false;
}

void mefw_mapping_release(const void *start, size_t size) {
        mapping_unregister(start);
        munmap((void *) start, size);
}

int mefw_map_file(const char *path, mefw_mapped_file *ret) {
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;

        struct stat st;
        if (fstat(fd, &st) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        if (S_ISDIR(st.st_mode)) {
                close(fd);
                return -EISDIR;
        }
        if (!S_ISREG(st.st_mode)) {
                close(fd);
                return -EINVAL;
        }
        if ((uint64_t) st.st_size > MEFW_MAX_INPUT_SIZE) {
                close(fd);
                return -EFBIG;
        }

        mefw_mapped_file f = { .size = (size_t) st.st_size };
        if (f.size > 0) {
                void *p = mmap(NULL, f.size, PROT_READ, MAP_PRIVATE, fd, 0);
                if (p == MAP_FAILED) {
                        int r = -errno;
                        close(fd);
                        return r;
                }
                f.map = p;
                f.map_size = f.size;
                f.data = p;
                mapping_register(p, f.size);
        }
        close(fd);
        *ret = f;
        return 0;
}

void mefw_unmap_file(mefw_mapped_file *f) {
        if (f->map) {
                mapping_unregister(f->map);
                munmap(f->map, f->map_size);
        }
        *f = (mefw_mapped_file){};
}

/* ---- writing ---- */

static int write_all(int fd, const uint8_t *data, size_t size) {
        while (size > 0) {
                ssize_t n = write(fd, data, size);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        return -EIO;
                data += n;
                size -= (size_t) n;
        }
        return 0;
}

/* The process umask, read without changing it for longer than this call. */
static mode_t current_umask(void) {
        mode_t m = umask(0022);
        umask(m);
        return m;
}

/*
 * Where an output named 'path' really goes: a symlink is written through (its final target is
 * replaced, in the target's directory, and the link stays a link). *ret_exists tells whether
 * that file exists, with its status in *ret_st. -EISDIR for a directory, -ENOTSUP for a device,
 * FIFO or socket (never replaced by a regular file), -ENOLINK for a link that points nowhere.
 */
static int output_target(const char *path, char **ret_target, bool *ret_exists, struct stat *ret_st) {
        struct stat st;
        if (lstat(path, &st) < 0) {
                if (errno != ENOENT)
                        return -errno;
                char *t = strdup(path);
                if (!t)
                        return -ENOMEM;
                *ret_target = t;
                *ret_exists = false;
                return 0;
        }
        char *target = NULL;
        if (S_ISLNK(st.st_mode)) {
                target = realpath(path, NULL);
                if (!target)
                        return errno == ENOENT ? -ENOLINK : -errno;
                if (stat(target, &st) < 0) {
                        int r = -errno;
                        free(target);
                        return r;
                }
        } else if (!(target = strdup(path)))
                return -ENOMEM;
        if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode)) {
                free(target);
                return S_ISDIR(st.st_mode) ? -EISDIR : -ENOTSUP;
        }
        *ret_target = target;
        *ret_exists = true;
        *ret_st = st;
        return 0;
}

/* Signals that end the process: held while a temporary file exists, so that none is left. */
static void terminating_signals(sigset_t *set) {
        sigemptyset(set);
        sigaddset(set, SIGINT);
        sigaddset(set, SIGTERM);
        sigaddset(set, SIGHUP);
        sigaddset(set, SIGQUIT);
}

static bool termination_pending(void) {
        sigset_t pending, term;
        terminating_signals(&term);
        if (sigpending(&pending) < 0)
                return false;
        for (int sig = 1; sig < NSIG; sig++)
                if (sigismember(&term, sig) == 1 && sigismember(&pending, sig) == 1)
                        return true;
        return false;
}

/* A fresh name for a temporary file in dir: ".NAME.mefw-XXXXXX". */
static int temp_name(const char *base, char *buf, size_t len) {
        static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
        static unsigned long counter;
        unsigned long x = (unsigned long) getpid() * 2654435761u ^ (unsigned long) time(NULL) ^
                          __atomic_add_fetch(&counter, 0x9E3779B9u, __ATOMIC_RELAXED);
        char suffix[7];
        for (size_t i = 0; i < 6; i++) {
                suffix[i] = digits[x % (sizeof digits - 1)];
                x = x / (sizeof digits - 1) + (x << 7) + i;
        }
        suffix[6] = 0;
        int n = snprintf(buf, len, ".%.200s.mefw-%s", base, suffix);
        return n > 0 && (size_t) n < len ? 0 : -ENAMETOOLONG;
}

/*
 * An unnamed file in dirfd (O_TMPFILE) where the filesystem has them, else a named one whose name
 * goes to tmp. *ret_named says which.
 */
static int temp_open(int dirfd, const char *base, mode_t mode, char *tmp, size_t tmp_len, bool *ret_named) {
#ifdef O_TMPFILE
        int fd = openat(dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, mode);
        if (fd >= 0) {
                *ret_named = false;
                return fd;
        }
        if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT)
                return -errno;
#endif
        for (unsigned attempt = 0; attempt < 100; attempt++) {
                int r = temp_name(base, tmp, tmp_len);
                if (r < 0)
                        return r;
                int named_fd = openat(dirfd, tmp, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC | O_NOFOLLOW, mode);
                if (named_fd >= 0) {
                        *ret_named = true;
                        return named_fd;
                }
                if (errno != EEXIST)
                        return -errno;
        }
        return -EEXIST;
}

/* Give an unnamed temporary file a name in dirfd, for the rename. */
static int temp_link(int fd, int dirfd, const char *base, char *tmp, size_t tmp_len) {
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        for (unsigned attempt = 0; attempt < 100; attempt++) {
                int r = temp_name(base, tmp, tmp_len);
                if (r < 0)
                        return r;
                if (linkat(AT_FDCWD, proc, dirfd, tmp, AT_SYMLINK_FOLLOW) == 0)
                        return 0;
                if (errno == EEXIST)
                        continue;
                if (errno == ENOENT && linkat(fd, "", dirfd, tmp, AT_EMPTY_PATH) == 0) /* no /proc */
                        return 0;
                return -errno;
        }
        return -EEXIST;
}

/* Read back what the disk holds, not what we meant to write; then let the caller re-parse it. */
static int read_back(int fd, const uint8_t *data, size_t size,
                     int (*verify)(const uint8_t *data, size_t size, void *userdata), void *userdata) {
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        if ((uint64_t) st.st_size != size)
                return -EIO;
        if (size == 0)
                return verify ? verify(NULL, 0, userdata) : 0;
        void *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED)
                return -errno;
        int r = memcmp(p, data, size) != 0 ? -EIO : verify ? verify(p, size, userdata) : 0;
        munmap(p, size);
        return r;
}

static int write_and_rename(int dirfd, const char *base, const uint8_t *data, size_t size, bool exists,
                            const struct stat *old, bool no_replace,
                            int (*verify)(const uint8_t *data, size_t size, void *userdata), void *userdata) {
        /* An in-place edit keeps the file's mode and owner; a new file gets the usual 0644 & ~umask. */
        mode_t mode = exists ? (old->st_mode & 07777) : (0644 & ~current_umask());
        char tmp[NAME_MAX + 1];
        bool named = false;
        int fd = temp_open(dirfd, base, 0600, tmp, sizeof tmp, &named);
        if (fd < 0)
                return fd;
        int r = write_all(fd, data, size);
        if (r >= 0 && exists && fchown(fd, old->st_uid, old->st_gid) < 0 && errno != EPERM)
                r = -errno;
        if (r >= 0 && fchmod(fd, mode) < 0)
                r = -errno;
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        if (r >= 0)
                r = read_back(fd, data, size, verify, userdata);
        if (r >= 0 && termination_pending())
                r = -EINTR; /* interrupted: leave the old file as it was */
        if (r >= 0 && !named) {
                r = temp_link(fd, dirfd, base, tmp, sizeof tmp);
                named = r >= 0;
        }
        if (close(fd) < 0 && r >= 0)
                r = -errno;
        if (r >= 0 && no_replace) {
                /* a link fails when the name exists, whatever appeared there meanwhile */
                if (linkat(dirfd, tmp, dirfd, base, 0) < 0)
                        r = -errno;
                else
                        (void) unlinkat(dirfd, tmp, 0);
                named = r < 0;
        } else if (r >= 0 && renameat(dirfd, tmp, dirfd, base) < 0)
                r = -errno;
        if (r < 0) {
                if (named)
                        (void) unlinkat(dirfd, tmp, 0);
                return r;
        }
        (void) fsync(dirfd);
        return 0;
}

int mefw_write_file_atomic(const char *path, const uint8_t *data, size_t size,
                           int (*verify)(const uint8_t *data, size_t size, void *userdata), void *userdata) {
        _cleanup_free_ char *target = NULL;
        bool exists = false;
        struct stat old = {};
        int r = output_target(path, &target, &exists, &old);
        if (r < 0)
                return r;
        _cleanup_free_ char *dir_copy = strdup(target), *base_copy = strdup(target);
        if (!dir_copy || !base_copy)
                return -ENOMEM;
        const char *dir = dirname(dir_copy), *base = basename(base_copy);
        if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || strcmp(base, "/") == 0)
                return -EISDIR;
        int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return -errno;

        /* Hold the signals that would end the process until the temporary file is gone or renamed;
         * one that came meanwhile makes the write give up (-EINTR) and is delivered after. */
        sigset_t term, saved;
        terminating_signals(&term);
        pthread_sigmask(SIG_BLOCK, &term, &saved);
        r = write_and_rename(dirfd, base, data, size, exists, &old, false, verify, userdata);
        close(dirfd);
        pthread_sigmask(SIG_SETMASK, &saved, NULL);
        return r;
}

int mefw_write_file_at(int dirfd, const char *name, const uint8_t *data, size_t size, bool replace,
                       int (*verify)(const uint8_t *data, size_t size, void *userdata), void *userdata) {
        if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
                return -EINVAL;
        struct stat old = {};
        bool exists = fstatat(dirfd, name, &old, AT_SYMLINK_NOFOLLOW) == 0;
        if (!exists && errno != ENOENT)
                return -errno;
        if (exists && S_ISLNK(old.st_mode))
                return -ELOOP;
        if (exists && S_ISDIR(old.st_mode))
                return -EISDIR;
        if (exists && !S_ISREG(old.st_mode))
                return -ENOTSUP;
        if (exists && !replace)
                return -EEXIST;
        sigset_t term, saved;
        terminating_signals(&term);
        pthread_sigmask(SIG_BLOCK, &term, &saved);
        int r = write_and_rename(dirfd, name, data, size, exists, &old, !exists, verify, userdata);
        pthread_sigmask(SIG_SETMASK, &saved, NULL);
        return r;
}
