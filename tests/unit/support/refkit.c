/* SPDX-License-Identifier: MIT */
/*
 * refkit.c - the shared kit for reference-stack tests: test configuration,
 * peer segment templates, state fixtures and expectation helpers.
 * See refkit.h for what each helper asserts.
 */
#include "refkit.h"

#include <stdio.h>
#include <string.h>

/* The configuration of the last kit_new(), for kit_expect_seg's checks. */
static struct toe_ref_cfg kit_cur_cfg;
static bool kit_have_cfg;

static uint8_t kit_payload_buf[1500];

void kit_cfg(struct toe_ref_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->local_ip = KIT_LOCAL_IP;
	cfg->mtu = KIT_MTU;
	cfg->rcv_wnd = KIT_RCV_WND;
	cfg->syn_wnd = 0;
	cfg->ttl = KIT_TTL;
	cfg->df = true;
	cfg->ip_id_init = KIT_IP_ID_INIT;
	cfg->ip_id_step = 1;
	cfg->tick_hz = KIT_HZ;
	cfg->rto_init = KIT_S(1);
	cfg->rto_max = KIT_S(60);
	cfg->syn_giveup = KIT_S(180);
	cfg->synack_giveup = KIT_S(60);
	cfg->fin_giveup = KIT_S(100);
	cfg->msl = KIT_S(1);
	cfg->challenge_ack_limit = 5;
	cfg->challenge_ack_window = KIT_S(1);
	for (int i = 0; i < 16; i++)
		cfg->isn_key[i] = (uint8_t)i;
	cfg->max_conns = 16;
	cfg->max_listeners = 4;
}

struct toe_ref *kit_new(const struct toe_ref_cfg *cfg)
{
	struct toe_ref_cfg c;

	if (cfg)
		c = *cfg;
	else
		kit_cfg(&c);
	struct toe_ref *r = toe_ref_new(&c);
	assert_non_null(r);
	kit_cur_cfg = c;
	kit_have_cfg = true;
	return r;
}

struct toe_ref *kit_new_listen(void)
{
	struct toe_ref *r = kit_new(NULL);

	assert_int_equal(toe_ref_listen(r, KIT_LPORT), TOE_REF_OK);
	return r;
}

int kit_setup(void **state)
{
	*state = kit_new(NULL);
	return 0;
}

int kit_setup_listen(void **state)
{
	*state = kit_new_listen();
	return 0;
}

int kit_teardown(void **state)
{
	toe_ref_free(*state);
	*state = NULL;
	return 0;
}

struct toe_ref *kit_renew(void **state, const struct toe_ref_cfg *cfg)
{
	toe_ref_free(*state);
	*state = NULL;
	*state = kit_new(cfg);
	return *state;
}

const uint8_t *kit_payload(void)
{
	if (kit_payload_buf[0] == 0)
		for (size_t i = 0; i < sizeof(kit_payload_buf); i++)
			kit_payload_buf[i] = (uint8_t)('a' + i % 26);
	return kit_payload_buf;
}

struct toe_seg kit_seg(uint8_t flags, uint32_t seq, uint32_t ack)
{
	struct toe_seg s;

	memset(&s, 0, sizeof(s));
	s.src_ip = KIT_REMOTE_IP;
	s.dst_ip = KIT_LOCAL_IP;
	s.src_port = KIT_RPORT;
	s.dst_port = KIT_LPORT;
	s.seq = seq;
	s.ack = ack;
	s.flags = flags;
	s.win = KIT_PEER_WIN;
	return s;
}

void kit_in(struct toe_ref *r, uint8_t flags, uint32_t seq, uint32_t ack,
	    uint64_t now)
{
	struct toe_seg s = kit_seg(flags, seq, ack);

	toe_ref_input(r, &s, now);
}

void kit_in_data(struct toe_ref *r, uint8_t flags, uint32_t seq, uint32_t ack,
		 uint16_t len, uint64_t now)
{
	struct toe_seg s = kit_seg(flags, seq, ack);

	assert_true(len <= sizeof(kit_payload_buf));
	s.data = kit_payload();
	s.len = len;
	toe_ref_input(r, &s, now);
}

void kit_info(int state, struct toe_ref_conn_info *info)
{
	/* offsets from ISS / IRS per state: una, nxt, rcv (see refkit.h) */
	static const struct {
		uint8_t una, nxt, rcv, fin_sent;
	} tab[TOE_ST_COUNT] = {
		[TOE_ST_SYN_SENT] = { 0, 1, 0, 0 },
		[TOE_ST_SYN_RECEIVED] = { 0, 1, 1, 0 },
		[TOE_ST_ESTABLISHED] = { 1, 1, 1, 0 },
		[TOE_ST_FIN_WAIT_1] = { 1, 2, 1, 1 },
		[TOE_ST_FIN_WAIT_2] = { 2, 2, 1, 1 },
		[TOE_ST_CLOSE_WAIT] = { 1, 1, 2, 0 },
		[TOE_ST_CLOSING] = { 1, 2, 2, 1 },
		[TOE_ST_LAST_ACK] = { 1, 2, 2, 1 },
		[TOE_ST_TIME_WAIT] = { 2, 2, 2, 1 },
	};

	assert_true(state >= TOE_ST_SYN_SENT && state < TOE_ST_COUNT);
	memset(info, 0, sizeof(*info));
	info->state = state;
	info->local_ip = KIT_LOCAL_IP;
	info->remote_ip = KIT_REMOTE_IP;
	info->local_port = KIT_LPORT;
	info->remote_port = KIT_RPORT;
	info->iss = KIT_ISS;
	info->snd_una = KIT_ISS + tab[state].una;
	info->snd_nxt = KIT_ISS + tab[state].nxt;
	info->snd_wnd = KIT_PEER_WIN;
	info->max_snd_wnd = KIT_PEER_WIN;
	info->rcv_wnd = KIT_RCV_WND;
	info->peer_mss = KIT_PEER_MSS;
	info->eff_mss = KIT_PEER_MSS;
	if (state == TOE_ST_SYN_SENT) {
		info->irs = 0;
		info->rcv_nxt = 0;
		info->passive = false;
		info->peer_mss = 536;
		info->eff_mss = 536;
	} else {
		info->irs = KIT_IRS;
		info->rcv_nxt = KIT_IRS + tab[state].rcv;
		info->passive = true;
	}
	info->wr_shut = tab[state].fin_sent != 0;
	info->closed_by_user = false;
}

int kit_fixture(struct toe_ref *r, const struct toe_ref_conn_info *info,
		uint64_t now)
{
	int id = toe_ref_fixture(r, info, now);

	if (id < 0)
		fail_msg("toe_ref_fixture(%s) failed: %s",
			 toe_tcp_state_name(info->state), toe_ref_strerror(id));
	return id;
}

int kit_conn(struct toe_ref *r, int state, uint64_t now)
{
	struct toe_ref_conn_info info;

	kit_info(state, &info);
	return kit_fixture(r, &info, now);
}

const char *kit_flags_str(uint8_t flags, char buf[9])
{
	static const char names[] = "FSRPAUEC";
	int n = 0;

	for (int i = 0; i < 8; i++)
		if (flags & (1u << i))
			buf[n++] = names[i];
	if (n == 0)
		buf[n++] = '.';
	buf[n] = '\0';
	return buf;
}

static void kit_print_out(const char *what, const struct toe_ref_out *o)
{
	char f[9];

	print_message("%s: [%s] seq=%u ack=%u win=%u len=%u mss=%s%u "
		      "%u->%u conn=%d t=%llu id=0x%04x\n", what,
		      kit_flags_str(o->seg.flags, f), o->seg.seq, o->seg.ack,
		      o->seg.win, o->seg.len, o->seg.opt.has_mss ? "" : "none/",
		      o->seg.opt.mss, o->seg.src_port, o->seg.dst_port, o->conn,
		      (unsigned long long)o->time, o->ip.id);
}

struct toe_ref_out kit_expect_seg(struct toe_ref *r, uint8_t flags,
				  uint32_t seq, uint32_t ack)
{
	struct toe_ref_out o;
	char f1[9], f2[9];

	memset(&o, 0, sizeof(o));
	if (!toe_ref_pop_out(r, &o))
		fail_msg("expected segment [%s] seq=%u ack=%u, got none",
			 kit_flags_str(flags, f1), seq, ack);
	if (o.seg.flags != flags || o.seg.seq != seq || o.seg.ack != ack) {
		kit_print_out("got", &o);
		fail_msg("expected segment [%s] seq=%u ack=%u, got [%s] seq=%u ack=%u",
			 kit_flags_str(flags, f1), seq, ack,
			 kit_flags_str(o.seg.flags, f2), o.seg.seq, o.seg.ack);
	}
	if (kit_have_cfg) {
		const struct toe_ref_cfg *c = &kit_cur_cfg;
		uint16_t win;

		if (flags & TOE_TCP_RST)
			win = 0;
		else if ((flags & (TOE_TCP_SYN | TOE_TCP_ACK)) == TOE_TCP_SYN)
			win = c->syn_wnd ? c->syn_wnd : c->rcv_wnd;
		else
			win = c->rcv_wnd;
		if (o.seg.win != win) {
			kit_print_out("got", &o);
			fail_msg("window %u, expected %u", o.seg.win, win);
		}
		if ((flags & TOE_TCP_SYN) != 0) {
			if (!o.seg.opt.has_mss || o.seg.opt.mss != c->mtu - 40) {
				kit_print_out("got", &o);
				fail_msg("SYN without MSS option %u", c->mtu - 40);
			}
		} else if (o.seg.opt.has_mss) {
			kit_print_out("got", &o);
			fail_msg("MSS option on a non-SYN segment");
		}
		assert_int_equal(o.seg.src_ip, c->local_ip);
		assert_int_equal(o.ip.ttl, c->ttl);
		assert_int_equal(o.ip.df, c->df);
		assert_int_equal(o.ip.tos, 0);
	}
	assert_int_equal(o.seg.len, 0);
	assert_int_equal(o.seg.opt_raw_len, 0);
	return o;
}

void kit_expect_no_seg(struct toe_ref *r)
{
	struct toe_ref_out o;

	if (toe_ref_pop_out(r, &o)) {
		kit_print_out("unexpected segment", &o);
		fail_msg("expected no more segments");
	}
}

struct toe_ref_event kit_expect_event(struct toe_ref *r, int type, int conn)
{
	struct toe_ref_event ev;

	memset(&ev, 0, sizeof(ev));
	if (!toe_ref_pop_event(r, &ev))
		fail_msg("expected event %s conn %d, got none",
			 toe_ref_event_name(type), conn);
	if (ev.type != type || ev.conn != conn)
		fail_msg("expected event %s conn %d, got %s conn %d (t=%llu)",
			 toe_ref_event_name(type), conn,
			 toe_ref_event_name(ev.type), ev.conn,
			 (unsigned long long)ev.time);
	return ev;
}

void kit_expect_no_event(struct toe_ref *r)
{
	struct toe_ref_event ev;

	if (toe_ref_pop_event(r, &ev))
		fail_msg("unexpected event %s conn %d (t=%llu)",
			 toe_ref_event_name(ev.type), ev.conn,
			 (unsigned long long)ev.time);
}

void kit_expect_nothing(struct toe_ref *r)
{
	kit_expect_no_seg(r);
	kit_expect_no_event(r);
}

void kit_expect_state(struct toe_ref *r, int conn, int state)
{
	struct toe_ref_conn_info info;
	int rc = toe_ref_conn_info(r, conn, &info);

	if (rc != TOE_REF_OK)
		fail_msg("conn %d: expected %s, but it does not exist (%s)", conn,
			 toe_tcp_state_name(state), toe_ref_strerror(rc));
	if (info.state != state)
		fail_msg("conn %d: expected %s, is %s", conn,
			 toe_tcp_state_name(state), toe_tcp_state_name(info.state));
}

void kit_expect_gone(struct toe_ref *r, int conn)
{
	struct toe_ref_conn_info info;
	int rc = toe_ref_conn_info(r, conn, &info);

	if (rc != TOE_REF_ENOTCONN)
		fail_msg("conn %d: expected gone, is %s (rc %d)", conn,
			 rc == TOE_REF_OK ? toe_tcp_state_name(info.state) : "?",
			 rc);
}
