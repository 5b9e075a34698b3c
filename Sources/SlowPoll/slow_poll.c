// A test's LD_PRELOAD library (libBanshiSlowPoll.so): every zero-timeout poll(2) of a single
// descriptor sleeps 2 ms first. That is how libzmq checks a socket's command mailbox, and the sleep
// makes its command throttle (about 1 ms) lapse between two monitor reports of one failed bind, the
// timing in which libzmq 4.3.4 returns from zmq_bind with errno EAGAIN instead of the bind's own
// (RuntimeSystemTests.endpointInUse). Nothing in the suite links it.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <poll.h>
#include <unistd.h>

int poll(struct pollfd *fds, nfds_t count, int timeout) {
    static int (*real)(struct pollfd *, nfds_t, int);
    if (!real) real = (int (*)(struct pollfd *, nfds_t, int))dlsym(RTLD_NEXT, "poll");
    if (timeout == 0 && count == 1) usleep(2000);
    return real(fds, count, timeout);
}
