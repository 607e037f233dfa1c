/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ref.c - the reference stack (host/ref/tcp_ref.c) fed arbitrary
 * frames. A stack with the default configuration (local address
 * 192.168.0.1, which the default leaves 0) listens on port 8080; the input
 * is a list of records, each a frame to inject and what to do around it:
 *
 *   offset  size  field
 *   0       1     FLAGS  bit 0: recompute the IPv4 and TCP checksums;
 *                        bit 1: SEQ and ACK are relative: the connection
 *                        the frame belongs to (if any) adds its IRS and ISS
 *                        (checksums recomputed too);
 *                        bit 2: the user stream is not ready for payload
 *   1       1     CALL   high nibble: a user call before the frame
 *                        (1 connect, 2 close, 3 shutdown, 4 abort,
 *                        5 listen, 6 unlisten, 7 send, 8 pin the next ISN),
 *                        low nibble: which connection / port
 *   2       1     DT     time advance before the frame: 0 none, else
 *                        2^(DT % 41) + DT ticks (2^40 ticks is ~2 hours)
 *   3       2     LEN    frame length (big-endian), cut at the input's end
 *   5       LEN   the frame (Ethernet, no FCS)
 *
 * Oracles (besides the sanitizers): every segment the stack sends builds
 * into a frame that parses, comes from our address, carries no payload
 * (there is no transmit data path), an MSS option only on a SYN, no SYN or
 * FIN with a RST, and a connection id unless it is a RST; every event is a
 * known type with a connection id in range, not in the future, and RX_DATA
 * points into the frame that was injected; the next timer is never in the
 * past after time advanced; at the end the connection count equals the
 * number of ids that report a connection, each in a synchronised or
 * opening state.
 */
#include "fuzz.h"

#include <string.h>

#include "toe_bytes.h"
#include "toe_ref.h"
#include "toe_wire.h"

#define LOCAL_IP 0xC0A80001u  /* 192.168.0.1 */
#define REMOTE_IP 0xC0000201u /* 192.0.2.1 */
#define LISTEN_PORT 8080

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 1 };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 2 };

struct run {
	struct toe_ref *r;
	struct toe_ref_cfg cfg;
	uint64_t now;
	int known[16];       /* connection ids seen, most recent first */
	unsigned nknown;
};

static void note_conn(struct run *u, int id)
{
	if (id < 0)
		return;
	for (unsigned i = 0; i < u->nknown; i++)
		if (u->known[i] == id)
			return;
	memmove(u->known + 1, u->known, sizeof(u->known) - sizeof(u->known[0]));
	u->known[0] = id;
	if (u->nknown < 16)
		u->nknown++;
}

static int pick_conn(const struct run *u, unsigned k)
{
	return u->nknown ? u->known[k % u->nknown] : (int)k;
}

/* Make SEQ/ACK absolute (rel) and the checksums right, as far as the
 * frame has the fields. */
static void edit_frame(struct run *u, uint8_t *b, size_t len, bool rel)
{
	size_t ihl, tot;
	uint8_t *ip = b + TOE_ETH_HLEN, *tcp;

	if (len < TOE_ETH_HLEN + TOE_IPV4_HLEN || toe_get_be16(b + 12) != TOE_ETHERTYPE_IPV4)
		return;
	ihl = (size_t)(ip[0] & 15) * 4;
	tot = toe_get_be16(ip + 2);
	if (ihl < TOE_IPV4_HLEN || TOE_ETH_HLEN + ihl > len)
		return;
	toe_put_be16(ip + 10, 0);
	toe_put_be16(ip + 10, toe_ipv4_csum(ip, ihl));
	if (ip[9] != TOE_IPPROTO_TCP || tot < ihl + TOE_TCP_HLEN ||
	    TOE_ETH_HLEN + tot > len)
		return;
	tcp = ip + ihl;
	if (rel) {
		struct toe_ref_conn_info ci;
		int id = toe_ref_find(u->r, toe_get_be32(ip + 16), toe_get_be16(tcp + 2),
				      toe_get_be32(ip + 12), toe_get_be16(tcp));

		if (id >= 0 && toe_ref_conn_info(u->r, id, &ci) == TOE_REF_OK) {
			toe_put_be32(tcp + 4, toe_get_be32(tcp + 4) + ci.irs);
			toe_put_be32(tcp + 8, toe_get_be32(tcp + 8) + ci.iss);
		}
	}
	toe_put_be16(tcp + 16, 0);
	toe_put_be16(tcp + 16, toe_tcp_csum(toe_get_be32(ip + 12), toe_get_be32(ip + 16), tcp,
				     tot - ihl));
}

/* Everything the stack sent or reported since the last call. */
static void drain(struct run *u, const uint8_t *frame, size_t len)
{
	static uint8_t buf[TOE_ETH_HLEN + 65535];
	struct toe_ref_out o;
	struct toe_ref_event ev;

	while (toe_ref_pop_out(u->r, &o)) {
		struct toe_frame f;
		uint8_t fl = o.seg.flags;
		int n;

		FUZZ_CHECK(o.time <= u->now);
		FUZZ_CHECK(o.seg.src_ip == LOCAL_IP);
		FUZZ_CHECK(o.seg.len == 0);
		FUZZ_CHECK(!o.seg.opt.has_mss || (fl & TOE_TCP_SYN));
		FUZZ_CHECK(!(fl & TOE_TCP_RST) || !(fl & (TOE_TCP_SYN | TOE_TCP_FIN)));
		FUZZ_CHECK(o.conn >= 0 || (fl & TOE_TCP_RST));
		FUZZ_CHECK(o.conn < (int)u->cfg.max_conns);
		note_conn(u, o.conn);
		n = toe_build_frame(buf, sizeof(buf), mac_b, mac_a, &o.ip, &o.seg);
		FUZZ_CHECK(n > 0);
		FUZZ_CHECK(toe_parse_frame(buf, (size_t)n, &f) == TOE_PARSE_OK);
	}
	while (toe_ref_pop_event(u->r, &ev)) {
		FUZZ_CHECK(ev.type >= TOE_EV_ESTABLISHED && ev.type <= TOE_EV_RX_DATA);
		FUZZ_CHECK(strcmp(toe_ref_event_name(ev.type), "?") != 0);
		FUZZ_CHECK(ev.conn >= 0 && ev.conn < (int)u->cfg.max_conns);
		FUZZ_CHECK(ev.time <= u->now);
		if (ev.type == TOE_EV_RX_DATA) {
			FUZZ_CHECK(frame && ev.len > 0);
			FUZZ_CHECK(ev.data >= frame && ev.data + ev.len <= frame + len);
		}
		note_conn(u, ev.conn);
	}
}

static void user_call(struct run *u, uint8_t call)
{
	unsigned k = call & 15;
	int id = pick_conn(u, k), r = 0;

	switch (call >> 4) {
	case 1:
		r = toe_ref_connect(u->r, (uint16_t)(49152 + k), REMOTE_IP,
				    (uint16_t)(40000 + k), u->now);
		FUZZ_CHECK(r >= TOE_REF_ENOTSUP);
		note_conn(u, r);
		return;
	case 2: r = toe_ref_close(u->r, id, u->now); break;
	case 3: r = toe_ref_shutdown_wr(u->r, id, u->now); break;
	case 4: r = toe_ref_abort(u->r, id, u->now); break;
	case 5: r = toe_ref_listen(u->r, (uint16_t)(LISTEN_PORT + k)); break;
	case 6: r = toe_ref_unlisten(u->r, (uint16_t)(LISTEN_PORT + k)); break;
	case 7: r = toe_ref_send(u->r, id, "x", 1); break;
	case 8: toe_ref_pin_isn(u->r, 0xFFFFFFF0u + k); break;
	default: break;
	}
	FUZZ_CHECK(r <= TOE_REF_OK && r >= TOE_REF_ENOTSUP);
	FUZZ_CHECK(strcmp(toe_ref_strerror(r), "") != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t frame[65536];
	struct fuzz_in in = { data, size };
	struct toe_ref_stats st;
	struct run u;
	unsigned live = 0;

	memset(&u, 0, sizeof(u));
	toe_ref_cfg_default(&u.cfg);
	u.cfg.local_ip = LOCAL_IP;
	u.r = toe_ref_new(&u.cfg);
	FUZZ_CHECK(u.r);
	FUZZ_CHECK(toe_ref_listen(u.r, LISTEN_PORT) == TOE_REF_OK);

	while (in.n) {
		uint8_t flags = fuzz_u8(&in), call = fuzz_u8(&in), dt = fuzz_u8(&in);
		size_t want = fuzz_u16(&in), len;
		const uint8_t *p = fuzz_bytes(&in, want, &len);
		uint64_t next;

		if (dt) {
			u.now += (1ull << (dt % 41)) + dt;
			toe_ref_advance(u.r, u.now);
			next = toe_ref_next_timer(u.r);
			FUZZ_CHECK(next > u.now);
			drain(&u, NULL, 0);
		}
		if (call) {
			user_call(&u, call);
			drain(&u, NULL, 0);
		}
		memcpy(frame, p, len);
		if (flags & 3)
			edit_frame(&u, frame, len, flags & 2);
		toe_ref_set_rx_ready(u.r, !(flags & 4));
		FUZZ_CHECK(toe_ref_input_frame(u.r, frame, len, u.now) <= 0);
		drain(&u, frame, len);
	}

	/* a long time later: timers run, nothing breaks */
	u.now += 1ull << 42;
	toe_ref_advance(u.r, u.now);
	drain(&u, NULL, 0);
	for (int id = 0; id < (int)u.cfg.max_conns; id++) {
		struct toe_ref_conn_info ci;

		if (toe_ref_conn_info(u.r, id, &ci) != TOE_REF_OK)
			continue;
		live++;
		FUZZ_CHECK(ci.state >= TOE_ST_SYN_SENT && ci.state <= TOE_ST_TIME_WAIT);
		FUZZ_CHECK(ci.local_ip == LOCAL_IP);
	}
	FUZZ_CHECK(live == toe_ref_conn_count(u.r));
	toe_ref_stats(u.r, &st);
	FUZZ_CHECK(st.segs_out >= st.rst_out);
	toe_ref_free(u.r);
	return 0;
}
