/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Linux /dev/meiN transport: open, connect one client by UUID (IOCTL_MEI_CONNECT_CLIENT),
 * then one whole message per write() and read(), each bounded by poll() with a timeout so that
 * a firmware that never answers cannot hang us. The kernel adds the HECI header itself.
 */
#include <fcntl.h>
#include <linux/mei.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mefw/status.h"
#include "core/util.h"

typedef struct {
        int fd;
} linux_mei;

static linux_mei *state(mefw_mei_transport *t) {
        return t->userdata;
}

static void linux_close(mefw_mei_transport *t) {
        linux_mei *m = state(t);
        if (!m)
                return;
        if (m->fd >= 0)
                close(m->fd);
        free(m);
        t->userdata = NULL;
}

static int linux_open(mefw_mei_transport *t, const char *device) {
        linux_close(t);
        linux_mei *m = malloc(sizeof *m);
        if (!m)
                return -ENOMEM;
        m->fd = open(device, O_RDWR | O_CLOEXEC | O_NONBLOCK);
        if (m->fd < 0) {
                int r = -errno;
                free(m);
                return r;
        }
        t->userdata = m;
        return 0;
}

static int linux_connect(mefw_mei_transport *t, const uint8_t uuid[16], uint32_t *ret_max_msg) {
        linux_mei *m = state(t);
        if (!m)
                return -EBADF;
        struct mei_connect_client_data data = {};
        /* The kernel takes the GUID with its first three groups little-endian. */
        static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
        for (size_t i = 0; i < 16; i++)
                data.in_client_uuid.b[i] = uuid[order[i]];
        if (ioctl(m->fd, IOCTL_MEI_CONNECT_CLIENT, &data) < 0)
                return errno == ENOTTY ? -ENOENT : -errno;
        *ret_max_msg = data.out_client_properties.max_msg_length;
        return 0;
}

static int wait_for(int fd, short events, int timeout_ms) {
        struct pollfd p = { .fd = fd, .events = events };
        for (;;) {
                int r = poll(&p, 1, timeout_ms);
                if (r > 0)
                        return 0;
                if (r == 0)
                        return -ETIMEDOUT;
                if (errno != EINTR)
                        return -errno;
        }
}

static long linux_write(mefw_mei_transport *t, const void *buf, size_t n, int timeout_ms) {
        linux_mei *m = state(t);
        if (!m)
                return -EBADF;
        int r = wait_for(m->fd, POLLOUT, timeout_ms);
        if (r < 0)
                return r;
        ssize_t w = write(m->fd, buf, n);
        if (w < 0)
                return -errno;
        return (size_t) w == n ? (long) w : -EIO;
}

static long linux_read(mefw_mei_transport *t, void *buf, size_t n, int timeout_ms) {
        linux_mei *m = state(t);
        if (!m)
                return -EBADF;
        int r = wait_for(m->fd, POLLIN, timeout_ms);
        if (r < 0)
                return r;
        ssize_t got = read(m->fd, buf, n);
        return got < 0 ? -errno : (long) got;
}

void mefw_mei_transport_linux(mefw_mei_transport *t) {
        *t = (mefw_mei_transport){
                .open = linux_open,
                .connect = linux_connect,
                .write = linux_write,
                .read = linux_read,
                .close = linux_close,
        };
}
