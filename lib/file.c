/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "util.h"

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
        }
        close(fd);
        *ret = f;
        return 0;
}

void mefw_unmap_file(mefw_mapped_file *f) {
        if (f->map)
                munmap(f->map, f->map_size);
        *f = (mefw_mapped_file){};
}
