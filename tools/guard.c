/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SIGBUS guard around work on memory-mapped inputs (guard.h). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>

#include "guard.h"
#include "mefw/core.h"

static __thread sigjmp_buf *current_guard;
static __thread const void *fault_start;
static __thread size_t fault_size;

static void on_sigbus(int sig, siginfo_t *si, void *context) {
        (void) context;
        const void *start;
        size_t size;
        if (current_guard && mefw_mapping_contains(si->si_addr, &start, &size)) {
                fault_start = start;
                fault_size = size;
                siglongjmp(*current_guard, 1);
        }
        /* Not an input of ours: back to the default action, and the faulting access, repeated when
         * this returns, ends the process as it would have without us. */
        struct sigaction dfl = { .sa_handler = SIG_DFL };
        sigemptyset(&dfl.sa_mask);
        sigaction(sig, &dfl, NULL);
}

static void install(void) {
        struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };
        sigemptyset(&sa.sa_mask);
        sigaction(SIGBUS, &sa, NULL);
}

int cli_guarded(int (*fn)(void *arg), void *arg) {
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, install);
        sigjmp_buf buf;
        sigjmp_buf *const outer = current_guard;
        if (sigsetjmp(buf, 1)) {
                current_guard = outer;
                mefw_mapping_release(fault_start, fault_size);
                return -ESTALE;
        }
        current_guard = &buf;
        int r = fn(arg);
        current_guard = outer;
        return r;
}
