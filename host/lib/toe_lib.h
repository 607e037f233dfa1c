/* SPDX-License-Identifier: MIT */
/*
 * toe_lib.h - private to libtoe: the handle and helpers shared by toe.c,
 * toe_config.c and toe_isn.c.
 */
#ifndef TOE_LIB_H
#define TOE_LIB_H

#include "toe/toe.h"
#include "toe_drv.h"
#include "toe_proto.h"
#include "toe_transport.h"

/* events popped from the engine and not yet given to the caller */
#define TOE_EVQ_LEN 256

struct toe_tuple {
	bool valid;
	bool established; /* proven by an ESTABLISHED (else: toe_connect) */
	uint16_t local_port, remote_port;
	uint32_t remote_ip;
};

struct toe {
	struct toe_transport *tr;
	struct toe_proto *p;
	/* the register driver over p (toe.c's bus callbacks) */
	struct toe_drv drv;
	uint64_t cmd_deadline; /* ms of the transport clock */
	struct toe_proto_fault *fault; /* when the URI asks for faults */
	struct toe_transport_tuning tun;
	struct toe_info info;
	char err[256];
	/* ISN key this handle loaded (the registers are write-only) */
	bool key_known;
	uint8_t key[16];
	bool key_cycles_known;
	uint64_t key_cycles; /* engine clock just before the key was written */
	/* events */
	struct toe_event q[TOE_EVQ_LEN];
	unsigned qh, qn;
	/* each id's 4-tuple as far as proven (toe.c, "tuples"); info.n_conn
	 * entries, NULL until open */
	struct toe_tuple *tup;
	unsigned long notified; /* EVENT notifications seen (hints) */
	toe_event_fn fn;
	void *fn_arg;
	bool in_dispatch;
};

int toe_seterr(struct toe *t, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A toe_proto code as a library code (message set). */
int toe_proto_err(struct toe *t, int r, const char *what);
/* A toe_drv_* code as a library code (message set): the bus error of
 * t->drv as toe_proto_err does, a command timeout as TOE_ETIMEDOUT. */
int toe_bus_err(struct toe *t, int r, const char *what);
/* 0 if open, else TOE_EINVAL / TOE_ENOTOPEN. */
int toe_check_open(struct toe *t);

#endif
