/* SPDX-License-Identifier: MIT */
/* codec.c - the frame codec the tests use, as an installed library: build
 * a SYN (MSS 1460) from 10.0.0.2:40000 to 10.0.0.1:80, parse it back and
 * print what the parser saw. Build: cc codec.c $(pkg-config --cflags
 * --libs toe-pkt); run: ./codec. */
#include <stdio.h>
#include <toe/toe_wire.h>

int main(void)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	struct toe_ip_meta ip = { .ttl = 64, .df = true, .id = 1 };
	struct toe_seg s = { .src_ip = 0x0a000002, .dst_ip = 0x0a000001,
			     .src_port = 40000, .dst_port = 80, .seq = 1000,
			     .flags = TOE_TCP_SYN, .win = 64240,
			     .opt = { .has_mss = true, .mss = 1460 } };
	struct toe_frame f;
	uint8_t buf[128];
	char a[16], b[16];
	int n = toe_build_frame(buf, sizeof(buf), dst, src, &ip, &s);
	int r;

	if (n < 0) {
		fprintf(stderr, "build failed\n");
		return 1;
	}
	r = toe_parse_frame(buf, (size_t)n, &f);
	if (r != TOE_PARSE_OK) {
		fprintf(stderr, "parse: %s\n", toe_parse_result_name(r));
		return 1;
	}
	printf("%d bytes: %s:%u -> %s:%u flags 0x%02x seq %u mss %u\n", n,
	       toe_ip_str(f.seg.src_ip, a), f.seg.src_port,
	       toe_ip_str(f.seg.dst_ip, b), f.seg.dst_port, f.seg.flags,
	       (unsigned)f.seg.seq, f.seg.opt.mss);
	return 0;
}
