/* SPDX-License-Identifier: MIT */
/*
 * frame_edit.h - edits of built frames that the codec does not make itself
 * (tests only).
 */
#ifndef FRAME_EDIT_H
#define FRAME_EDIT_H

#include <stddef.h>
#include <stdint.h>

/* Insert 4 bytes of IPv4 options (NOP NOP NOP EOL) into an Ethernet/IPv4
 * frame with a 20-byte IP header: IHL 6, total length + 4, header checksum
 * redone; the transport segment (and its checksum, which does not cover
 * IP options) is unchanged, 4 bytes later. f must have room for 4 more
 * bytes. Returns the new length, or 0 if f is not such a frame. */
size_t fe_add_ip_options(uint8_t *f, size_t n);

#endif
