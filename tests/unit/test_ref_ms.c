/* SPDX-License-Identifier: MIT */
/*
 * test_ref_ms.c - reference stack, MSS and TCP options (MS-01..MS-05):
 * the MSS we advertise follows the MTU (MUST-67), MSS only on SYNs
 * (MUST-65) and ignored on anything else, 536 when the peer sends none
 * (MUST-15), effective send MSS = min(peer, ours) (MUST-16), and odd option
 * lists - unknown kinds, unaligned MSS, illegal lengths, absurd MSS values
 * (MUST-6, MUST-7, MUST-64; spec: MSS 0 -> 536, 1..87 -> 88).
 */
#include "refkit.h"

#include <string.h>

static const uint8_t mac_peer[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t mac_us[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

static struct toe_ref *new_mtu(uint16_t mtu)
{
	struct toe_ref_cfg cfg;

	kit_cfg(&cfg);
	cfg.mtu = mtu;
	return kit_new(&cfg);
}

static struct toe_ref_conn_info info_of(struct toe_ref *r, int c)
{
	struct toe_ref_conn_info i;

	assert_int_equal(toe_ref_conn_info(r, c, &i), TOE_REF_OK);
	return i;
}

static int kit_tuple(struct toe_ref *r)
{
	return toe_ref_find(r, KIT_LOCAL_IP, KIT_LPORT, KIT_REMOTE_IP, KIT_RPORT);
}

/* Assert the segment carries no option other than (maybe) MSS. */
static void expect_only_mss(const struct toe_ref_out *o)
{
	assert_false(o->seg.opt.has_wscale);
	assert_false(o->seg.opt.sack_perm);
	assert_false(o->seg.opt.has_ts);
	assert_int_equal(o->seg.opt.n_unknown, 0);
	assert_int_equal(o->seg.opt_raw_len, 0);
}

/*
 * Passive open with the peer SYN carrying (has_mss, mss): SYN-ACK with our
 * pinned ISS and MSS mtu-40, then the final ACK -> ESTABLISHED. Returns
 * the connection id.
 */
static int passive_open(struct toe_ref *r, bool has_mss, uint16_t mss,
			uint16_t our_mss)
{
	struct toe_seg s = kit_seg(TOE_TCP_SYN, KIT_IRS, 0);

	s.opt.has_mss = has_mss;
	s.opt.mss = mss;
	toe_ref_pin_isn(r, KIT_ISS);
	toe_ref_input(r, &s, KIT_MS(1));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK,
					      KIT_ISS, KIT_IRS + 1);
	assert_true(o.seg.opt.has_mss);
	assert_int_equal(o.seg.opt.mss, our_mss);
	expect_only_mss(&o);
	kit_expect_nothing(r);
	int c = kit_tuple(r);
	assert_true(c >= 0);
	kit_expect_state(r, c, TOE_ST_SYN_RECEIVED);
	return c;
}

static void passive_finish(struct toe_ref *r, int c)
{
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1, KIT_MS(2));
	kit_expect_event(r, TOE_EV_ESTABLISHED, c);
	kit_expect_nothing(r);
	kit_expect_state(r, c, TOE_ST_ESTABLISHED);
}

/* Active open from our port KIT_LPORT to the kit peer, SYN checked. */
static int active_open(struct toe_ref *r, uint16_t our_mss)
{
	toe_ref_pin_isn(r, KIT_ISS);
	int c = toe_ref_connect(r, KIT_LPORT, KIT_REMOTE_IP, KIT_RPORT, 0);

	assert_true(c >= 0);
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
	assert_true(o.seg.opt.has_mss);
	assert_int_equal(o.seg.opt.mss, our_mss);
	expect_only_mss(&o);
	assert_int_equal(o.seg.dst_ip, KIT_REMOTE_IP);
	assert_int_equal(o.seg.src_port, KIT_LPORT);
	assert_int_equal(o.seg.dst_port, KIT_RPORT);
	kit_expect_nothing(r);
	return c;
}

/* The peer's SYN-ACK with (has_mss, mss) -> our ACK, ESTABLISHED. */
static void active_finish(struct toe_ref *r, int c, bool has_mss, uint16_t mss)
{
	struct toe_seg s = kit_seg(TOE_TCP_SYN | TOE_TCP_ACK, KIT_IRS, KIT_ISS + 1);

	s.opt.has_mss = has_mss;
	s.opt.mss = mss;
	toe_ref_input(r, &s, KIT_MS(1));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1,
					      KIT_IRS + 1);
	assert_false(o.seg.opt.has_mss);
	kit_expect_event(r, TOE_EV_ESTABLISHED, c);
	kit_expect_nothing(r);
	kit_expect_state(r, c, TOE_ST_ESTABLISHED);
}

/* ---- MS-01: advertised MSS = MTU - 40 ---------------------------------- */

/* MUST-67: "TCP implementations SHOULD send an MSS Option in every SYN
 * segment when its receive MSS differs from the default 536 for IPv4 ...
 * The MSS value to be sent in an MSS Option must be less than or equal to
 * MMS_R - 20" - with MMS_R = MTU - 20, that is MTU - 40. */
static void test_MS01_mtu1500_connect_syn_mss_1460(void **state)
{
	(void)state;
	struct toe_ref *r = new_mtu(1500);

	active_open(r, 1460);
	toe_ref_free(r);
}

static void test_MS01_mtu1500_listen_synack_mss_1460(void **state)
{
	(void)state;
	struct toe_ref *r = new_mtu(1500);

	assert_int_equal(toe_ref_listen(r, KIT_LPORT), TOE_REF_OK);
	passive_open(r, true, 1460, 1460);
	toe_ref_free(r);
}

static void test_MS01_mtu9000_connect_syn_mss_8960(void **state)
{
	(void)state;
	struct toe_ref *r = new_mtu(9000);

	active_open(r, 8960);
	toe_ref_free(r);
}

static void test_MS01_mtu9000_listen_synack_mss_8960(void **state)
{
	(void)state;
	struct toe_ref *r = new_mtu(9000);

	assert_int_equal(toe_ref_listen(r, KIT_LPORT), TOE_REF_OK);
	passive_open(r, true, 8960, 8960);
	toe_ref_free(r);
}

static void test_MS01_mtu576_connect_syn_mss_536(void **state)
{
	(void)state;
	struct toe_ref *r = new_mtu(576);

	active_open(r, 536);
	toe_ref_free(r);
}

/* Retransmitted SYN and SYN-ACK carry the same MSS (at 1 s = rto_init). */
static void test_MS01_mtu9000_syn_and_synack_retransmit_mss_8960(void **state)
{
	(void)state;
	struct toe_ref *r = new_mtu(9000);
	int c = active_open(r, 8960);

	toe_ref_advance(r, KIT_S(1));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN, KIT_ISS, 0);
	assert_int_equal(o.seg.opt.mss, 8960);
	assert_int_equal(o.time, KIT_S(1));
	kit_expect_nothing(r);
	kit_expect_state(r, c, TOE_ST_SYN_SENT);
	toe_ref_free(r);

	r = new_mtu(9000);
	assert_int_equal(toe_ref_listen(r, KIT_LPORT), TOE_REF_OK);
	c = passive_open(r, true, 1460, 8960);
	toe_ref_advance(r, KIT_MS(1) + KIT_S(1));
	o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	assert_int_equal(o.seg.opt.mss, 8960);
	kit_expect_nothing(r);
	kit_expect_state(r, c, TOE_ST_SYN_RECEIVED);
	toe_ref_free(r);
}

/* Simultaneous open: our SYN-ACK (from SYN-SENT) carries the MSS too. */
static void test_MS01_mtu9000_simultaneous_open_synack_mss_8960(void **state)
{
	(void)state;
	struct toe_ref *r = new_mtu(9000);
	int c = active_open(r, 8960);

	kit_in(r, TOE_TCP_SYN, KIT_IRS, 0, KIT_MS(1));
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK,
					      KIT_ISS, KIT_IRS + 1);
	assert_int_equal(o.seg.opt.mss, 8960);
	kit_expect_nothing(r);
	kit_expect_state(r, c, TOE_ST_SYN_RECEIVED);
	toe_ref_free(r);
}

/* ---- MS-02: MSS only on SYN; ignored on non-SYN ------------------------ */

/* MUST-65: "TCP implementations MUST NOT send the MSS Option in segments
 * other than SYN" (kit_expect_seg checks every segment for it); an MSS
 * option on a received non-SYN is ignored (MS-02 spec line). A whole
 * passive life: SYN (MSS 1200) / SYN-ACK / ACK with MSS 300 / data with
 * MSS 100 / FIN / close / last ACK. */
static void test_MS02_passive_life_mss_only_on_synack_non_syn_mss_ignored(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new_listen();
	int c = passive_open(r, true, 1200, KIT_MSS);
	struct toe_ref_conn_info i = info_of(r, c);

	assert_int_equal(i.peer_mss, 1200);
	assert_int_equal(i.eff_mss, 1200);

	struct toe_seg s = kit_seg(TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1);
	s.opt.has_mss = true;
	s.opt.mss = 300;
	toe_ref_input(r, &s, KIT_MS(2));
	kit_expect_event(r, TOE_EV_ESTABLISHED, c);
	kit_expect_nothing(r);
	i = info_of(r, c);
	assert_int_equal(i.peer_mss, 1200);
	assert_int_equal(i.eff_mss, 1200);

	s = kit_seg(TOE_TCP_ACK | TOE_TCP_PSH, KIT_IRS + 1, KIT_ISS + 1);
	s.opt.has_mss = true;
	s.opt.mss = 100;
	s.data = kit_payload();
	s.len = 10;
	toe_ref_input(r, &s, KIT_MS(3));
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_RX_DATA, c);
	assert_int_equal(ev.len, 10);
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1,
					      KIT_IRS + 11);
	assert_false(o.seg.opt.has_mss);
	expect_only_mss(&o);
	kit_expect_nothing(r);
	i = info_of(r, c);
	assert_int_equal(i.peer_mss, 1200);
	assert_int_equal(i.eff_mss, 1200);

	kit_in(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_IRS + 11, KIT_ISS + 1, KIT_MS(4));
	kit_expect_event(r, TOE_EV_PEER_FIN, c);
	o = kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 12);
	assert_false(o.seg.opt.has_mss);
	kit_expect_nothing(r);
	kit_expect_state(r, c, TOE_ST_CLOSE_WAIT);

	assert_int_equal(toe_ref_close(r, c, KIT_MS(5)), TOE_REF_OK);
	o = kit_expect_seg(r, TOE_TCP_FIN | TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 12);
	assert_false(o.seg.opt.has_mss);
	kit_expect_nothing(r);
	kit_expect_state(r, c, TOE_ST_LAST_ACK);

	kit_in(r, TOE_TCP_ACK, KIT_IRS + 12, KIT_ISS + 2, KIT_MS(6));
	kit_expect_event(r, TOE_EV_CLOSED, c);
	kit_expect_nothing(r);
	kit_expect_gone(r, c);

	/* a RST to the dead tuple carries no MSS either */
	kit_in(r, TOE_TCP_ACK, KIT_IRS + 12, KIT_ISS + 2, KIT_MS(7));
	o = kit_expect_seg(r, TOE_TCP_RST, KIT_ISS + 2, 0);
	assert_false(o.seg.opt.has_mss);
	kit_expect_nothing(r);
	toe_ref_free(r);
}

/* ESTABLISHED fixture (peer MSS 1460): an ACK with an MSS option of 200
 * changes nothing. */
static void test_MS02_established_mss_option_on_ack_ignored(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);
	struct toe_seg s = kit_seg(TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1);

	s.opt.has_mss = true;
	s.opt.mss = 200;
	toe_ref_input(r, &s, KIT_MS(1));
	kit_expect_nothing(r);
	struct toe_ref_conn_info i = info_of(r, c);
	assert_int_equal(i.peer_mss, KIT_PEER_MSS);
	assert_int_equal(i.eff_mss, KIT_PEER_MSS);
	toe_ref_free(r);
}

/* Through the codec: a non-SYN frame with an MSS option (on the wire). */
static void test_MS02_established_mss_option_frame_on_data_ignored(void **state)
{
	(void)state;
	static const uint8_t opts[] = { 2, 4, 0x00, 0x64 }; /* MSS 100 */
	uint8_t buf[256];
	struct toe_ip_meta ip = { 0, 64, true, 1 };
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);
	struct toe_seg s = kit_seg(TOE_TCP_ACK | TOE_TCP_PSH, KIT_IRS + 1,
				   KIT_ISS + 1);

	s.opt_raw = opts;
	s.opt_raw_len = sizeof(opts);
	s.data = kit_payload();
	s.len = 4;
	int n = toe_build_frame(buf, sizeof(buf), mac_us, mac_peer, &ip, &s);
	assert_true(n > 0);
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)n, KIT_MS(1)),
			 TOE_PARSE_OK);
	struct toe_ref_event ev = kit_expect_event(r, TOE_EV_RX_DATA, c);
	assert_int_equal(ev.len, 4);
	assert_memory_equal(ev.data, kit_payload(), 4);
	kit_expect_seg(r, TOE_TCP_ACK, KIT_ISS + 1, KIT_IRS + 5);
	kit_expect_nothing(r);
	struct toe_ref_conn_info i = info_of(r, c);
	assert_int_equal(i.peer_mss, KIT_PEER_MSS);
	assert_int_equal(i.eff_mss, KIT_PEER_MSS);
	toe_ref_free(r);
}

/* ---- MS-03: no MSS from the peer -> 536 -------------------------------- */

/* MUST-15: "If an MSS Option is not received at connection setup, TCP
 * implementations MUST assume a default send MSS of 536 (576 - 40) for
 * IPv4". (The stack sends no payload yet; every segment it emits has
 * length 0, which kit_expect_seg checks.) */
static void test_MS03_listen_syn_without_mss_send_mss_536(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new_listen();
	int c = passive_open(r, false, 0, KIT_MSS);
	struct toe_ref_conn_info i = info_of(r, c);

	assert_int_equal(i.peer_mss, 536);
	assert_int_equal(i.eff_mss, 536);
	passive_finish(r, c);
	i = info_of(r, c);
	assert_int_equal(i.peer_mss, 536);
	assert_int_equal(i.eff_mss, 536);
	toe_ref_free(r);
}

static void test_MS03_connect_synack_without_mss_send_mss_536(void **state)
{
	(void)state;
	struct toe_ref *r = kit_new(NULL);
	int c = active_open(r, KIT_MSS);

	active_finish(r, c, false, 0);
	struct toe_ref_conn_info i = info_of(r, c);
	assert_int_equal(i.peer_mss, 536);
	assert_int_equal(i.eff_mss, 536);
	toe_ref_free(r);
}

/* A big local MTU does not lift the default. */
static void test_MS03_mtu9000_listen_syn_without_mss_send_mss_536(void **state)
{
	(void)state;
	struct toe_ref *r = new_mtu(9000);

	assert_int_equal(toe_ref_listen(r, KIT_LPORT), TOE_REF_OK);
	int c = passive_open(r, false, 0, 8960);
	struct toe_ref_conn_info i = info_of(r, c);
	assert_int_equal(i.peer_mss, 536);
	assert_int_equal(i.eff_mss, 536);
	toe_ref_free(r);
}

/* ---- MS-04: effective send MSS = min(peer MSS, MTU - 40) ---------------- */

/* MUST-16: "the "effective send MSS," MUST be the smaller of the send MSS
 * (that reflects the available reassembly buffer size at the remote host,
 * EMTU_R - 20) and the largest transmission unit permitted by the IP layer
 * (EMTU_S - 20)" minus options (we send none on data segments). */
static const struct {
	uint16_t mtu;
	uint16_t peer_mss;
	uint16_t eff;
} ms04_cases[] = {
	{ 1500, 1460, 1460 }, { 1500, 9000, 1460 }, { 1500, 1200, 1200 },
	{ 1500, 65535, 1460 }, { 9000, 8960, 8960 }, { 9000, 65535, 8960 },
	{ 9000, 1460, 1460 }, { 576, 1460, 536 }, { 1500, 1461, 1460 },
	{ 1500, 1459, 1459 },
};

static void test_MS04_listen_eff_mss_min_peer_local(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(ms04_cases) / sizeof(ms04_cases[0]); k++) {
		print_message("mtu %u peer %u\n", ms04_cases[k].mtu,
			      ms04_cases[k].peer_mss);
		struct toe_ref *r = new_mtu(ms04_cases[k].mtu);

		assert_int_equal(toe_ref_listen(r, KIT_LPORT), TOE_REF_OK);
		int c = passive_open(r, true, ms04_cases[k].peer_mss,
				     (uint16_t)(ms04_cases[k].mtu - 40));
		struct toe_ref_conn_info i = info_of(r, c);
		assert_int_equal(i.peer_mss, ms04_cases[k].peer_mss);
		assert_int_equal(i.eff_mss, ms04_cases[k].eff);
		passive_finish(r, c);
		i = info_of(r, c);
		assert_int_equal(i.eff_mss, ms04_cases[k].eff);
		toe_ref_free(r);
	}
}

static void test_MS04_connect_eff_mss_min_peer_local(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(ms04_cases) / sizeof(ms04_cases[0]); k++) {
		print_message("mtu %u peer %u\n", ms04_cases[k].mtu,
			      ms04_cases[k].peer_mss);
		struct toe_ref *r = new_mtu(ms04_cases[k].mtu);
		int c = active_open(r, (uint16_t)(ms04_cases[k].mtu - 40));

		active_finish(r, c, true, ms04_cases[k].peer_mss);
		struct toe_ref_conn_info i = info_of(r, c);
		assert_int_equal(i.peer_mss, ms04_cases[k].peer_mss);
		assert_int_equal(i.eff_mss, ms04_cases[k].eff);
		toe_ref_free(r);
	}
}

/* ---- MS-05: odd option lists and absurd MSS values --------------------- */

/* A SYN frame from the kit peer with these raw option bytes. */
static int syn_frame(uint8_t *buf, size_t cap, const uint8_t *opts, uint8_t n)
{
	struct toe_ip_meta ip = { 0, 64, true, 0x0101 };
	struct toe_seg s = kit_seg(TOE_TCP_SYN, KIT_IRS, 0);

	s.opt_raw = opts;
	s.opt_raw_len = n;
	int len = toe_build_frame(buf, cap, mac_us, mac_peer, &ip, &s);
	assert_true(len > 0);
	return len;
}

/* Feed a SYN frame with options to a listener (pinned ISS); expect the
 * SYN-ACK and return the new connection's peer MSS. */
static uint16_t listen_syn_opts_peer_mss(const uint8_t *opts, uint8_t n)
{
	uint8_t buf[256];
	struct toe_ref *r = kit_new_listen();
	int len = syn_frame(buf, sizeof(buf), opts, n);

	toe_ref_pin_isn(r, KIT_ISS);
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)len, KIT_MS(1)),
			 TOE_PARSE_OK);
	struct toe_ref_out o = kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK,
					      KIT_ISS, KIT_IRS + 1);
	expect_only_mss(&o);
	kit_expect_nothing(r);
	int c = kit_tuple(r);
	assert_true(c >= 0);
	uint16_t mss = info_of(r, c).peer_mss;
	toe_ref_free(r);
	return mss;
}

/* MUST-6: "A TCP implementation MUST ignore without error any TCP option
 * it does not implement, assuming that the option has a length field."
 * Unknown kinds 0xFD and 0xFE, plus window scale, SACK-permitted and
 * timestamps (which the stack does not implement), around an MSS of 1200;
 * our SYN-ACK answers with MSS only. */
static void test_MS05_listen_syn_unknown_options_ignored_mss_used(void **state)
{
	(void)state;
	static const uint8_t opts[] = {
		0xFD, 6, 1, 2, 3, 4,            /* unknown, length 6 */
		TOE_TCPOPT_NOP,
		TOE_TCPOPT_MSS, 4, 0x04, 0xB0,  /* MSS 1200 */
		TOE_TCPOPT_WSCALE, 3, 7,
		TOE_TCPOPT_SACK_PERM, 2,
		TOE_TCPOPT_TS, 10, 0, 0, 0, 1, 0, 0, 0, 0,
		0xFE, 2,                        /* unknown, length 2 */
	};

	assert_int_equal(listen_syn_opts_peer_mss(opts, sizeof(opts)), 1200);
}

/* MUST-64: "TCP implementations MUST be prepared to handle an MSS option
 * at any point in the option list" / options "may begin on any octet
 * boundary". MSS at offset 1 and at offset 3. */
static void test_MS05_listen_syn_unaligned_mss_parsed(void **state)
{
	(void)state;
	static const uint8_t at1[] = {
		TOE_TCPOPT_NOP, TOE_TCPOPT_MSS, 4, 0x03, 0xE8, /* 1000 */
		TOE_TCPOPT_NOP, TOE_TCPOPT_NOP, TOE_TCPOPT_NOP,
	};
	static const uint8_t at3[] = {
		0xFE, 3, 0xAA, TOE_TCPOPT_MSS, 4, 0x03, 0x20, /* 800 */
	};

	assert_int_equal(listen_syn_opts_peer_mss(at1, sizeof(at1)), 1000);
	assert_int_equal(listen_syn_opts_peer_mss(at3, sizeof(at3)), 800);
}

/* MUST-7: "A TCP implementation MUST be prepared to handle an illegal
 * option length (e.g., zero)". The codec rejects the frame
 * (TOE_PERR_TCP_OPT); the stack drops it silently, counts it, and is
 * unharmed: a good SYN afterwards is answered. */
static void ms05_bad_len(const uint8_t *opts, uint8_t n)
{
	uint8_t buf[256];
	struct toe_ref_stats st;
	struct toe_ref *r = kit_new_listen();
	int len = syn_frame(buf, sizeof(buf), opts, n);

	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)len, KIT_MS(1)),
			 TOE_PERR_TCP_OPT);
	kit_expect_nothing(r);
	assert_int_equal(toe_ref_conn_count(r), 0);
	toe_ref_stats(r, &st);
	assert_int_equal(st.parse_drops[-TOE_PERR_TCP_OPT], 1);

	static const uint8_t good[] = { TOE_TCPOPT_MSS, 4, 0x05, 0xB4 };
	len = syn_frame(buf, sizeof(buf), good, sizeof(good));
	toe_ref_pin_isn(r, KIT_ISS);
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)len, KIT_MS(2)),
			 TOE_PARSE_OK);
	kit_expect_seg(r, TOE_TCP_SYN | TOE_TCP_ACK, KIT_ISS, KIT_IRS + 1);
	kit_expect_nothing(r);
	assert_int_equal(info_of(r, kit_tuple(r)).peer_mss, 1460);
	toe_ref_free(r);
}

static void test_MS05_listen_syn_option_len_0_dropped_no_hang(void **state)
{
	(void)state;
	static const uint8_t a[] = { TOE_TCPOPT_MSS, 4, 0x05, 0xB4, 0xFE, 0, 0, 0 };
	static const uint8_t b[] = { 0xFE, 0, TOE_TCPOPT_MSS, 4, 0x05, 0xB4 };

	ms05_bad_len(a, sizeof(a));
	ms05_bad_len(b, sizeof(b));
}

static void test_MS05_listen_syn_option_len_1_dropped_no_hang(void **state)
{
	(void)state;
	static const uint8_t a[] = { 0xFE, 1, 1, 1 };

	ms05_bad_len(a, sizeof(a));
}

/* Length running past the end of the header (8 bytes of options). */
static void test_MS05_listen_syn_option_len_past_end_dropped_no_hang(void **state)
{
	(void)state;
	static const uint8_t a[] = { TOE_TCPOPT_NOP, TOE_TCPOPT_NOP,
				     TOE_TCPOPT_MSS, 8, 0x05, 0xB4, 0, 0 };
	static const uint8_t b[] = { 0xFE, 40, 1, 2 };

	ms05_bad_len(a, sizeof(a));
	ms05_bad_len(b, sizeof(b));
}

/* A data frame with an illegal option on an ESTABLISHED connection: no
 * ACK, no data, connection intact. */
static void test_MS05_established_data_bad_option_len_dropped_silently(void **state)
{
	(void)state;
	static const uint8_t opts[] = { 0xFE, 0, 0, 0 };
	uint8_t buf[256];
	struct toe_ip_meta ip = { 0, 64, true, 7 };
	struct toe_ref *r = kit_new(NULL);
	int c = kit_conn(r, TOE_ST_ESTABLISHED, 0);
	struct toe_seg s = kit_seg(TOE_TCP_ACK, KIT_IRS + 1, KIT_ISS + 1);

	s.opt_raw = opts;
	s.opt_raw_len = sizeof(opts);
	s.data = kit_payload();
	s.len = 10;
	int n = toe_build_frame(buf, sizeof(buf), mac_us, mac_peer, &ip, &s);
	assert_true(n > 0);
	assert_int_equal(toe_ref_input_frame(r, buf, (size_t)n, KIT_MS(1)),
			 TOE_PERR_TCP_OPT);
	kit_expect_nothing(r);
	struct toe_ref_conn_info i = info_of(r, c);
	assert_int_equal(i.state, TOE_ST_ESTABLISHED);
	assert_int_equal(i.rcv_nxt, KIT_IRS + 1);
	toe_ref_free(r);
}

/* Spec: "Peer MSS: option absent -> 536; 0 -> treated as absent (536);
 * 1..87 -> 88." */
static const struct {
	uint16_t mss, want;
} ms05_absurd[] = {
	{ 0, 536 }, { 1, 88 }, { 40, 88 }, { 87, 88 }, { 88, 88 }, { 89, 89 },
};

static void test_MS05_listen_syn_absurd_mss_clamped(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(ms05_absurd) / sizeof(ms05_absurd[0]); k++) {
		print_message("peer MSS %u\n", ms05_absurd[k].mss);
		struct toe_ref *r = kit_new_listen();
		int c = passive_open(r, true, ms05_absurd[k].mss, KIT_MSS);
		struct toe_ref_conn_info i = info_of(r, c);

		assert_int_equal(i.peer_mss, ms05_absurd[k].want);
		assert_int_equal(i.eff_mss, ms05_absurd[k].want);
		passive_finish(r, c);
		toe_ref_free(r);
	}
}

static void test_MS05_connect_synack_absurd_mss_clamped(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(ms05_absurd) / sizeof(ms05_absurd[0]); k++) {
		print_message("peer MSS %u\n", ms05_absurd[k].mss);
		struct toe_ref *r = kit_new(NULL);
		int c = active_open(r, KIT_MSS);

		active_finish(r, c, true, ms05_absurd[k].mss);
		struct toe_ref_conn_info i = info_of(r, c);
		assert_int_equal(i.peer_mss, ms05_absurd[k].want);
		assert_int_equal(i.eff_mss, ms05_absurd[k].want);
		toe_ref_free(r);
	}
}

/* The same through the codec: MSS 0 and MSS 1 on the wire. */
static void test_MS05_listen_syn_frame_mss_0_and_1(void **state)
{
	(void)state;
	static const uint8_t m0[] = { TOE_TCPOPT_MSS, 4, 0, 0 };
	static const uint8_t m1[] = { TOE_TCPOPT_MSS, 4, 0, 1 };

	assert_int_equal(listen_syn_opts_peer_mss(m0, sizeof(m0)), 536);
	assert_int_equal(listen_syn_opts_peer_mss(m1, sizeof(m1)), 88);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_MS01_mtu1500_connect_syn_mss_1460),
		cmocka_unit_test(test_MS01_mtu1500_listen_synack_mss_1460),
		cmocka_unit_test(test_MS01_mtu9000_connect_syn_mss_8960),
		cmocka_unit_test(test_MS01_mtu9000_listen_synack_mss_8960),
		cmocka_unit_test(test_MS01_mtu576_connect_syn_mss_536),
		cmocka_unit_test(test_MS01_mtu9000_syn_and_synack_retransmit_mss_8960),
		cmocka_unit_test(test_MS01_mtu9000_simultaneous_open_synack_mss_8960),
		cmocka_unit_test(test_MS02_passive_life_mss_only_on_synack_non_syn_mss_ignored),
		cmocka_unit_test(test_MS02_established_mss_option_on_ack_ignored),
		cmocka_unit_test(test_MS02_established_mss_option_frame_on_data_ignored),
		cmocka_unit_test(test_MS03_listen_syn_without_mss_send_mss_536),
		cmocka_unit_test(test_MS03_connect_synack_without_mss_send_mss_536),
		cmocka_unit_test(test_MS03_mtu9000_listen_syn_without_mss_send_mss_536),
		cmocka_unit_test(test_MS04_listen_eff_mss_min_peer_local),
		cmocka_unit_test(test_MS04_connect_eff_mss_min_peer_local),
		cmocka_unit_test(test_MS05_listen_syn_unknown_options_ignored_mss_used),
		cmocka_unit_test(test_MS05_listen_syn_unaligned_mss_parsed),
		cmocka_unit_test(test_MS05_listen_syn_option_len_0_dropped_no_hang),
		cmocka_unit_test(test_MS05_listen_syn_option_len_1_dropped_no_hang),
		cmocka_unit_test(test_MS05_listen_syn_option_len_past_end_dropped_no_hang),
		cmocka_unit_test(test_MS05_established_data_bad_option_len_dropped_silently),
		cmocka_unit_test(test_MS05_listen_syn_absurd_mss_clamped),
		cmocka_unit_test(test_MS05_connect_synack_absurd_mss_clamped),
		cmocka_unit_test(test_MS05_listen_syn_frame_mss_0_and_1),
	};

	return cmocka_run_group_tests_name("ref_ms", tests, NULL, NULL);
}
