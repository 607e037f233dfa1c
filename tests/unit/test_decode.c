/* SPDX-License-Identifier: MIT */
/*
 * test_decode.c - the Network Monitor style decoder (host/pkt/decode.c)
 * against the seed article's own decode text (KB 172983; expected lines
 * typed from the article, corrected where the seed README says the article
 * is wrong), hand-built frames for the options and flags the article does
 * not show, malformed frames, and the toectl program's exit codes (the
 * built binary, path given at compile time as TOECTL_BIN).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "seed.h"
#include "toe_decode.h"
#include "toe_wire.h"

#ifndef TOECTL_BIN
#error "TOECTL_BIN (path of the built toectl) must be defined"
#endif

/* The article's time column, microseconds. */
#define T1 2078500u
#define T2 2078600u
#define T3 2787000u
#define T4 16027900u

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

/* Decode into a string (caller frees). */
static char *decode(unsigned no, uint64_t ts, const uint8_t *f, size_t len,
		    unsigned flags, int *rc)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);
	int r;

	assert_non_null(fp);
	r = toe_decode_frame(fp, no, ts, f, len, flags);
	assert_int_equal(fclose(fp), 0);
	if (rc)
		*rc = r;
	assert_non_null(buf);
	return buf;
}

static char *decode_seed(int n, uint64_t ts, unsigned flags)
{
	size_t len;
	const uint8_t *f = seed_frame(n, &len);

	assert_non_null(f);
	return decode((unsigned)n, ts, f, len, flags, NULL);
}

/* Next line of *p (trailing blanks removed: the article's text has none)
 * into line; false at the end. */
static bool next_line(const char **p, char *line, size_t cap)
{
	const char *s = *p, *e;
	size_t n;

	if (*s == '\0')
		return false;
	e = strchr(s, '\n');
	if (!e)
		e = s + strlen(s);
	n = (size_t)(e - s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	assert_true(n < cap);
	memcpy(line, s, n);
	line[n] = '\0';
	*p = *e ? e + 1 : e;
	return true;
}

/* Assert that `out` contains the lines exp[0..n) one after the other,
 * starting at the first line equal to exp[0]. */
static void assert_block(const char *out, const char *const *exp, size_t n)
{
	const char *p = out;
	char line[256];
	size_t i;

	for (;;) {
		if (!next_line(&p, line, sizeof(line))) {
			fprintf(stderr, "--- output:\n%s", out);
			fail_msg("line not found: \"%s\"", exp[0]);
		}
		if (strcmp(line, exp[0]) == 0)
			break;
	}
	for (i = 1; i < n; i++) {
		if (!next_line(&p, line, sizeof(line)))
			fail_msg("output ended; expected \"%s\"", exp[i]);
		if (strcmp(line, exp[i]) != 0) {
			fprintf(stderr, "--- output:\n%s", out);
			fail_msg("after \"%s\":\n expected \"%s\"\n got      "
				 "\"%s\"", exp[i - 1], exp[i], line);
		}
	}
}

#define ASSERT_BLOCK(out, arr) assert_block(out, arr, sizeof(arr) / sizeof(arr[0]))

static void assert_has_line(const char *out, const char *want)
{
	const char *one[] = { want };

	assert_block(out, one, 1);
}

static void assert_no_line(const char *out, const char *unwanted)
{
	const char *p = out;
	char line[256];

	while (next_line(&p, line, sizeof(line)))
		if (strcmp(line, unwanted) == 0) {
			fprintf(stderr, "--- output:\n%s", out);
			fail_msg("unexpected line \"%s\"", unwanted);
		}
}

/* ------------------------------------------------------------------ */
/* The article's frames                                               */
/* ------------------------------------------------------------------ */

/* Frame 1, the SYN: the article's decode, line for line. */
static void test_decode_seed_frame1_prints_article_lines(void **state)
{
	static const char *const tcp[] = {
		"   TCP: Source Port = 0x040D",
		"   TCP: Destination Port = NETBIOS Session Service",
		"   TCP: Sequence Number = 8221822 (0x7D747E)",
		"   TCP: Acknowledgement Number = 0 (0x0)",
		"   TCP: Data Offset = 24 (0x18)",
		"   TCP: Reserved = 0 (0x0000)",
		"   TCP: Flags = 0x02 : ....S.",
		"",
		"      TCP: ..0..... = No urgent data",
		"      TCP: ...0.... = Acknowledgement field not significant",
		"      TCP: ....0... = No Push function",
		"      TCP: .....0.. = No Reset",
		"      TCP: ......1. = Synchronize sequence numbers",
		"      TCP: .......0 = No Fin",
		"",
		"   TCP: Window = 8192 (0x2000)",
		"   TCP: Checksum = 0xF213",
		"   TCP: Urgent Pointer = 0 (0x0)",
		"   TCP: Options",
		"",
		"         TCP: Option Kind (Maximum Segment Size) = 2 (0x2)",
		"         TCP: Option Length = 4 (0x4)",
		"         TCP: Option Value = 1460 (0x5B4)",
		"",
		"   TCP: Frame Padding",
		"",
		"00000:  02 60 8C 9E 18 8B 02 60 8C 3B 85 C1 08 00 45 00   .`.....`.;....E.",
		"00010:  00 2C 0D 01 40 00 80 06 E1 4B 83 6B 02 D6 83 6B   .,..@....K.k...k",
		"00020:  02 D3 04 0D 00 8B 00 7D 74 7E 00 00 00 00 60 02   .......}t~....`.",
		"00030:  20 00 F2 13 00 00 02 04 05 B4 20 20                .........",
	};
	/* The article's line reads "len: 4, seq: 8221822-8221825": Network
	 * Monitor counted the 4-byte MSS option as data. The SYN carries no
	 * data: len 0, and the range is the SYN's own sequence number. */
	static const char *const summary[] = {
		"TCP: ....S., len:    0, seq:   8221822-8221822, ack:         0, "
		"win: 8192, src: 1037  dst:  139 (NBT Session)",
		"",
		"   TCP: Source Port = 0x040D",
	};
	char *out = decode_seed(1, T1, 0);

	(void)state;
	ASSERT_BLOCK(out, tcp);
	ASSERT_BLOCK(out, summary);
	free(out);
}

/* Frame 2, the SYN-ACK. */
static void test_decode_seed_frame2_prints_article_lines(void **state)
{
	static const char *const tcp[] = {
		"   TCP: Source Port = NETBIOS Session Service",
		"   TCP: Destination Port = 0x040D",
		"   TCP: Sequence Number = 1109645 (0x10EE8D)",
		"   TCP: Acknowledgement Number = 8221823 (0x7D747F)",
		"   TCP: Data Offset = 24 (0x18)",
		"   TCP: Reserved = 0 (0x0000)",
		"   TCP: Flags = 0x12 : .A..S.",
		"",
		"      TCP: ..0..... = No urgent data",
		"      TCP: ...1.... = Acknowledgement field significant",
		"      TCP: ....0... = No Push function",
		"      TCP: .....0.. = No Reset",
		"      TCP: ......1. = Synchronize sequence numbers",
		"      TCP: .......0 = No Fin",
		"",
		"   TCP: Window = 8760 (0x2238)",
		"   TCP: Checksum = 0x012D",
		"   TCP: Urgent Pointer = 0 (0x0)",
		"   TCP: Options",
		"",
		"         TCP: Option Kind (Maximum Segment Size) = 2 (0x2)",
		"         TCP: Option Length = 4 (0x4)",
		"         TCP: Option Value = 1460 (0x5B4)",
		"",
		"   TCP: Frame Padding",
		"",
		"00000:  02 60 8C 3B 85 C1 02 60 8C 9E 18 8B 08 00 45 00   .`.;...`......E.",
		"00010:  00 2C 5B 00 40 00 80 06 93 4C 83 6B 02 D3 83 6B   .,[.@....L.k...k",
		/* The article shows "}t`." : byte 0x7F (DEL) lost its dot
		 * when the page was made. */
		"00020:  02 D6 00 8B 04 0D 00 10 EE 8D 00 7D 74 7F 60 12   ...........}t.`.",
		"00030:  22 38 01 2D 00 00 02 04 05 B4 20 20               \"8.-......",
	};
	/* Article: "len:    4, seq:   1109645-1109648" (the MSS option
	 * counted as data, see frame 1). */
	static const char *const summary[] = {
		"TCP: .A..S., len:    0, seq:   1109645-1109645, ack:   8221823, "
		"win: 8760, src:  139 (NBT Session)  dst: 1037",
	};
	char *out = decode_seed(2, T2, 0);

	(void)state;
	ASSERT_BLOCK(out, tcp);
	ASSERT_BLOCK(out, summary);
	free(out);
}

/* Frame 3, the ACK: no options, so "Frame Padding" follows the urgent
 * pointer directly; the summary line is the article's exactly. */
static void test_decode_seed_frame3_prints_article_lines(void **state)
{
	static const char *const tcp[] = {
		"TCP: .A...., len:    0, seq:   8221823-8221823, ack:   1109646, "
		"win: 8760, src: 1037  dst:  139 (NBT Session)",
		"",
		"   TCP: Source Port = 0x040D",
		"   TCP: Destination Port = NETBIOS Session Service",
		"   TCP: Sequence Number = 8221823 (0x7D747F)",
		"   TCP: Acknowledgement Number = 1109646 (0x10EE8E)",
		"   TCP: Data Offset = 20 (0x14)",
		"   TCP: Reserved = 0 (0x0000)",
		"   TCP: Flags = 0x10 : .A....",
		"",
		"      TCP: ..0..... = No urgent data",
		"      TCP: ...1.... = Acknowledgement field significant",
		"      TCP: ....0... = No Push function",
		"      TCP: .....0.. = No Reset",
		"      TCP: ......0. = No Synchronize",
		"      TCP: .......0 = No Fin",
		"",
		"   TCP: Window = 8760 (0x2238)",
		"   TCP: Checksum = 0x18EA",
		"   TCP: Urgent Pointer = 0 (0x0)",
		"   TCP: Frame Padding",
		"",
		"00000:  02 60 8C 9E 18 8B 02 60 8C 3B 85 C1 08 00 45 00   .`.....`.;....E.",
		"00010:  00 28 0E 01 40 00 80 06 E0 4F 83 6B 02 D6 83 6B   .(..@....O.k...k",
		/* The article's ".......}t....P." lost the DEL byte's dot. */
		"00020:  02 D3 04 0D 00 8B 00 7D 74 7F 00 10 EE 8E 50 10   .......}t.....P.",
		"00030:  22 38 18 EA 00 00 20 20 20 20 20 20               \"8....",
	};
	char *out = decode_seed(3, T3, 0);

	(void)state;
	ASSERT_BLOCK(out, tcp);
	assert_no_line(out, "   TCP: Options");
	free(out);
}

/* Frame 4, FIN+ACK. The article's decoded text of this frame repeats the
 * first connection's ports and numbers (0x040D, NETBIOS, 8221823, 1109646);
 * the hex bytes are the truth, and the lines below are typed from them
 * (09 21 = 2337, 05 48 = 1352, 0B 20 96 AC, CE 66 AE 02). The flag lines,
 * window, checksum and urgent pointer are the article's. The frame has no
 * padding (54 bytes) and the article shows no "Frame Padding" line. */
static void test_decode_seed_frame4_prints_truth_and_fin_wording(void **state)
{
	static const char *const tcp[] = {
		"   TCP: Source Port = 0x0921",
		"   TCP: Destination Port = 0x0548",
		"   TCP: Sequence Number = 186685100 (0xB2096AC)",
		"   TCP: Acknowledgement Number = 3462835714 (0xCE66AE02)",
		"   TCP: Data Offset = 20 (0x14)",
		"   TCP: Reserved = 0 (0x0000)",
		"   TCP: Flags = 0x11 : .A...F",
		"",
		"      TCP: ..0..... = No urgent data",
		"      TCP: ...1.... = Acknowledgement field significant",
		"      TCP: ....0... = No Push function",
		"      TCP: .....0.. = No Reset",
		"      TCP: ......0. = No Synchronize",
		"      TCP: .......1 = No more data from sender",
		"",
		"   TCP: Window = 8760 (0x2238)",
		"   TCP: Checksum = 0x236C",
		"   TCP: Urgent Pointer = 0 (0x0)",
		"",
		"00000:  00 20 AF 47 93 58 00 A0 C9 22 F5 39 08 00 45 00   . .G.X...\".9..E.",
		"00010:  00 28 9B F5 40 00 80 06 21 4A C0 5E DE 7B C0 5E   .(..@...!J.^.{.^",
		"00020:  DE 57 09 21 05 48 0B 20 96 AC CE 66 AE 02 50 11   .W.!.H. ...f..P.",
		"00030:  22 38 23 6C 00 00                                 \"8#l..",
	};
	char *out = decode_seed(4, T4, 0);

	(void)state;
	ASSERT_BLOCK(out, tcp);
	assert_no_line(out, "   TCP: Frame Padding");
	free(out);
}

/* The summary line alone: the article's first line of frame 1 with the
 * hosts as addresses (Network Monitor showed its names NTW3 and BDC3) and
 * len 0 (see frame 1 above); time as the article prints it. */
static void test_decode_seed_summary_flag_prints_one_line(void **state)
{
	char *out = decode_seed(1, T1, TOE_DECODE_SUMMARY);

	(void)state;
	assert_string_equal(out,
		"1    2.0785 131.107.2.214 --> 131.107.2.211 TCP ....S., "
		"len:    0, seq:   8221822-8221822, ack:         0, win: 8192, "
		"src: 1037  dst:  139 (NBT Session)\n");
	free(out);
	/* Frame 3 at 2.787 s: trailing zero dropped, as in the article. */
	out = decode_seed(3, T3, TOE_DECODE_SUMMARY);
	assert_true(strncmp(out, "3    2.787 131.107.2.214", 24) == 0);
	free(out);
}

/* The IP decode (our design): addresses, ID, DF, TTL, checksum of frame 5
 * as its hex dump has them (45 00 00 28 D2 82 00 00 3F 06 6B BD). */
static void test_decode_seed_frame5_ip_lines(void **state)
{
	static const char *const ip[] = {
		"IP: ID = 0xD282; Proto = TCP; Len: 40",
		"",
		"   IP: Total Length = 40 (0x28)",
		"   IP: Identification = 53890 (0xD282)",
		"   IP: Flags Summary = 0 (0x0)",
		"      IP: .......0 = Last fragment in datagram",
		"      IP: ......0. = May fragment datagram if necessary",
		"   IP: Time to Live = 63 (0x3F)",
		"   IP: Checksum = 0x6BBD",
		"   IP: Source Address = 192.94.222.87",
		"   IP: Destination Address = 192.94.222.123",
	};
	char *out = decode_seed(5, 16028100u, 0);

	(void)state;
	ASSERT_BLOCK(out, ip);
	free(out);
	out = decode_seed(5, 16028100u, TOE_DECODE_NO_IP | TOE_DECODE_NO_HEX);
	assert_no_line(out, ip[0]);
	assert_no_line(out,
		"00000:  00 A0 C9 22 F5 39 08 00 02 03 BA 84 08 00 45 00   ...\".9........E.");
	assert_has_line(out, "   TCP: Window = 28672 (0x7000)");
	free(out);
}

/* ------------------------------------------------------------------ */
/* Frames the article does not show                                   */
/* ------------------------------------------------------------------ */

static const uint8_t mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

static int build(uint8_t *buf, size_t cap, uint8_t flags, const uint8_t *opt,
		 uint8_t opt_len, const uint8_t *data, uint16_t len)
{
	struct toe_ip_meta ip = { .tos = 0, .ttl = 64, .df = true, .id = 1 };
	struct toe_seg s;

	memset(&s, 0, sizeof(s));
	s.src_ip = 0xC0000201u; /* 192.0.2.1 */
	s.dst_ip = 0xC0000202u; /* 192.0.2.2 */
	s.src_port = 80;
	s.dst_port = 40000;
	s.seq = 100;
	s.ack = 200;
	s.flags = flags;
	s.win = 65535;
	s.opt_raw = opt;
	s.opt_raw_len = opt_len;
	s.data = data;
	s.len = len;
	return toe_build_frame(buf, cap, mac_b, mac_a, &ip, &s);
}

/* Every option kind, in the article's option layout. Values from the
 * option formats (RFC 9293 MSS, RFC 7323 window scale and timestamps,
 * RFC 2018 SACK), chosen here. */
static void test_decode_all_option_kinds_prints_each(void **state)
{
	static const uint8_t opt[] = {
		2, 4, 0x05, 0xB4,                  /* MSS 1460 */
		1,                                 /* NOP */
		3, 3, 7,                           /* window scale 7 */
		4, 2,                              /* SACK permitted */
		8, 10, 0, 0, 0x30, 0x39, 0, 0, 0, 1, /* TS 12345, echo 1 */
		5, 10, 0, 0, 0, 100, 0, 0, 0, 200, /* SACK 100-200 */
		30, 4, 0xAB, 0xCD,                 /* unknown kind 30 */
		0,                                 /* EOL */
	};
	static const char *const lines[] = {
		"   TCP: Data Offset = 56 (0x38)",
	};
	static const char *const opts[] = {
		"   TCP: Options",
		"",
		"         TCP: Option Kind (Maximum Segment Size) = 2 (0x2)",
		"         TCP: Option Length = 4 (0x4)",
		"         TCP: Option Value = 1460 (0x5B4)",
		"         TCP: Option Kind (No Operation) = 1 (0x1)",
		"         TCP: Option Kind (Window Scale) = 3 (0x3)",
		"         TCP: Option Length = 3 (0x3)",
		"         TCP: Option Value = 7 (0x7)",
		"         TCP: Option Kind (SACK Permitted) = 4 (0x4)",
		"         TCP: Option Length = 2 (0x2)",
		"         TCP: Option Kind (Timestamps) = 8 (0x8)",
		"         TCP: Option Length = 10 (0xA)",
		"         TCP: Timestamp Value = 12345 (0x3039)",
		"         TCP: Timestamp Echo Reply = 1 (0x1)",
		"         TCP: Option Kind (SACK) = 5 (0x5)",
		"         TCP: Option Length = 10 (0xA)",
		"         TCP: Left Edge = 100 (0x64)",
		"         TCP: Right Edge = 200 (0xC8)",
		"         TCP: Option Kind (Unknown) = 30 (0x1E)",
		"         TCP: Option Length = 4 (0x4)",
		"         TCP: Option Data = AB CD",
		"         TCP: Option Kind (End of Option List) = 0 (0x0)",
		"",
		"00000:  02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00   ..............E.",
	};
	uint8_t f[TOE_ETH_MAX_FRAME];
	int len, rc;
	char *out;

	(void)state;
	/* 35 bytes; the builder pads the list with EOL to 36. */
	assert_int_equal(sizeof(opt), 35);
	len = build(f, sizeof(f), TOE_TCP_SYN, opt, sizeof(opt), NULL, 0);
	assert_int_equal(len, 14 + 20 + 20 + 36);
	out = decode(9, 0, f, (size_t)len, 0, &rc);
	assert_int_equal(rc, TOE_PARSE_OK);
	ASSERT_BLOCK(out, lines);
	ASSERT_BLOCK(out, opts);
	/* A 90-byte frame: nothing beyond the IP length. */
	assert_no_line(out, "   TCP: Frame Padding");
	free(out);
}

/* Every flag set: the wordings for 1 that the article does not show,
 * written in its style from RFC 9293's control-bit descriptions, and
 * lines for CWR and ECE (RFC 3168) which exist only when set. */
static void test_decode_all_flags_set_prints_set_wordings(void **state)
{
	static const char *const lines[] = {
		"   TCP: Flags = 0xFF : UAPRSF",
		"",
		"      TCP: 1....... = Congestion Window Reduced",
		"      TCP: .1...... = ECN-Echo",
		"      TCP: ..1..... = Urgent Pointer field significant",
		"      TCP: ...1.... = Acknowledgement field significant",
		"      TCP: ....1... = Push function",
		"      TCP: .....1.. = Reset the connection",
		"      TCP: ......1. = Synchronize sequence numbers",
		"      TCP: .......1 = No more data from sender",
		"",
		"   TCP: Window = 65535 (0xFFFF)",
	};
	uint8_t f[TOE_ETH_MAX_FRAME];
	int len;
	char *out;

	(void)state;
	len = build(f, sizeof(f), 0xFF, NULL, 0, NULL, 0);
	assert_true(len > 0);
	out = decode(1, 0, f, (size_t)len, 0, NULL);
	ASSERT_BLOCK(out, lines);
	free(out);
}

/* A segment with 5 bytes of data: len 5, seq first-last, a data line,
 * and the payload in the hex dump. */
static void test_decode_payload_prints_len_and_range(void **state)
{
	static const uint8_t data[5] = { 'h', 'e', 'l', 'l', 'o' };
	static const char *const lines[] = {
		"   TCP: Urgent Pointer = 0 (0x0)",
		"   TCP: Data: Number of data bytes remaining = 5 (0x0005)",
		"   TCP: Frame Padding",
	};
	uint8_t f[TOE_ETH_MAX_FRAME];
	int len;
	char *out;

	(void)state;
	len = build(f, sizeof(f), TOE_TCP_ACK | TOE_TCP_PSH, NULL, 0, data, 5);
	assert_int_equal(len, 60); /* 59 bytes, padded */
	out = decode(1, 0, f, (size_t)len, 0, NULL);
	assert_non_null(strstr(out, "TCP .AP..., len:    5, seq:       100-104,"
				    " ack:       200, win:65535, src:   80 (HTTP)"
				    "  dst:40000\n"));
	ASSERT_BLOCK(out, lines);
	assert_non_null(strstr(out, "00 00 00 C8 50 18"));
	assert_non_null(strstr(out, "hello"));
	free(out);
}

/* Malformed frames: one "dropped" line with the codec's reason name. */
static void test_decode_malformed_frames_print_dropped_line(void **state)
{
	uint8_t f[SEED_MAX];
	size_t len;
	const uint8_t *f1 = seed_frame(1, &len);
	int rc;
	char *out;

	(void)state;
	assert_non_null(f1);
	memcpy(f, f1, len);
	f[14 + 20 + 4] ^= 0x80; /* seq: TCP checksum now wrong */
	out = decode(1, T1, f, len, 0, &rc);
	assert_int_equal(rc, TOE_PERR_TCP_CSUM);
	assert_string_equal(out, "1    2.0785 dropped: tcp_csum, 60 bytes\n");
	free(out);

	memcpy(f, f1, len);
	f[14 + 8] = 127; /* TTL: IP header checksum now wrong */
	out = decode(2, T1, f, len, 0, &rc);
	assert_int_equal(rc, TOE_PERR_IP_CSUM);
	assert_string_equal(out, "2    2.0785 dropped: ip_csum, 60 bytes\n");
	free(out);

	memcpy(f, f1, len);
	f[12] = 0x08; /* ARP */
	f[13] = 0x06;
	out = decode(3, 0, f, len, 0, &rc);
	assert_int_equal(rc, TOE_PERR_ETHERTYPE);
	assert_string_equal(out, "3    0.0 dropped: ethertype, 60 bytes\n");
	free(out);

	out = decode(4, 0, f1, 10, 0, &rc);
	assert_int_equal(rc, TOE_PERR_ETH_TRUNC);
	assert_string_equal(out, "4    0.0 dropped: eth_trunc, 10 bytes\n");
	free(out);
}

/* ------------------------------------------------------------------ */
/* toectl                                                             */
/* ------------------------------------------------------------------ */

/* Run toectl with args (shell words), output discarded; exit status. */
static int toectl(const char *args)
{
	char cmd[512];
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s >/dev/null 2>&1", TOECTL_BIN, args);
	st = system(cmd);
	assert_true(st != -1);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_toectl_missing_file_exits_1(void **state)
{
	(void)state;
	assert_int_equal(toectl("decode tests/vectors/no_such_file.pcap"), 1);
}

static void test_toectl_bad_command_or_usage_exits_2(void **state)
{
	(void)state;
	assert_int_equal(toectl("frobnicate"), 2);
	assert_int_equal(toectl(""), 2);
	assert_int_equal(toectl("decode"), 2);
	assert_int_equal(toectl("decode --bogus " SEED_PCAP_PATH), 2);
	assert_int_equal(toectl("decode a.pcap b.pcap"), 2);
}

static void test_toectl_help_exits_0(void **state)
{
	(void)state;
	assert_int_equal(toectl("--help"), 0);
	assert_int_equal(toectl("decode --help"), 0);
}

/* The seed pcap: exit 0, seven summary lines, frame 2's decode. */
static void test_toectl_decode_seed_pcap_prints_seven_frames(void **state)
{
	char cmd[256], line[512];
	FILE *p;
	int n_summary = 0, st;
	bool saw_win = false;

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s decode %s", TOECTL_BIN, SEED_PCAP_PATH);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		if (strstr(line, " --> ") && strstr(line, " TCP "))
			n_summary++;
		if (strcmp(line, "   TCP: Window = 28672 (0x7000)\n") == 0)
			saw_win = true;
	}
	st = pclose(p);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(n_summary, 7);
	assert_true(saw_win);
}

/* decode -r: a record stamped before the first one (a capture may go back
 * in time) prints as offset 0, clamped, never as an unsigned difference
 * wrapped to ~1.8e13 s. */
static void test_toectl_decode_relative_stamp_before_first_not_wrapped(
	void **state)
{
	/* seed frames 1..3 at 2.0785 s, 0.5 s (before the first), 2.787 s */
	static const uint64_t ts[3] = { T1, 500000u, T3 };
	char path[] = "/tmp/test_decode_back_XXXXXX", err[256], cmd[256];
	char line[512], times[3][32];
	struct toe_pcap *w;
	FILE *p;
	int fd, n = 0, st;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	w = toe_pcap_open_write(path, err, sizeof(err));
	if (!w)
		fail_msg("%s", err);
	for (int i = 0; i < 3; i++) {
		size_t len;
		const uint8_t *f = seed_frame(i + 1, &len);

		assert_non_null(f);
		assert_int_equal(toe_pcap_write(w, f, len, ts[i]), 0);
	}
	toe_pcap_close(w);
	snprintf(cmd, sizeof(cmd), "%s decode -s -r %s", TOECTL_BIN, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		unsigned no;

		/* "2    0.0 131.107.2.211 --> ..." */
		if (n < 3 && sscanf(line, "%u %31s", &no, times[n]) == 2 &&
		    no == (unsigned)n + 1)
			n++;
	}
	st = pclose(p);
	unlink(path);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(n, 3);
	assert_string_equal(times[0], "0.0");
	assert_string_equal(times[1], "0.0");   /* not 18446744073707.9731 */
	assert_string_equal(times[2], "0.7085"); /* T3 - T1 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_seed_frame1_prints_article_lines),
		cmocka_unit_test(test_decode_seed_frame2_prints_article_lines),
		cmocka_unit_test(test_decode_seed_frame3_prints_article_lines),
		cmocka_unit_test(test_decode_seed_frame4_prints_truth_and_fin_wording),
		cmocka_unit_test(test_decode_seed_summary_flag_prints_one_line),
		cmocka_unit_test(test_decode_seed_frame5_ip_lines),
		cmocka_unit_test(test_decode_all_option_kinds_prints_each),
		cmocka_unit_test(test_decode_all_flags_set_prints_set_wordings),
		cmocka_unit_test(test_decode_payload_prints_len_and_range),
		cmocka_unit_test(test_decode_malformed_frames_print_dropped_line),
		cmocka_unit_test(test_toectl_missing_file_exits_1),
		cmocka_unit_test(test_toectl_bad_command_or_usage_exits_2),
		cmocka_unit_test(test_toectl_help_exits_0),
		cmocka_unit_test(test_toectl_decode_seed_pcap_prints_seven_frames),
		cmocka_unit_test(test_toectl_decode_relative_stamp_before_first_not_wrapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
