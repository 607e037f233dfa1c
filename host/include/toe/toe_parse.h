/* SPDX-License-Identifier: MIT */
/*
 * toe_parse.h - strict parsing of numbers and switches given on command
 * lines, in URIs and in KEY=VALUE settings, written once for every C part
 * of the project (libtoe, toectl, toe-simd): the whole string must be the
 * value (no leading blanks, no sign, nothing after it) and within range,
 * else the call fails and leaves *out alone.
 */
#ifndef TOE_PARSE_H
#define TOE_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* An unsigned integer in min..max: decimal, 0x hex or 0 octal (strtoull
 * base 0). 0, or -1 if s is empty, signed, has trailing characters,
 * overflows or is out of range. */
int toe_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* A non-negative decimal number in min..max (strtod: "2", "0.25", "1e3";
 * it must start with a digit, so no sign, "inf" or "nan"). 0, or -1. */
int toe_parse_double(const char *s, double min, double max, double *out);

/* A switch: 1, on, yes -> true; 0, off, no -> false. 0, or -1. */
int toe_parse_bool(const char *s, bool *out);
/* What toe_parse_bool accepts, for messages. */
#define TOE_PARSE_BOOL_WANT "0|1, off|on, no|yes"

/* An IPv4 address: exactly four decimal parts 0..255 separated by dots,
 * no leading zeros ("010" would be octal to inet_aton). 0, or -1. */
int toe_ip_parse(const char *s, uint32_t *ip);

/* A MAC address: six groups of 1 or 2 hex digits separated by colons
 * ("2:0:a:B:c:D", "02:00:00:00:00:01"). 0, or -1. */
int toe_parse_mac(const char *s, uint8_t mac[6]);

#endif
