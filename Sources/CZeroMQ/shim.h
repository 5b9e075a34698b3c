#ifndef BANSHI_CZEROMQ_SHIM_H
#define BANSHI_CZEROMQ_SHIM_H
#include <zmq.h>
#endif
