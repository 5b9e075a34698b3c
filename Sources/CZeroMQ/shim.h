#ifndef BANSHI_CZEROMQ_SHIM_H
#define BANSHI_CZEROMQ_SHIM_H
#include <zmq.h>
/* pipe2(2), which glibc declares only under _GNU_SOURCE: the wakeup pipe is close-on-exec from the
   start, so that a process another thread spawns meanwhile inherits neither end. */
int pipe2(int pipefd[2], int flags);
#endif
