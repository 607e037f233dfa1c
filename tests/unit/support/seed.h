/* SPDX-License-Identifier: MIT */
/*
 * seed.h - the seven seed frames (KB 172983 capture) for unit tests.
 *
 * tests/vectors/seed_frames.hex holds one frame a line, "N hexbytes"
 * (N = 1..7, Ethernet II without FCS, capture padding included). Frames
 * 1-3 are a three-way handshake, 4-7 a FIN exchange (another connection);
 * their field values are tabulated in tests/unit/test_wire.c.
 *
 *   uint8_t fr[SEED_N][SEED_MAX];
 *   size_t len[SEED_N];
 *   assert_int_equal(seed_load(fr, len), 0);   // fr[0] is frame 1
 *
 * or, for one frame at a time (loaded once, kept in static storage):
 *
 *   size_t n;
 *   const uint8_t *f2 = seed_frame(2, &n);     // frame 2, the SYN-ACK
 *
 * Paths are relative to the repository root, where the runners run.
 */
#ifndef TOE_TEST_SEED_H
#define TOE_TEST_SEED_H

#include <stddef.h>
#include <stdint.h>

#define SEED_N 7     /* frames in the file */
#define SEED_MAX 128 /* bytes per frame, at most */

#ifndef TOE_VECTORS_DIR
#define TOE_VECTORS_DIR "tests/vectors"
#endif
#define SEED_HEX_PATH TOE_VECTORS_DIR "/seed_frames.hex"
#define SEED_PCAP_PATH TOE_VECTORS_DIR "/seed_frames.pcap"

/* Load all seven frames: frames[i] is frame i+1, lens[i] its length.
 * Returns 0, or -1 with a message on stderr (missing file, bad line). */
int seed_load(uint8_t frames[SEED_N][SEED_MAX], size_t lens[SEED_N]);

/* Frame n (1..7, numbered as in the article); NULL with a message on
 * stderr if n is out of range or the file cannot be loaded. */
const uint8_t *seed_frame(int n, size_t *len);

#endif
