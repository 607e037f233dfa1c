/* SPDX-License-Identifier: MIT */
/*
 * test_board_versa.c - the ECP5 Versa board top (fpga/ecp5-versa/
 * fpga_versa_top.v: PLL, LiteEth RGMII PHY + MAC, width adapter, clock
 * crossings, toe_top, 3 Mbaud UART, LEDs) in Verilator, driven through its
 * pins only (sim/board/versa_board.h): a 100 MHz oscillator, the push
 * button, an RGMII PHY model (rgmii_phy.h) and the FT2232H's UART
 * (uart_host.h). The host side is the real libtoe: its sim: transport
 * carries the bridge protocol's bytes to and from the UART model's pins
 * (sim/board/versa_host.h, shared with toe-simd --board=ecp5-versa), so
 * every register access is 8N1 characters on uart_rx / uart_tx, as over
 * ftdi:// on a board.
 *
 * The tests run in order on one board (each needs the previous):
 *  1. power-up: the PLL model locks (LED 6); the board comes up once from
 *     its random state, then the button is pressed (versa_board.h: the
 *     simulation's asynchronous presets need the edge); the PHY leaves
 *     reset 2^PHY_RST_LOG2 engine cycles (60 MHz = 100 MHz * 3 / 5, from
 *     the top's PLL settings) after the engine's reset, the in-band link
 *     status is seen (LED 0), nothing lost (LED 7), no frame (LEDs 1, 2);
 *  2. over the UART: open (ID, protocol and register map versions, the
 *     build's table sizes), configuration written and read back
 *     (toe_config_set compares), ISN pinned, enabled, a listener;
 *  3. an ARP request gets the reply the C model (toe_l2.h) builds;
 *  4. three ICMP echo requests sent back to back get the replies the C
 *     model builds (IP IDs from the configuration), sent back to back;
 *  5. a three-way handshake with the engine as server, then the peer
 *     closes (passive close: FIN -> ACK, CLOSE-WAIT, close() over the
 *     UART -> FIN, LAST-ACK, ACK -> CLOSED); every segment is compared
 *     byte for byte with the frame the codec (toe_wire.h) builds from the
 *     RFC 9293 values: SEQ/ACK from the pinned ISS and the peer's ISN,
 *     SYN and FIN counting one, MSS = MTU - 40 on the SYN-ACK only, window,
 *     TTL, DF and IP IDs from the configuration; the events (ESTABLISHED,
 *     PEER_FIN, CLOSED) and connection states read over the UART;
 *  6. a frame with a bad FCS gets no answer and is counted by the engine
 *     as a frame the MAC flagged bad (STAT_MAC_BAD: LiteEth's CRC checker
 *     sets the error bit on the last byte, fpga_mac_adapt makes it tuser);
 *     the same frame with a good FCS is answered;
 *  7. the engine's counters read over the UART after the run equal what
 *     was sent (segments in and out, ARP / ICMP replies, parser drops as
 *     the codec classifies every frame sent, MAC-bad frames, no bridge
 *     CRC errors, no link retries), the PHY model saw no RGMII error
 *     (preamble, SFD, FCS, gap, TX_ER) and the UART no framing error;
 *  8. the button during operation (after traffic): the board comes back,
 *     the host configures it again, an ARP request is answered, and the
 *     engine saw that frame only (nothing stale replayed from the receive
 *     FIFO, nothing stale sent by LiteEth);
 *  9. the host link with 1 % of the UART characters corrupted, both ways
 *     (uart_host_set_noise: one data bit inverted on the line), under a
 *     real workload through libtoe: SCRATCH written and read back 120
 *     times, 8 listeners, 8 handshakes whose ESTABLISHED events are
 *     popped, 8 aborts (one RST each on the wire), 8 unlistens; every
 *     call must succeed, every value read back must be the one written,
 *     and each request must have run exactly once: a command run twice
 *     fails (EADDRINUSE, ENOTCONN) or sends a second RST, an event popped
 *     twice is missing, and the engine's count of requests it executed
 *     (BRIDGE_FRAMES - BRIDGE_REPLAY) equals the host's count of requests
 *     made. Retries, replays and CRC errors on both sides must have
 *     happened (the noise really hit).
 *
 * Every wait is bounded in simulated time; the model's random initial
 * state comes from SEED, the noise from NOISE_SEED (environment variable
 * VERSA_UART_NOISE_SEED, default 20261207), both printed with every
 * failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame_edit.h"
#include "toe/toe.h"
#include "toe_l2.h"
#include "toe_transport.h"
#include "toe_wire.h"
#include "test_rng.h"
#include "versa_host.h"

#ifndef PHY_RST_LOG2
#error "PHY_RST_LOG2 (the top's parameter the model is built with) must be defined"
#endif

/* the model's random initial state */
#define SEED 20261208u

/* the project's test addresses (tests/host/test_host_sim.c) */
static const uint8_t OUR_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t PEER_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
#define OUR_IP 0x0A000001u  /* 10.0.0.1 */
#define PEER_IP 0x0A000002u /* 10.0.0.2 */
#define OUR_MTU 1500
#define OUR_WND 8760
#define OUR_TTL 64
#define IP_ID_INIT 0x5000
#define IP_ID_STEP 1
#define LPORT 80
#define RPORT 40000
#define PEER_WND 29200
/* our ISS (pinned over the UART) and the peer's ISN */
#define ISS 0x12345678u
#define IRS 0xFFFFFF00u /* SEQ wraps past 2^32 */

#define US(x) VERSA_US(x)
/* watchdogs, simulated time */
#define BOOT_PS (US(1) * (5 + (1ull << PHY_RST_LOG2) / 50))
#define REPLY_PS US(50)  /* a frame answered */
#define QUIET_PS US(50)  /* no answer */
#define EVENT_MS 5       /* an event over the UART */
#define RUN_PS US(300000) /* the whole run */

/* LEDs, low = lit */
#define LED_LINK VERSA_LED_LINK
#define LED_RX VERSA_LED_RX
#define LED_TX VERSA_LED_TX
#define LED_PLL VERSA_LED_PLL
#define LED_LOST VERSA_LED_LOST

/* test 9: the noisy host link */
#define NOISE_PPM 10000            /* 1 % of the characters, each way */
#define NOISE_SEED_DEFAULT 20261207u
/* The host's timeout per attempt: 1 ms of simulated time. It is shorter
 * than the bridge's byte timeout (250000 cycles, 4.2 ms at 60 MHz), which
 * docs/host-bridge.md allows ("Timeouts": it costs retries, not
 * correctness) and which is the harder case for exactly-once: a
 * retransmission can arrive while the bridge still holds a broken frame.
 * The transport's clock counts whole milliseconds, so a 1 ms timeout ends
 * at the next millisecond boundary, 0 to 1 ms after the send: a response
 * that needs longer than what is left (about 5 % of them here, noise or
 * not) is retransmitted and answered from the bridge's cache, which tests
 * exactly-once as well. So retries and replays alone do not prove that
 * the noise hit; the CRC errors on both sides do (checked below). A
 * timeout costs 0.5 ms of simulated time on average, about 0.2 s of the
 * runner's time. 20 retries, so that a request swallowed by a long broken
 * frame (a LEN hit) does not run out of them. */
#define NOISE_URI "sim:?timeout=1&retries=20"
#define NOISE_SCRATCH 120          /* SCRATCH write + read-back pairs */
#define NOISE_CONNS 8              /* listeners, handshakes, aborts */
#define NOISE_LPORT 5000           /* + i: the listeners */
#define NOISE_RPORT 41000          /* + i: the peer's ports */
#define NOISE_MIN_TRANSACTIONS 300
#define NOISE_RUN_PS US(400000)    /* the watchdog of test 9 */

static uint64_t noise_seed = NOISE_SEED_DEFAULT;

static struct versa_board *board;
static struct versa_host host;
static struct toe *t;
/* what was sent, for the counters at the end */
static unsigned n_segs_in, n_segs_out, n_arp, n_icmp, n_mac_bad;
static uint64_t parse_drops[TOE_PERR_COUNT];

#define bfail(...)                                                         \
	do {                                                               \
		print_error("seed %u, noise seed %" PRIu64 ", at %" PRIu64 \
			    " ps: ", SEED, noise_seed,                      \
			    board ? versa_board_time_ps(board) : 0);        \
		fail_msg(__VA_ARGS__);                                     \
	} while (0)

static void ok(int r, const char *what)
{
	if (r < 0)
		bfail("%s: %s: %s", what, toe_strerror(r), toe_errmsg(t));
}

/* the host link's watchdog (versa_host.h): simulated time beyond RUN_PS */
static void watchdog(void *arg, uint64_t now_ps)
{
	(void)arg;
	(void)now_ps;
	bfail("watchdog: simulated time beyond %" PRIu64 " ps", host.limit_ps);
}

/* ---- frames through the PHY ---- */

static void run_for(uint64_t ps)
{
	versa_board_run_until(board, versa_board_time_ps(board) + ps);
}

/* Send a frame to the FPGA; count what the engine's parser will make of
 * it (the codec's verdict: ARP is an ethertype drop, ICMP an IP protocol
 * drop) when it reaches the engine with a good FCS. */
static void send(const uint8_t *f, size_t n, unsigned flags)
{
	struct toe_frame fr;
	int r;

	if (rgmii_phy_send(versa_board_phy(board), f, n, flags) < 0)
		bfail("PHY model: frame of %zu bytes not queued", n);
	if (flags & RGMII_BAD_FCS) {
		n_mac_bad++;
		return;
	}
	r = toe_parse_frame(f, n, &fr);
	if (r == TOE_PARSE_OK)
		n_segs_in++;
	else
		parse_drops[-r]++;
}

/* The next frame from the FPGA (no FCS: the PHY model checked it). */
static size_t recv_frame(uint8_t *buf, size_t cap, const char *what)
{
	uint64_t end = versa_board_time_ps(board) + REPLY_PS;
	size_t n;

	while ((n = rgmii_phy_recv(versa_board_phy(board), buf, cap, NULL)) == 0) {
		if (rgmii_phy_errors(versa_board_phy(board)))
			bfail("%s: RGMII error: %s", what,
			      rgmii_phy_first_error(versa_board_phy(board)));
		if (versa_board_time_ps(board) >= end)
			bfail("%s: no frame from the FPGA within %" PRIu64 " ps",
			      what, REPLY_PS);
		run_for(US(1));
	}
	return n;
}

/* Nothing from the FPGA for QUIET_PS (and the PHY model saw no error). */
static void expect_quiet(const char *what)
{
	uint8_t buf[1600];
	size_t n;

	run_for(QUIET_PS);
	n = rgmii_phy_recv(versa_board_phy(board), buf, sizeof(buf), NULL);
	if (n)
		bfail("%s: unexpected %zu-byte frame from the FPGA", what, n);
	if (rgmii_phy_errors(versa_board_phy(board)))
		bfail("%s: RGMII error: %s", what,
		      rgmii_phy_first_error(versa_board_phy(board)));
}

static void hexdump(const char *label, const uint8_t *b, size_t n)
{
	print_error("%s (%zu bytes):", label, n);
	for (size_t i = 0; i < n; i++)
		print_error("%s%02x", i % 16 ? " " : "\n  ", b[i]);
	print_error("\n");
}

static void expect_bytes(const uint8_t *got, size_t n, const uint8_t *want,
			 size_t wn, const char *what)
{
	size_t i = 0;

	while (i < n && i < wn && got[i] == want[i])
		i++;
	if (i == n && n == wn)
		return;
	hexdump("from the FPGA", got, n);
	hexdump("expected", want, wn);
	if (n != wn)
		bfail("%s: %zu bytes, want %zu", what, n, wn);
	bfail("%s: byte %zu is 0x%02x, want 0x%02x", what, i, got[i], want[i]);
}

/* A TCP segment from the peer to our port. */
static void peer_seg(uint8_t flags, uint32_t seq, uint32_t ack, uint16_t mss,
		     unsigned fcs_flags)
{
	uint8_t buf[128];
	size_t n = fe_peer_segment(buf, sizeof(buf), OUR_MAC, PEER_MAC, PEER_IP,
				   OUR_IP, RPORT, LPORT, flags, seq, ack,
				   PEER_WND, mss);

	assert_true(n > 0);
	send(buf, n, fcs_flags);
}

/*
 * The next frame from the FPGA must be this segment from us to the peer,
 * byte for byte as the codec builds it: IPv4 ID ip_id, TTL and DF from the
 * configuration, window OUR_WND, an MSS option of MTU - 40 on a SYN only
 * (RFC 9293 3.7.1).
 */
static void expect_seg(uint8_t flags, uint32_t seq, uint32_t ack,
		       uint16_t ip_id, const char *what)
{
	struct toe_seg sg;
	struct toe_ip_meta ip = { .ttl = OUR_TTL, .df = true, .id = ip_id };
	struct toe_frame fr;
	uint8_t want[128], got[1600];
	size_t n;
	int wn;

	memset(&sg, 0, sizeof(sg));
	sg.src_ip = OUR_IP;
	sg.dst_ip = PEER_IP;
	sg.src_port = LPORT;
	sg.dst_port = RPORT;
	sg.seq = seq;
	sg.ack = ack;
	sg.flags = flags;
	sg.win = OUR_WND;
	if (flags & TOE_TCP_SYN) {
		sg.opt.has_mss = true;
		sg.opt.mss = OUR_MTU - 40;
	}
	wn = toe_build_frame(want, sizeof(want), PEER_MAC, OUR_MAC, &ip, &sg);
	assert_true(wn > 0);
	n = recv_frame(got, sizeof(got), what);
	/* a readable diagnosis first, then every byte */
	if (toe_parse_frame(got, n, &fr) != TOE_PARSE_OK) {
		hexdump("from the FPGA", got, n);
		bfail("%s: the FPGA's frame does not parse", what);
	}
	if (fr.seg.flags != flags || fr.seg.seq != seq || fr.seg.ack != ack)
		bfail("%s: flags 0x%02x seq 0x%08x ack 0x%08x, want 0x%02x "
		      "0x%08x 0x%08x", what, fr.seg.flags, fr.seg.seq,
		      fr.seg.ack, flags, seq, ack);
	expect_bytes(got, n, want, (size_t)wn, what);
	n_segs_out++;
}

static void expect_event(int type, int conn)
{
	struct toe_event ev;
	int r = toe_event_poll(t, &ev, EVENT_MS);

	ok(r, "event poll");
	if (r == 0)
		bfail("no event within %d ms, want %s", EVENT_MS,
		      toe_event_name(type));
	if (ev.type != type || (conn >= 0 && ev.conn != conn))
		bfail("event %s conn %d, want %s conn %d",
		      toe_event_name(ev.type), ev.conn, toe_event_name(type),
		      conn);
}

static int conn_state(int id)
{
	struct toe_conn_info ci;

	ok(toe_conn_info(t, id, &ci), "conn info");
	return ci.state;
}

/* ---- the tests ---- */

static int setup(void **state)
{
	(void)state;
	board = versa_board_new(SEED);
	if (!board) {
		print_error("the board model could not start\n");
		return -1;
	}
	host.b = board;
	host.limit_ps = RUN_PS;
	host.on_limit = watchdog;
	t = toe_new();
	return t ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	if (board)
		print_message("board: %" PRIu64 " ps simulated, %" PRIu64
			      " model evaluations, seed %u\n",
			      versa_board_time_ps(board), versa_board_evals(board),
			      SEED);
	toe_free(t);
	versa_board_free(board);
	board = NULL;
	return 0;
}

/*
 * Press the button for 1 us, release it, wait for the PHY's reset pin: it
 * must rise exactly 2^PHY_RST_LOG2 cycles of the 60 MHz clock after the
 * engine's reset (two to three cycles after the button: a 2-FF
 * synchronizer); then the PHY model's clock starts (1 us) and LiteEth's
 * PHY side leaves its reset (256 cycles). What the FPGA sent before the
 * press is forgotten.
 */
static void press_button(void)
{
	uint64_t t_rst, want, lo, hi;

	if (versa_press_button(board, BOOT_PS, &t_rst) < 0)
		bfail("%s", t_rst ? "PHY reset pin still low after the button" :
		      "PHY reset pin high while the button is pressed");
	want = ((1ull << PHY_RST_LOG2) + 2) * 1000000ull / 60;
	lo = want - 16667;
	hi = want + 2 * 16667 + 10000;
	if (t_rst < lo || t_rst > hi)
		bfail("PHY reset released %" PRIu64 " ps after the button, want %"
		      PRIu64 "..%" PRIu64 " (2^%d cycles of 60 MHz)", t_rst, lo,
		      hi, PHY_RST_LOG2);
}

/* LEDs after a reset: PLL locked, link up, nothing lost, no frame. */
static void expect_leds_after_reset(void)
{
	uint8_t led = versa_board_led(board);

	if (led & LED_PLL)
		bfail("LEDs 0x%02x: PLL not locked", led);
	if (led & LED_LINK)
		bfail("LEDs 0x%02x: link down (RGMII in-band status not seen)", led);
	if (!(led & LED_LOST))
		bfail("LEDs 0x%02x: something lost already", led);
	if (!(led & LED_RX) || !(led & LED_TX))
		bfail("LEDs 0x%02x: frame activity before any frame", led);
}

/*
 * Power-up, then a press of the button: the PLL locks (LED 6); the PHY
 * comes out of reset (its power-up pass, from the random initial state);
 * the button resets everything (Verilator's edge-triggered presets miss a
 * reset level that is high from time 0, versa_board.h) and the PHY
 * reset follows it by 2^PHY_RST_LOG2 cycles; the in-band link status is
 * seen (LED 0), nothing is lost (LED 7), no frame went by (LEDs 1, 2).
 */
static void test_board_powers_up(void **state)
{
	uint8_t led;

	(void)state;
	/* the PLL model locks after 32 cycles of clk100 (LEDs at 1 us); the
	 * power-up pass of the PHY reset counter (random start); the PHY's
	 * clock runs */
	if (versa_power_up(board, BOOT_PS, &led) < 0)
		bfail("PHY reset pin still low after power-up");
	if (led & LED_PLL)
		bfail("LEDs 0x%02x at 1 us: PLL not locked", led);
	/* then the button */
	press_button();
	expect_leds_after_reset();
}

/* libtoe over the UART: open, identify, configure (written, read back
 * and compared by the library), pin the ISN, enable, listen. */
static void open_configure_listen(void)
{
	struct toe_info in;
	struct toe_config c, back;

	toe_transport_set_sim_engine(versa_host_engine(&host));
	ok(toe_open(t, "sim:"), "open over the UART");
	ok(toe_get_info(t, &in), "info");
	assert_int_equal(in.id, 0x544F4531); /* "TOE1" */
	assert_int_equal(in.version_major, TOE_REGMAP_MAJOR);
	assert_int_equal(in.proto_version, 1);
	/* toe_top's defaults, which the board top keeps */
	assert_int_equal(in.n_conn, 1024);
	assert_int_equal(in.n_listen, 64);
	assert_int_equal(in.max_burst, 32);
	assert_int_equal(in.stream_bytes, 8);

	toe_config_default(&c);
	memcpy(c.mac, OUR_MAC, 6);
	c.ip = OUR_IP;
	c.mtu = OUR_MTU;
	c.rcv_wnd = OUR_WND;
	c.ttl = OUR_TTL;
	c.df = true;
	c.ip_id_init = IP_ID_INIT;
	c.ip_id_step = IP_ID_STEP;
	c.clock_hz = VERSA_CLK_HZ;
	ok(toe_config_set(t, &c), "config");
	ok(toe_config_get(t, &back), "config get");
	assert_memory_equal(back.mac, OUR_MAC, 6);
	assert_int_equal(back.ip, OUR_IP);
	assert_int_equal(back.clock_hz, VERSA_CLK_HZ);
	ok(toe_isn_pin(t, ISS), "ISN pin");
	ok(toe_enable(t, true), "enable");
	ok(toe_listen(t, LPORT), "listen");
}

static void test_uart_open_configure_listen(void **state)
{
	(void)state;
	open_configure_listen();
}

static void test_arp_request_gets_reply(void **state)
{
	uint8_t req[60], want[64], got[1600];
	size_t n;
	int wn;

	(void)state;
	send(req, fe_arp_request(req, PEER_MAC, PEER_IP, OUR_IP), 0);
	wn = toe_ref_arp_reply(req, 60, OUR_MAC, OUR_IP, want, sizeof(want));
	assert_int_equal(wn, 60);
	n = recv_frame(got, sizeof(got), "ARP reply");
	expect_bytes(got, n, want, (size_t)wn, "ARP reply");
	n_arp++;
	/* for someone else: nothing */
	send(req, fe_arp_request(req, PEER_MAC, PEER_IP, OUR_IP + 1), 0);
	expect_quiet("ARP request for another address");
}

/* Three echo requests back to back (the PHY model sends them with the
 * minimum gap): three replies, IP IDs IP_ID_INIT, + 1, + 2, as fast as
 * the MAC sends them (the PHY model checks the gap between them). */
static void test_icmp_echo_gets_reply(void **state)
{
	static const size_t dlen[3] = { 32, 1, 200 };
	uint8_t req[3][300], want[300], got[1600];
	size_t rn[3], n;
	int wn;

	(void)state;
	for (int k = 0; k < 3; k++) {
		rn[k] = fe_echo_request(req[k], OUR_MAC, PEER_MAC, PEER_IP, OUR_IP,
					0x4242, (uint16_t)k, dlen[k]);
		send(req[k], rn[k], 0);
	}
	for (int k = 0; k < 3; k++) {
		/* the ICMP replies' IP IDs count from IP_ID_INIT */
		wn = toe_ref_icmp_reply(req[k], rn[k], OUR_MAC, OUR_IP, want,
					sizeof(want), OUR_TTL,
					(uint16_t)(IP_ID_INIT + k * IP_ID_STEP));
		assert_true(wn > 0);
		n = recv_frame(got, sizeof(got), "ICMP echo reply");
		expect_bytes(got, n, want, (size_t)wn, "ICMP echo reply");
		n_icmp++;
	}
}

/* Engine as server, peer closes first (RFC 9293 3.5 / 3.6). The TCP IP
 * IDs count from IP_ID_INIT on their own (pings do not shift them). */
static void test_tcp_handshake_and_passive_close(void **state)
{
	struct toe_conn_info ci;
	struct toe_event ev;
	int id;

	(void)state;
	/* LISTEN: <SEQ=IRS><CTL=SYN> -> <SEQ=ISS><ACK=IRS+1><CTL=SYN,ACK> */
	peer_seg(TOE_TCP_SYN, IRS, 0, 1460, 0);
	expect_seg(TOE_TCP_SYN | TOE_TCP_ACK, ISS, IRS + 1, IP_ID_INIT,
		   "SYN-ACK");
	/* <SEQ=IRS+1><ACK=ISS+1><CTL=ACK> -> ESTABLISHED, nothing sent */
	peer_seg(TOE_TCP_ACK, IRS + 1, ISS + 1, 0, 0);
	expect_quiet("after the handshake's ACK");
	ok(toe_event_poll(t, &ev, EVENT_MS), "event poll");
	if (ev.type != TOE_EV_ESTABLISHED)
		bfail("event %s, want ESTABLISHED", toe_event_name(ev.type));
	id = ev.conn;
	ok(toe_conn_info(t, id, &ci), "conn info");
	assert_int_equal(ci.state, TOE_ST_ESTABLISHED);
	assert_true(ci.passive);
	assert_int_equal(ci.iss, ISS);
	assert_int_equal(ci.irs, IRS);
	assert_int_equal(ci.local_port, LPORT);
	assert_int_equal(ci.remote_port, RPORT);
	assert_int_equal(ci.remote_ip, PEER_IP);
	assert_int_equal(ci.snd_nxt, ISS + 1);
	assert_int_equal(ci.rcv_nxt, IRS + 1);
	assert_int_equal(ci.snd_wnd, PEER_WND);
	/* the peer closes: <SEQ=IRS+1><ACK=ISS+1><CTL=FIN,ACK> -> the FIN
	 * takes one sequence number: <SEQ=ISS+1><ACK=IRS+2><CTL=ACK>,
	 * CLOSE-WAIT */
	peer_seg(TOE_TCP_FIN | TOE_TCP_ACK, IRS + 1, ISS + 1, 0, 0);
	expect_seg(TOE_TCP_ACK, ISS + 1, IRS + 2, IP_ID_INIT + IP_ID_STEP,
		   "ACK of the peer's FIN");
	expect_event(TOE_EV_PEER_FIN, id);
	assert_int_equal(conn_state(id), TOE_ST_CLOSE_WAIT);
	/* close() over the UART: <SEQ=ISS+1><ACK=IRS+2><CTL=FIN,ACK>,
	 * LAST-ACK */
	ok(toe_conn_close(t, id), "close");
	expect_seg(TOE_TCP_FIN | TOE_TCP_ACK, ISS + 1, IRS + 2,
		   IP_ID_INIT + 2 * IP_ID_STEP, "our FIN");
	assert_int_equal(conn_state(id), TOE_ST_LAST_ACK);
	/* <SEQ=IRS+2><ACK=ISS+2><CTL=ACK> -> CLOSED, nothing sent */
	peer_seg(TOE_TCP_ACK, IRS + 2, ISS + 2, 0, 0);
	expect_quiet("after the ACK of our FIN");
	expect_event(TOE_EV_CLOSED, id);
	assert_int_equal(conn_state(id), TOE_ST_CLOSED);
}

/* A frame with a bad FCS: LiteEth flags it, the engine drops and counts
 * it (STAT_MAC_BAD) and answers nothing; the same frame with its FCS
 * right is answered. */
static void test_bad_fcs_dropped_and_counted(void **state)
{
	uint8_t req[60], want[64], got[1600];
	uint64_t bad0, bad1;
	size_t n;

	(void)state;
	ok(toe_reg_read64(t, TOE_REG_STAT_MAC_BAD, &bad0), "STAT_MAC_BAD");
	fe_arp_request(req, PEER_MAC, PEER_IP, OUR_IP);
	send(req, 60, RGMII_BAD_FCS);
	expect_quiet("ARP request with a bad FCS");
	ok(toe_reg_read64(t, TOE_REG_STAT_MAC_BAD, &bad1), "STAT_MAC_BAD");
	if (bad1 != bad0 + 1)
		bfail("STAT_MAC_BAD %" PRIu64 " -> %" PRIu64 ", want one more",
		      bad0, bad1);
	/* the same request, FCS right: answered */
	send(req, 60, 0);
	assert_int_equal(toe_ref_arp_reply(req, 60, OUR_MAC, OUR_IP, want,
					   sizeof(want)), 60);
	n = recv_frame(got, sizeof(got), "ARP reply after the bad FCS");
	expect_bytes(got, n, want, 60, "ARP reply after the bad FCS");
	n_arp++;
}

/* The counters read over the UART equal what was sent; no RGMII or UART
 * error on the way. */
static void test_counters_after_run(void **state)
{
	struct toe_stats st;
	struct uart_host *u = versa_board_uart(board);
	uint8_t led;

	(void)state;
	run_for(US(10));
	ok(toe_get_stats(t, &st), "stats");
	print_message("segs in %" PRIu64 " out %" PRIu64 ", ARP %u ICMP %u, "
		      "MAC bad %" PRIu64 ", bridge frames %u, UART bytes in %"
		      PRIu64 ", link transactions %" PRIu64 "\n",
		      st.segs_in, st.segs_out, st.arp_replies, st.icmp_replies,
		      st.mac_bad, st.bridge_frames, uart_host_rx_count(u),
		      st.link_transactions);
	assert_int_equal(st.segs_in, n_segs_in);
	assert_int_equal(st.segs_out, n_segs_out);
	assert_int_equal(st.rst_out, 0);
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.retransmits, 0);
	assert_int_equal(st.arp_replies, n_arp);
	assert_int_equal(st.icmp_replies, n_icmp);
	assert_int_equal(st.mac_bad, n_mac_bad);
	for (int i = 1; i < TOE_PERR_COUNT; i++)
		if (st.parse_drops[i] != parse_drops[i])
			bfail("parse drops for %s: %" PRIu64 ", want %" PRIu64,
			      toe_parse_result_name(-i), st.parse_drops[i],
			      parse_drops[i]);
	/* a clean host link: no CRC error, timeout or retry either side */
	assert_int_equal(st.bridge_crc_errors, 0);
	assert_int_equal(st.bridge_timeouts, 0);
	assert_int_equal(st.bridge_replays, 0);
	assert_int_equal(st.link_retries, 0);
	assert_int_equal(st.link_timeouts, 0);
	assert_int_equal(st.link_crc_errors, 0);
	assert_int_equal(uart_host_framing_errors(u), 0);
	assert_int_equal(uart_host_glitches(u), 0);
	assert_int_equal(rgmii_phy_errors(versa_board_phy(board)), 0);
	/* every frame was seen by the PHY model */
	assert_int_equal(rgmii_phy_received(versa_board_phy(board)),
			 n_segs_out + n_arp + n_icmp);
	led = versa_board_led(board);
	if (!(led & LED_LOST))
		bfail("LEDs 0x%02x: the sticky 'something lost' LED is lit", led);
	if (led & (LED_RX | LED_TX))
		bfail("LEDs 0x%02x: frame activity LEDs dark", led);
}

/*
 * The button during operation, after traffic: the FIFO pointers and
 * LiteEth's clock-domain FIFOs are far from 0. After the reset the PHY
 * comes back, the host opens and configures the engine again over the
 * UART, an ARP request is answered byte for byte, and the engine has seen
 * that one frame only: nothing stale from before the reset reached it
 * (the receive FIFO's old frames would be counted and answered), nothing
 * stale went out (the PHY model would see it).
 */
static void test_button_reset_during_operation(void **state)
{
	uint8_t req[60], want[64], got[1600];
	struct toe_stats st;
	size_t n;

	(void)state;
	toe_close(t);
	press_button();
	expect_leds_after_reset();
	open_configure_listen();
	send(req, fe_arp_request(req, PEER_MAC, PEER_IP, OUR_IP), 0);
	assert_int_equal(toe_ref_arp_reply(req, 60, OUR_MAC, OUR_IP, want,
					   sizeof(want)), 60);
	n = recv_frame(got, sizeof(got), "ARP reply after the reset");
	expect_bytes(got, n, want, 60, "ARP reply after the reset");
	expect_quiet("after the ARP reply");
	ok(toe_get_stats(t, &st), "stats");
	assert_int_equal(st.segs_in, 0);
	assert_int_equal(st.segs_out, 0);
	assert_int_equal(st.mac_bad, 0);
	assert_int_equal(st.arp_replies, 1);
	assert_int_equal(st.icmp_replies, 0);
	for (int i = 1; i < TOE_PERR_COUNT; i++)
		assert_int_equal(st.parse_drops[i], i == -TOE_PERR_ETHERTYPE);
	assert_int_equal(rgmii_phy_received(versa_board_phy(board)), 1);
	assert_int_equal(rgmii_phy_errors(versa_board_phy(board)), 0);
	assert_int_equal(uart_host_framing_errors(versa_board_uart(board)), 0);
}

/* ---- 9: the host link with corrupted characters ---- */

/* A segment from the peer's port rport to our port lport. */
static void peer_seg_ports(uint16_t rport, uint16_t lport, uint8_t flags,
			   uint32_t seq, uint32_t ack, uint16_t mss)
{
	uint8_t buf[128];
	size_t n = fe_peer_segment(buf, sizeof(buf), OUR_MAC, PEER_MAC, PEER_IP,
				   OUR_IP, rport, lport, flags, seq, ack,
				   PEER_WND, mss);

	assert_true(n > 0);
	send(buf, n, 0);
}

/* The next frame from the FPGA, which must be a TCP segment from our
 * port lport to the peer's rport with exactly these flags; its SEQ. */
static uint32_t expect_tcp_from(uint16_t lport, uint16_t rport, uint8_t flags,
				uint32_t ack, const char *what)
{
	struct toe_frame fr;
	uint8_t got[1600];
	size_t n = recv_frame(got, sizeof(got), what);

	if (toe_parse_frame(got, n, &fr) != TOE_PARSE_OK) {
		hexdump("from the FPGA", got, n);
		bfail("%s: the FPGA's frame does not parse", what);
	}
	if (fr.seg.src_port != lport || fr.seg.dst_port != rport ||
	    fr.seg.flags != flags || fr.seg.ack != ack)
		bfail("%s: ports %u -> %u flags 0x%02x ack 0x%08x, want %u -> %u "
		      "0x%02x 0x%08x", what, fr.seg.src_port, fr.seg.dst_port,
		      fr.seg.flags, fr.seg.ack, lport, rport, flags, ack);
	n_segs_out++;
	return fr.seg.seq;
}

/*
 * 1 % of the characters corrupted each way on the UART pins; a workload
 * through libtoe that would show a request lost (a call failing, a value
 * read back that is not the one written, a listener or a connection
 * missing) or run twice (a command run again fails with EADDRINUSE or
 * ENOTCONN or sends a second RST; an EV_POP run again loses an event; the
 * engine's count of requests executed would exceed the host's count of
 * requests made); and the proof that the noise did hit: retries on the
 * host, CRC errors and replays in the bridge, CRC errors in the host's
 * decoder.
 */
static void test_uart_noise_loses_and_duplicates_nothing(void **state)
{
	struct uart_host *u = versa_board_uart(board);
	struct toe_stats s0, s1;
	struct toe_event ev;
	uint64_t rng = noise_seed ^ 0x5EEDull, t0 = versa_board_time_ps(board);
	uint64_t d_frames, d_replays, d_exec, d_trans, rx0, tx0;
	uint32_t last = 0, v, irs[NOISE_CONNS], iss[NOISE_CONNS];
	int conn_of[NOISE_CONNS], n_est = 0, n_closed = 0;
	bool seen[1024] = { false };

	(void)state;
	/* the noise from the first byte of the open on */
	toe_close(t);
	uart_host_set_noise(u, NOISE_PPM, noise_seed);
	rx0 = uart_host_rx_count(u);
	tx0 = uart_host_tx_count(u);
	host.limit_ps = t0 + NOISE_RUN_PS;
	toe_transport_set_sim_engine(versa_host_engine(&host));
	ok(toe_open(t, NOISE_URI), "open over the noisy UART");
	ok(toe_get_stats(t, &s0), "stats before");

	/* writes and reads: each value read back is the one written (a
	 * lost write, or a corrupted one that got through, shows here) */
	for (int i = 0; i < NOISE_SCRATCH; i++) {
		uint32_t x = (uint32_t)rng_next(&rng);

		ok(toe_reg_write(t, TOE_REG_SCRATCH, x), "SCRATCH write");
		ok(toe_reg_read(t, TOE_REG_SCRATCH, &v), "SCRATCH read");
		if (v != x)
			bfail("round %d: SCRATCH reads 0x%08x, 0x%08x written", i,
			      v, x);
		last = x;
	}
	/* listeners: LISTEN run twice fails with EADDRINUSE */
	for (int i = 0; i < NOISE_CONNS; i++)
		ok(toe_listen(t, (uint16_t)(NOISE_LPORT + i)), "listen");
	/* a handshake on each (the Ethernet side is clean): each listener
	 * is there, and each connection pushes one ESTABLISHED event */
	for (int i = 0; i < NOISE_CONNS; i++) {
		uint16_t lp = (uint16_t)(NOISE_LPORT + i);
		uint16_t rp = (uint16_t)(NOISE_RPORT + i);

		irs[i] = 0x10000000u * (uint32_t)(i + 1);
		peer_seg_ports(rp, lp, TOE_TCP_SYN, irs[i], 0, 1460);
		iss[i] = expect_tcp_from(lp, rp, TOE_TCP_SYN | TOE_TCP_ACK,
					 irs[i] + 1, "SYN-ACK (noisy host link)");
		peer_seg_ports(rp, lp, TOE_TCP_ACK, irs[i] + 1, iss[i] + 1, 0);
		conn_of[i] = -1;
	}
	run_for(US(20));
	/* the events: exactly one ESTABLISHED per connection (an EV_POP
	 * run twice would have lost one), each for a connection of ours;
	 * all are in the engine's FIFO by now, so no waiting (a wait costs
	 * simulated time: a poll with a timeout waits for a notification) */
	for (;;) {
		int r = toe_event_poll(t, &ev, 0);
		struct toe_conn_info ci;
		int i;

		ok(r, "event poll");
		if (r == 0)
			break;
		if (ev.type != TOE_EV_ESTABLISHED)
			bfail("event %s conn %d, want ESTABLISHED",
			      toe_event_name(ev.type), ev.conn);
		if (ev.conn < 0 || ev.conn >= 1024 || seen[ev.conn])
			bfail("ESTABLISHED for connection %d twice or out of "
			      "range", ev.conn);
		seen[ev.conn] = true;
		ok(toe_conn_info(t, ev.conn, &ci), "conn info");
		i = (int)ci.local_port - NOISE_LPORT;
		if (i < 0 || i >= NOISE_CONNS || conn_of[i] >= 0 ||
		    ci.remote_port != NOISE_RPORT + i ||
		    ci.state != TOE_ST_ESTABLISHED || ci.irs != irs[i] ||
		    ci.iss != iss[i])
			bfail("connection %d: port %u -> %u, state %d, irs 0x%08x: "
			      "not one of ours or seen twice", ev.conn,
			      ci.local_port, ci.remote_port, ci.state, ci.irs);
		conn_of[i] = ev.conn;
		n_est++;
	}
	if (n_est != NOISE_CONNS)
		bfail("%d ESTABLISHED events, want %d (an event lost: an EV_POP "
		      "run twice?)", n_est, NOISE_CONNS);
	/* aborts: one RST each on the wire; ABORT run twice would fail
	 * with ENOTCONN (or send a second RST, seen below) */
	for (int i = 0; i < NOISE_CONNS; i++) {
		uint16_t lp = (uint16_t)(NOISE_LPORT + i);
		uint16_t rp = (uint16_t)(NOISE_RPORT + i);

		ok(toe_conn_abort(t, conn_of[i]), "abort");
		/* RFC 9293 3.10.5, ABORT in ESTABLISHED: <SEQ=SND.NXT><CTL=RST> */
		v = expect_tcp_from(lp, rp, TOE_TCP_RST, 0,
				    "RST of the abort (noisy host link)");
		if (v != iss[i] + 1)
			bfail("RST of the abort: SEQ 0x%08x, want SND.NXT 0x%08x",
			      v, iss[i] + 1);
	}
	expect_quiet("after the aborts (an ABORT run twice?)");
	/* the CLOSED events of the aborts, if the engine reports them,
	 * once per connection at most */
	memset(seen, 0, sizeof(seen));
	run_for(US(20));
	for (;;) {
		int r = toe_event_poll(t, &ev, 0);

		ok(r, "event poll");
		if (r == 0)
			break;
		if (ev.type != TOE_EV_CLOSED || ev.conn < 0 || ev.conn >= 1024 ||
		    seen[ev.conn])
			bfail("after the aborts: event %s conn %d",
			      toe_event_name(ev.type), ev.conn);
		seen[ev.conn] = true;
		n_closed++;
	}
	/* UNLISTEN run twice fails with ENOTCONN */
	for (int i = 0; i < NOISE_CONNS; i++)
		ok(toe_unlisten(t, (uint16_t)(NOISE_LPORT + i)), "unlisten");
	ok(toe_get_stats(t, &s1), "stats after");

	/* exactly once: the engine executed as many requests as the host
	 * made (each stats read is made the same way, so the two snapshots
	 * differ by the requests in between) */
	d_frames = (uint32_t)(s1.bridge_frames - s0.bridge_frames);
	d_replays = (uint32_t)(s1.bridge_replays - s0.bridge_replays);
	d_exec = d_frames - d_replays;
	d_trans = s1.link_transactions - s0.link_transactions;
	print_message("noisy host link (seed %" PRIu64 ", %u ppm): %" PRIu64
		      " requests, %" PRIu64 " retries, %" PRIu64 " timeouts, "
		      "host CRC errors %" PRIu64 "; bridge: %" PRIu64 " good "
		      "frames, %" PRIu64 " replays, CRC errors %u, oversize %u, "
		      "byte timeouts %u; characters hit %" PRIu64 " of %" PRIu64
		      " to the FPGA, %" PRIu64 " of %" PRIu64 " from it; %.1f ms "
		      "simulated; %d ESTABLISHED, %d CLOSED events\n", noise_seed, (unsigned)NOISE_PPM, d_trans,
		      s1.link_retries - s0.link_retries,
		      s1.link_timeouts - s0.link_timeouts,
		      s1.link_crc_errors - s0.link_crc_errors, d_frames,
		      d_replays,
		      (unsigned)(s1.bridge_crc_errors - s0.bridge_crc_errors),
		      (unsigned)(s1.bridge_oversize - s0.bridge_oversize),
		      (unsigned)(s1.bridge_timeouts - s0.bridge_timeouts),
		      uart_host_noise_tx(u), uart_host_tx_count(u) - tx0,
		      uart_host_noise_rx(u), uart_host_rx_count(u) - rx0,
		      (double)(versa_board_time_ps(board) - t0) / 1e9, n_est,
		      n_closed);
	if (d_exec != d_trans)
		bfail("the engine executed %" PRIu64 " requests (%" PRIu64
		      " good frames - %" PRIu64 " replays), the host made %"
		      PRIu64 ": a request %s", d_exec, d_frames, d_replays,
		      d_trans, d_exec > d_trans ? "ran twice" : "was lost");
	if (d_trans < NOISE_MIN_TRANSACTIONS)
		bfail("%" PRIu64 " requests, want %d at least", d_trans,
		      NOISE_MIN_TRANSACTIONS);
	/* the noise hit, both ways, and was recovered from */
	if (!uart_host_noise_tx(u) || !uart_host_noise_rx(u))
		bfail("no character hit (to the FPGA %" PRIu64 ", from it %"
		      PRIu64 ")", uart_host_noise_tx(u), uart_host_noise_rx(u));
	if (s1.link_retries == s0.link_retries)
		bfail("no retransmission: the noise did not reach the protocol");
	if (s1.bridge_crc_errors == s0.bridge_crc_errors)
		bfail("no request with a bad CRC at the bridge");
	if (!d_replays)
		bfail("no replay: no response was lost to the noise");
	if (s1.link_crc_errors == s0.link_crc_errors)
		bfail("no response with a bad CRC at the host");

	/* the link clean again: the last value written is still there,
	 * nothing was lost at the FPGA's UART, no framing error */
	uart_host_set_noise(u, 0, 0);
	ok(toe_reg_read(t, TOE_REG_SCRATCH, &v), "SCRATCH read, clean link");
	assert_int_equal(v, last);
	if (!(versa_board_led(board) & LED_LOST))
		bfail("LEDs 0x%02x: the FPGA's UART lost a byte",
		      versa_board_led(board));
	assert_int_equal(uart_host_framing_errors(u), 0);
	assert_int_equal(rgmii_phy_errors(versa_board_phy(board)), 0);
}

int main(void)
{
	const char *ns = getenv("VERSA_UART_NOISE_SEED");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_board_powers_up),
		cmocka_unit_test(test_uart_open_configure_listen),
		cmocka_unit_test(test_arp_request_gets_reply),
		cmocka_unit_test(test_icmp_echo_gets_reply),
		cmocka_unit_test(test_tcp_handshake_and_passive_close),
		cmocka_unit_test(test_bad_fcs_dropped_and_counted),
		cmocka_unit_test(test_counters_after_run),
		cmocka_unit_test(test_button_reset_during_operation),
		cmocka_unit_test(test_uart_noise_loses_and_duplicates_nothing),
	};

	if (ns) {
		char *end;

		noise_seed = strtoull(ns, &end, 0);
		if (!*ns || *end) {
			fprintf(stderr, "VERSA_UART_NOISE_SEED=%s: not a number\n",
				ns);
			return 2;
		}
	}

	return cmocka_run_group_tests(tests, setup, teardown);
}
