/* SPDX-License-Identifier: MIT */
/*
 * test_regmap.c - the generated register map (toe_regs.h) against what it
 * must agree with: the ID constant, RFC 9293's state order, the codec's
 * parse results, the reference stack's events, errors and default
 * configuration, and its own layout (aligned, unique, in range, fields wide
 * enough for their enumerations).
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "toe/toe_regs.h"
#include "toe/toe_tcp.h"
#include "toe_ref.h"
#include "toe_wire.h"

static void test_regmap_id_block_reads_toe1_first(void **state)
{
	(void)state;
	/* "TOE1" in ASCII, most significant byte first */
	assert_int_equal(TOE_REG_ID_RESET,
			 (uint32_t)'T' << 24 | (uint32_t)'O' << 16 | 'E' << 8 | '1');
	assert_int_equal(TOE_REG_ID, 0);
	assert_int_equal(TOE_REG_VERSION, 4);
	assert_int_equal(TOE_REG_VERSION_MAJOR_SHIFT, 16);
	assert_int_equal(TOE_REG_VERSION_RESET >> 16, TOE_REG_VERSION_MAJOR_RESET);
	assert_int_equal(TOE_REG_VERSION_RESET & 0xffff, TOE_REG_VERSION_MINOR_RESET);
}

static void test_regmap_states_in_rfc9293_order(void **state)
{
	/* RFC 9293 section 3.3.2: "The states are: LISTEN, SYN-SENT,
	 * SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT,
	 * CLOSING, LAST-ACK, TIME-WAIT, and the fictional state CLOSED."
	 * CLOSED is numbered 0, the rest 1.. in that order. */
	static const char *const rfc[] = {
		"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
		"FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK",
		"TIME-WAIT",
	};
	int n = 0;

	(void)state;
	assert_int_equal(TOE_ST_COUNT, 11);
#define CHECK_STATE(c, name, v)                                              \
	do {                                                                 \
		char dashed[32];                                             \
		snprintf(dashed, sizeof(dashed), "%s", name);                \
		for (char *p = dashed; *p; p++)                              \
			if (*p == '_')                                       \
				*p = '-';                                    \
		assert_int_equal(c, v);                                      \
		assert_int_equal(v, n);                                      \
		assert_string_equal(dashed, rfc[n]);                         \
		assert_string_equal(toe_tcp_state_name(c), rfc[n]);          \
		n++;                                                         \
	} while (0);
	TOE_TCP_STATE_FOREACH(CHECK_STATE)
#undef CHECK_STATE
	assert_int_equal(n, TOE_ST_COUNT);
	assert_int_equal(TOE_ST_TIME_WAIT, 10);
	/* the RTL code fits the CSR field */
	assert_true(TOE_ST_COUNT - 1 < (1 << TOE_TCP_STATE_WIDTH));
	assert_true(TOE_TCP_STATE_WIDTH <= TOE_REG_CONN_STATE_STATE_WIDTH);
}

static void test_regmap_parse_results_match_codec_names(void **state)
{
	int n = 0;

	(void)state;
	assert_int_equal(TOE_PARSE_OK, 0);
	assert_int_equal(TOE_PERR_ETH_TRUNC, -1);
	assert_int_equal(TOE_PERR_TCP_OPT, -13);
	assert_int_equal(TOE_PERR_COUNT, 14);
#define CHECK_PERR(c, name, v)                                               \
	do {                                                                 \
		char lower[32];                                              \
		size_t i;                                                    \
		for (i = 0; name[i] && i + 1 < sizeof(lower); i++)           \
			lower[i] = (char)tolower((unsigned char)name[i]);    \
		lower[i] = 0;                                                \
		assert_int_equal(c, -n);                                     \
		assert_string_equal(toe_parse_result_name(v), lower);        \
		n++;                                                         \
	} while (0);
	TOE_PARSE_RESULT_FOREACH(CHECK_PERR)
#undef CHECK_PERR
	assert_int_equal(n, TOE_PERR_COUNT);
	/* one drop counter per result, indexed by -result */
	assert_int_equal(TOE_REG_STAT_PARSE_DROP_COUNT, TOE_PERR_COUNT);
	assert_int_equal(TOE_REG_STAT_PARSE_DROP(-TOE_PERR_IP_CSUM),
			 TOE_REG_STAT_PARSE_DROP_BASE + 7 * 8);
	assert_true(TOE_PERR_COUNT - 1 < (1 << TOE_PARSE_RESULT_WIDTH));
}

static void test_regmap_events_match_ref_stack(void **state)
{
	int n = 1;

	(void)state;
#define CHECK_EV(c, name, v)                                                 \
	do {                                                                 \
		assert_int_equal(c, n);                                      \
		assert_string_equal(toe_ref_event_name(v), name);            \
		n++;                                                         \
	} while (0);
	TOE_EVENT_TYPE_FOREACH(CHECK_EV)
#undef CHECK_EV
	assert_int_equal(TOE_EV_RX_DATA, 7);
	assert_int_equal(n, 8);
	assert_true(TOE_EVENT_TYPE_WIDTH <= TOE_REG_EV_POP_TYPE_WIDTH);
}

static void test_regmap_cmd_errors_mirror_ref_errors(void **state)
{
	(void)state;
	assert_int_equal(TOE_CMD_OK, -TOE_REF_OK);
	assert_int_equal(TOE_CMD_EINVAL, -TOE_REF_EINVAL);
	assert_int_equal(TOE_CMD_ENOMEM, -TOE_REF_ENOMEM);
	assert_int_equal(TOE_CMD_EADDRINUSE, -TOE_REF_EADDRINUSE);
	assert_int_equal(TOE_CMD_ENOTCONN, -TOE_REF_ENOTCONN);
	assert_int_equal(TOE_CMD_ESTATE, -TOE_REF_ESTATE);
	assert_int_equal(TOE_CMD_EPIPE, -TOE_REF_EPIPE);
	assert_int_equal(TOE_CMD_ENOTSUP, -TOE_REF_ENOTSUP);
	assert_true(TOE_CMD_EBUSY < (1 << TOE_REG_CMD_STATUS_ERR_WIDTH));
	assert_true(TOE_CMD_ABORT < (1 << TOE_REG_CMD_OP_WIDTH));
}

static uint64_t reg64(uint32_t lo, uint32_t hi)
{
	return (uint64_t)hi << 32 | lo;
}

static void test_regmap_cfg_resets_equal_ref_defaults(void **state)
{
	struct toe_ref_cfg cfg;
	static const uint8_t zero[16];

	(void)state;
	toe_ref_cfg_default(&cfg);
	assert_int_equal(TOE_REG_LOCAL_IP_RESET, cfg.local_ip);
	assert_int_equal(TOE_REG_MTU_MTU_RESET, cfg.mtu);
	assert_int_equal(TOE_REG_WND_RCV_WND_RESET, cfg.rcv_wnd);
	assert_int_equal(TOE_REG_WND_SYN_WND_RESET, cfg.syn_wnd);
	assert_int_equal(TOE_REG_IP_CFG_TTL_RESET, cfg.ttl);
	assert_int_equal(TOE_REG_IP_CFG_DF_RESET, cfg.df);
	assert_int_equal(TOE_REG_IP_ID_INIT_RESET, cfg.ip_id_init);
	assert_int_equal(TOE_REG_IP_ID_STEP_RESET, cfg.ip_id_step);
	assert_int_equal(TOE_REG_TICK_HZ_RESET, cfg.tick_hz);
	assert_int_equal(TOE_REG_RTO_INIT_RESET, cfg.rto_init);
	assert_int_equal(TOE_REG_RTO_MAX_RESET, cfg.rto_max);
	assert_int_equal(TOE_REG_SYN_GIVEUP_RESET, cfg.syn_giveup);
	assert_int_equal(TOE_REG_SYNACK_GIVEUP_RESET, cfg.synack_giveup);
	assert_int_equal(TOE_REG_FIN_GIVEUP_RESET, cfg.fin_giveup);
	assert_int_equal(TOE_REG_MSL_RESET, cfg.msl);
	assert_int_equal(TOE_REG_CHALLENGE_ACK_LIMIT_RESET, cfg.challenge_ack_limit);
	assert_int_equal(TOE_REG_CHALLENGE_ACK_WINDOW_RESET, cfg.challenge_ack_window);
	assert_memory_equal(cfg.isn_key, zero, sizeof(zero));
	assert_int_equal(TOE_REG_ISN_KEY_RESET, 0);
	assert_int_equal(TOE_REG_ISN_KEY_COUNT * 4, sizeof(cfg.isn_key));
	/* 64-bit registers: the word list splits the reset into LO/HI */
	uint32_t lo = 0, hi = 0;
#define FIND_MSL(name, addr, acc, rst, mask)                                 \
	do {                                                                 \
		if (addr == TOE_REG_MSL_LO)                                  \
			lo = rst;                                            \
		if (addr == TOE_REG_MSL_HI)                                  \
			hi = rst;                                            \
	} while (0);
	TOE_REGS_FOREACH(FIND_MSL)
#undef FIND_MSL
	assert_int_equal(reg64(lo, hi), cfg.msl);
	assert_int_equal(TOE_REG_MSL_HI, TOE_REG_MSL_LO + 4);
}

struct word {
	const char *name;
	uint32_t addr;
	const char *acc;
};

static void test_regmap_words_aligned_unique_in_range(void **state)
{
	static const struct word w[] = {
#define WORD(name, addr, acc, rst, mask) { name, addr, acc },
		TOE_REGS_FOREACH(WORD)
#undef WORD
	};
	const size_t n = sizeof(w) / sizeof(w[0]);

	(void)state;
	assert_int_equal(n, TOE_REGS_N_WORDS);
	assert_string_equal(w[0].name, "ID");
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(w[i].addr % 4, 0);
		assert_true(w[i].addr < (1u << TOE_REG_ADDR_W));
		if (i > 0)
			assert_true(w[i].addr > w[i - 1].addr); /* sorted, unique */
		assert_true(!strcmp(w[i].acc, "rw") || !strcmp(w[i].acc, "ro") ||
			    !strcmp(w[i].acc, "wo") || !strcmp(w[i].acc, "rop"));
	}
	/* the key is write-only, the event FIFO pops on read */
	assert_int_equal(TOE_REG_ISN_KEY(3), TOE_REG_ISN_KEY_BASE + 12);
	for (size_t i = 0; i < n; i++) {
		if (w[i].addr == TOE_REG_ISN_KEY(0))
			assert_string_equal(w[i].acc, "wo");
		if (w[i].addr == TOE_REG_EV_POP)
			assert_string_equal(w[i].acc, "rop");
	}
}

static void test_regmap_fields_disjoint_and_fit(void **state)
{
	(void)state;
	assert_int_equal(TOE_REG_CMD_STATUS_RESULT_MASK & TOE_REG_CMD_STATUS_ERR_MASK, 0);
	assert_int_equal(TOE_REG_CMD_STATUS_ERR_MASK & TOE_REG_CMD_STATUS_BUSY_MASK, 0);
	assert_int_equal(TOE_REG_CMD_STATUS_BUSY_MASK, 1u << 31);
	assert_int_equal(TOE_REG_EV_POP_VALID_MASK, 1u << 31);
	assert_int_equal(TOE_REG_EV_POP_CONN_MASK & TOE_REG_EV_POP_TYPE_MASK, 0);
	assert_int_equal(TOE_REG_EV_POP_TYPE_MASK,
			 ((1u << TOE_REG_EV_POP_TYPE_WIDTH) - 1) << TOE_REG_EV_POP_TYPE_SHIFT);
	/* ports and MSS are 16-bit fields */
	assert_int_equal(TOE_REG_CONN_PORTS_LOCAL_WIDTH, 16);
	assert_int_equal(TOE_REG_CONN_PORTS_REMOTE_WIDTH, 16);
	assert_int_equal(TOE_REG_CONN_MSS_PEER_WIDTH, 16);
	assert_int_equal(TOE_REG_CMD_LOCAL_PORT_PORT_WIDTH, 16);
	/* CTRL reset: disabled, ARP and ping on */
	assert_int_equal(TOE_REG_CTRL_RESET,
			 TOE_REG_CTRL_ARP_EN_MASK | TOE_REG_CTRL_PING_EN_MASK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regmap_id_block_reads_toe1_first),
		cmocka_unit_test(test_regmap_states_in_rfc9293_order),
		cmocka_unit_test(test_regmap_parse_results_match_codec_names),
		cmocka_unit_test(test_regmap_events_match_ref_stack),
		cmocka_unit_test(test_regmap_cmd_errors_mirror_ref_errors),
		cmocka_unit_test(test_regmap_cfg_resets_equal_ref_defaults),
		cmocka_unit_test(test_regmap_words_aligned_unique_in_range),
		cmocka_unit_test(test_regmap_fields_disjoint_and_fit),
	};
	return cmocka_run_group_tests_name("regmap", tests, NULL, NULL);
}
