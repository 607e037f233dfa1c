/* SPDX-License-Identifier: MIT */
/*
 * decode.c - frame decoder in the style of Network Monitor as shown in the
 * seed article (KB 172983): summary line, short IP decode, field-by-field
 * TCP decode with one line per control bit, hex dump. See toe_decode.h for
 * the layout and the deliberate differences from Network Monitor.
 *
 * The frame is first checked with toe_parse_frame(); only a frame the
 * engine would accept is decoded field by field, anything else is one
 * "dropped: <reason>" line, so what this prints is what the engine sees.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "toe_bytes.h"
#include "toe_decode.h"
#include "toe_wire.h"

/* ------------------------------------------------------------------ */
/* Names                                                              */
/* ------------------------------------------------------------------ */

/* A few well-known ports, with the long name the field decode uses and the
 * short one of the summary lines (Network Monitor's "NBT Session"). */
static const struct {
	uint16_t port;
	const char *name;
	const char *short_name;
} port_table[] = {
	{ 21, "File Transfer Protocol", "FTP" },
	{ 22, "Secure Shell", "SSH" },
	{ 23, "Telnet", "Telnet" },
	{ 25, "Simple Mail Transfer Protocol", "SMTP" },
	{ 53, "Domain Name System", "DNS" },
	{ 80, "Hypertext Transfer Protocol", "HTTP" },
	{ 139, "NETBIOS Session Service", "NBT Session" },
	{ 443, "HTTP over TLS", "HTTPS" },
	{ 445, "Microsoft Directory Services", "SMB" },
};

const char *toe_decode_port_name(uint16_t port)
{
	size_t i;

	for (i = 0; i < sizeof(port_table) / sizeof(port_table[0]); i++)
		if (port_table[i].port == port)
			return port_table[i].name;
	return NULL;
}

const char *toe_decode_port_short(uint16_t port)
{
	size_t i;

	for (i = 0; i < sizeof(port_table) / sizeof(port_table[0]); i++)
		if (port_table[i].port == port)
			return port_table[i].short_name;
	return NULL;
}

char *toe_decode_flag_str(uint8_t flags, char buf[7])
{
	buf[0] = (flags & TOE_TCP_URG) ? 'U' : '.';
	buf[1] = (flags & TOE_TCP_ACK) ? 'A' : '.';
	buf[2] = (flags & TOE_TCP_PSH) ? 'P' : '.';
	buf[3] = (flags & TOE_TCP_RST) ? 'R' : '.';
	buf[4] = (flags & TOE_TCP_SYN) ? 'S' : '.';
	buf[5] = (flags & TOE_TCP_FIN) ? 'F' : '.';
	buf[6] = '\0';
	return buf;
}

/*
 * One line per control bit, as the article prints them: the bit's place in
 * the flags byte, then what it means when clear and when set. The article
 * shows both wordings for ACK, SYN and FIN, and the clear wording of URG,
 * PSH and RST; the set wordings of those three are written in the same way
 * from RFC 9293's descriptions ("URG: Urgent pointer field significant",
 * "PSH: Push function", "RST: Reset the connection"). For FIN the article
 * prints "No more data from sender", RFC 9293's own words. CWR and ECE
 * (RFC 3168) were reserved bits when the article was written; they get a
 * line only when set.
 */
static const struct {
	uint8_t bit;
	const char *pattern; /* with 'x' where the bit's value goes */
	const char *clear, *set;
} flag_lines[] = {
	{ TOE_TCP_CWR, "x.......", NULL, "Congestion Window Reduced" },
	{ TOE_TCP_ECE, ".x......", NULL, "ECN-Echo" },
	{ TOE_TCP_URG, "..x.....", "No urgent data",
	  "Urgent Pointer field significant" },
	{ TOE_TCP_ACK, "...x....", "Acknowledgement field not significant",
	  "Acknowledgement field significant" },
	{ TOE_TCP_PSH, "....x...", "No Push function", "Push function" },
	{ TOE_TCP_RST, ".....x..", "No Reset", "Reset the connection" },
	{ TOE_TCP_SYN, "......x.", "No Synchronize",
	  "Synchronize sequence numbers" },
	{ TOE_TCP_FIN, ".......x", "No Fin", "No more data from sender" },
};

/* "2.0785": seconds, four decimals, trailing zeros dropped but one kept
 * ("2.787", "17.0"), as Network Monitor shows times. */
static void fmt_time(uint64_t ts_usec, char *buf, size_t cap)
{
	uint64_t t = (ts_usec + 50) / 100; /* 100 us units, rounded */
	size_t n;

	snprintf(buf, cap, "%" PRIu64 ".%04u", t / 10000,
		 (unsigned)(t % 10000));
	n = strlen(buf);
	while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = '\0';
}

/* ------------------------------------------------------------------ */
/* Hex dump                                                           */
/* ------------------------------------------------------------------ */

/* "00000:  02 60 8C 9E 18 8B 02 60 8C 3B 85 C1 08 00 45 00   .`.....`.;....E."
 * Offset in hex, two spaces, 16 bytes each followed by a space, two more
 * spaces, the bytes as ASCII with '.' for anything not printable. A short
 * last line is padded so its ASCII column lines up. */
void toe_decode_hex(FILE *out, const uint8_t *buf, size_t len)
{
	size_t off, i;

	for (off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;

		fprintf(out, "%05zX:  ", off);
		for (i = 0; i < 16; i++) {
			if (i < n)
				fprintf(out, "%02X ", buf[off + i]);
			else
				fputs("   ", out);
		}
		fputs("  ", out);
		for (i = 0; i < n; i++) {
			uint8_t c = buf[off + i];

			fputc(c >= 0x20 && c < 0x7f ? c : '.', out);
		}
		fputc('\n', out);
	}
}

/* ------------------------------------------------------------------ */
/* Summary lines                                                      */
/* ------------------------------------------------------------------ */

/*
 * ".A..S., len:    0, seq:   1109645-1109645, ack:   8221823, win: 8760,
 * src:  139 (NBT Session)  dst: 1037" - Network Monitor's column widths.
 * "seq: A-B" is the first and last sequence number of the payload (A-A when
 * there is none; SYN and FIN are not counted, as in the article's frames).
 * "len:" is the payload length: see toe_decode.h for why it is not the
 * article's "len: 4" on a SYN.
 */
static void print_tcp_summary(FILE *out, const struct toe_seg *s)
{
	char fl[7];
	const char *sn = toe_decode_port_short(s->src_port);
	const char *dn = toe_decode_port_short(s->dst_port);
	uint32_t last = s->len ? s->seq + s->len - 1 : s->seq;

	fprintf(out,
		"%s, len:%5u, seq:%10" PRIu32 "-%" PRIu32 ", ack:%10" PRIu32
		", win:%5u, src:%5u%s%s%s  dst:%5u%s%s%s",
		toe_decode_flag_str(s->flags, fl), s->len, s->seq, last, s->ack,
		s->win, s->src_port, sn ? " (" : "", sn ? sn : "", sn ? ")" : "",
		s->dst_port, dn ? " (" : "", dn ? dn : "", dn ? ")" : "");
}

/* ------------------------------------------------------------------ */
/* IP                                                                 */
/* ------------------------------------------------------------------ */

/* Not shown in the article; written the way Network Monitor decodes IP,
 * limited to the fields a TCP engine sets. */
static void print_ip(FILE *out, const uint8_t *ip, const struct toe_frame *f)
{
	char a[16];
	uint16_t frag = toe_get_be16(ip + 6);
	unsigned fl = frag >> 13;

	fprintf(out, "IP: ID = 0x%X; Proto = TCP; Len: %u\n\n", f->ip.id,
		f->ip_total_len);
	fprintf(out, "   IP: Total Length = %u (0x%X)\n", f->ip_total_len,
		f->ip_total_len);
	fprintf(out, "   IP: Identification = %u (0x%X)\n", f->ip.id, f->ip.id);
	fprintf(out, "   IP: Flags Summary = %u (0x%X)\n", fl, fl);
	fprintf(out, "      IP: .......%c = %s\n", (fl & 1) ? '1' : '0',
		(fl & 1) ? "More fragments in datagram"
			 : "Last fragment in datagram");
	fprintf(out, "      IP: ......%c. = %s\n", (fl & 2) ? '1' : '0',
		(fl & 2) ? "Cannot fragment datagram"
			 : "May fragment datagram if necessary");
	fprintf(out, "   IP: Time to Live = %u (0x%X)\n", f->ip.ttl, f->ip.ttl);
	fprintf(out, "   IP: Checksum = 0x%04X\n", f->ip_csum);
	fprintf(out, "   IP: Source Address = %s\n", toe_ip_str(f->seg.src_ip, a));
	fprintf(out, "   IP: Destination Address = %s\n\n",
		toe_ip_str(f->seg.dst_ip, a));
}

/* ------------------------------------------------------------------ */
/* TCP                                                                */
/* ------------------------------------------------------------------ */

static void print_port(FILE *out, const char *what, uint16_t port)
{
	const char *name = toe_decode_port_name(port);

	if (name)
		fprintf(out, "   TCP: %s Port = %s\n", what, name);
	else
		fprintf(out, "   TCP: %s Port = 0x%04X\n", what, port);
}

static void print_u32(FILE *out, const char *indent, const char *what,
		      uint32_t v)
{
	fprintf(out, "%sTCP: %s = %" PRIu32 " (0x%" PRIX32 ")\n", indent, what,
		v, v);
}

#define OPT_INDENT "         "

/* The option list, one block of lines per option in the order they come.
 * The codec has already refused a malformed list; the checks here only keep
 * the walk inside the buffer whatever it is given. */
static void print_options(FILE *out, const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t kind = p[i];
		uint8_t olen;
		const char *name;

		if (kind == TOE_TCPOPT_EOL) {
			print_u32(out, OPT_INDENT,
				  "Option Kind (End of Option List)", kind);
			return; /* the rest of the header is padding */
		}
		if (kind == TOE_TCPOPT_NOP) {
			print_u32(out, OPT_INDENT, "Option Kind (No Operation)",
				  kind);
			i++;
			continue;
		}
		if (i + 1 >= len || p[i + 1] < 2 || p[i + 1] > len - i) {
			fprintf(out, OPT_INDENT "TCP: Option list malformed at "
						"byte %zu\n", i);
			return;
		}
		olen = p[i + 1];
		switch (kind) {
		case TOE_TCPOPT_MSS: name = "Maximum Segment Size"; break;
		case TOE_TCPOPT_WSCALE: name = "Window Scale"; break;
		case TOE_TCPOPT_SACK_PERM: name = "SACK Permitted"; break;
		case TOE_TCPOPT_SACK: name = "SACK"; break;
		case TOE_TCPOPT_TS: name = "Timestamps"; break;
		default: name = "Unknown"; break;
		}
		fprintf(out, OPT_INDENT "TCP: Option Kind (%s) = %u (0x%X)\n",
			name, kind, kind);
		print_u32(out, OPT_INDENT, "Option Length", olen);
		if (kind == TOE_TCPOPT_MSS && olen == 4) {
			print_u32(out, OPT_INDENT, "Option Value",
				  toe_get_be16(p + i + 2));
		} else if (kind == TOE_TCPOPT_WSCALE && olen == 3) {
			print_u32(out, OPT_INDENT, "Option Value", p[i + 2]);
		} else if (kind == TOE_TCPOPT_TS && olen == 10) {
			print_u32(out, OPT_INDENT, "Timestamp Value",
				  toe_get_be32(p + i + 2));
			print_u32(out, OPT_INDENT, "Timestamp Echo Reply",
				  toe_get_be32(p + i + 6));
		} else if (kind == TOE_TCPOPT_SACK && (olen - 2) % 8 == 0) {
			size_t b;

			for (b = i + 2; b + 8 <= (size_t)i + olen; b += 8) {
				print_u32(out, OPT_INDENT, "Left Edge",
					  toe_get_be32(p + b));
				print_u32(out, OPT_INDENT, "Right Edge",
					  toe_get_be32(p + b + 4));
			}
		} else if (olen > 2) {
			size_t b;

			fputs(OPT_INDENT "TCP: Option Data =", out);
			for (b = 2; b < olen; b++)
				fprintf(out, " %02X", p[i + b]);
			fputc('\n', out);
		}
		i += olen;
	}
}

static void print_tcp(FILE *out, const uint8_t *tcp, const struct toe_frame *f,
		      bool padding)
{
	const struct toe_seg *s = &f->seg;
	unsigned doff = (unsigned)f->tcp_doff * 4;
	unsigned rsvd = tcp[12] & 0x0f;
	char fl[7];
	size_t i;

	fputs("TCP: ", out);
	print_tcp_summary(out, s);
	fputs("\n\n", out);
	print_port(out, "Source", s->src_port);
	print_port(out, "Destination", s->dst_port);
	print_u32(out, "   ", "Sequence Number", s->seq);
	print_u32(out, "   ", "Acknowledgement Number", s->ack);
	/* Network Monitor shows the data offset in bytes. */
	print_u32(out, "   ", "Data Offset", doff);
	fprintf(out, "   TCP: Reserved = %u (0x%04X)\n", rsvd, rsvd);
	fprintf(out, "   TCP: Flags = 0x%02X : %s\n\n", s->flags,
		toe_decode_flag_str(s->flags, fl));
	for (i = 0; i < sizeof(flag_lines) / sizeof(flag_lines[0]); i++) {
		bool set = (s->flags & flag_lines[i].bit) != 0;
		char pat[9];

		if (!set && !flag_lines[i].clear)
			continue;
		memcpy(pat, flag_lines[i].pattern, sizeof(pat));
		*strchr(pat, 'x') = set ? '1' : '0';
		fprintf(out, "      TCP: %s = %s\n", pat,
			set ? flag_lines[i].set : flag_lines[i].clear);
	}
	fputc('\n', out);
	print_u32(out, "   ", "Window", s->win);
	fprintf(out, "   TCP: Checksum = 0x%04X\n", f->tcp_csum);
	print_u32(out, "   ", "Urgent Pointer", s->urg);
	if (s->opt_raw_len) {
		fputs("   TCP: Options\n\n", out);
		print_options(out, s->opt_raw, s->opt_raw_len);
		/* The article leaves a blank line after the options; when
		 * nothing follows, the one before the hex dump is it. */
		if (s->len || padding)
			fputc('\n', out);
	}
	if (s->len)
		fprintf(out, "   TCP: Data: Number of data bytes remaining = %u "
			     "(0x%04X)\n", s->len, s->len);
	/* Bytes after the IPv4 total length: Ethernet padding (the seed's
	 * frames 1-3, 5 and 6 carry some; 4 and 7 do not). */
	if (padding)
		fputs("   TCP: Frame Padding\n", out);
}

/* ------------------------------------------------------------------ */
/* Frame                                                              */
/* ------------------------------------------------------------------ */

int toe_decode_frame(FILE *out, unsigned frame_no, uint64_t ts_usec,
		     const uint8_t *frame, size_t len, unsigned flags)
{
	struct toe_frame f;
	char t[32], a[16], b[16];
	const uint8_t *ip, *tcp;
	int rc;

	fmt_time(ts_usec, t, sizeof(t));
	rc = toe_parse_frame(frame, len, &f);
	if (rc != TOE_PARSE_OK) {
		fprintf(out, "%-4u %s dropped: %s, %zu bytes\n", frame_no, t,
			toe_parse_result_name(rc), len);
		return rc;
	}
	ip = frame + TOE_ETH_HLEN;
	tcp = ip + (size_t)f.ip_ihl * 4;

	fprintf(out, "%-4u %s %s --> %s TCP ", frame_no, t,
		toe_ip_str(f.seg.src_ip, a), toe_ip_str(f.seg.dst_ip, b));
	print_tcp_summary(out, &f.seg);
	fputc('\n', out);
	if (flags & TOE_DECODE_SUMMARY)
		return rc;
	fputc('\n', out);
	if (!(flags & TOE_DECODE_NO_IP))
		print_ip(out, ip, &f);
	print_tcp(out, tcp, &f, len > TOE_ETH_HLEN + (size_t)f.ip_total_len);
	if (!(flags & TOE_DECODE_NO_HEX)) {
		fputc('\n', out);
		toe_decode_hex(out, frame, len);
	}
	fputc('\n', out);
	return rc;
}
