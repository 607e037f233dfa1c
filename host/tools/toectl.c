/* SPDX-License-Identifier: MIT */
/*
 * toectl.c - the command-line tool: `toectl COMMAND [ARGS]`.
 *
 * Commands live in one table (name, argument synopsis, one-line summary,
 * handler, help); adding a command is adding a row and its two functions.
 *
 *   toectl [-d URI] COMMAND [ARGS]
 *
 * The engine commands (info, config, listen, unlisten, connect, close,
 * shutdown, abort, status, stats, events, isn) open the engine at URI
 * through the host library (toe/toe.h): -d URI, else $TOE_URI, else
 * "sim:". With sim: every run is a fresh simulated engine (useful for
 * info and config); tcp://127.0.0.1:PORT attaches to a running simulation,
 * ftdi://... to a board.
 *
 *   toectl decode [-s] [-r] FILE.pcap
 *       print every frame of a pcap file the way the seed article
 *       (KB 172983, Network Monitor) shows them (no engine needed).
 *
 * Exit status, for every command: 0 success, 1 the command failed (file
 * missing or unreadable, engine error...), 2 usage error (unknown command
 * or option, missing argument).
 */
#include <getopt.h>
#include <unistd.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toe/toe.h"
#include "toe/toe_parse.h"
#include "toe_decode.h"
#include "toe_wire.h"

#define EXIT_USAGE 2

struct toectl_cmd {
	const char *name;
	const char *synopsis; /* arguments, as in the usage line */
	const char *summary;  /* one line for `toectl --help` */
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
	void (*help)(FILE *out);
};

static int cmd_decode(int argc, char **argv);
static void help_decode(FILE *out);
#define ENGINE_CMD(name) \
	static int cmd_##name(int argc, char **argv); \
	static void help_##name(FILE *out);
ENGINE_CMD(info)
ENGINE_CMD(config)
ENGINE_CMD(listen)
ENGINE_CMD(unlisten)
ENGINE_CMD(connect)
ENGINE_CMD(close)
ENGINE_CMD(shutdown)
ENGINE_CMD(abort)
ENGINE_CMD(status)
ENGINE_CMD(stats)
ENGINE_CMD(events)
ENGINE_CMD(isn)

static const struct toectl_cmd commands[] = {
	{ "info", "", "the engine's identity, build options and link",
	  cmd_info, help_info },
	{ "config", "[KEY=VALUE...]", "show or change the configuration",
	  cmd_config, help_config },
	{ "listen", "PORT", "listen on a local port", cmd_listen, help_listen },
	{ "unlisten", "PORT", "stop listening on a port", cmd_unlisten,
	  help_unlisten },
	{ "connect", "-m MAC [-l LPORT] IP:PORT", "open a connection",
	  cmd_connect, help_connect },
	{ "close", "ID", "close a connection (FIN)", cmd_close, help_close },
	{ "shutdown", "ID", "shut down the sending side (FIN)", cmd_shutdown,
	  help_shutdown },
	{ "abort", "ID", "abort a connection (RST)", cmd_abort, help_abort },
	{ "status", "[-a]", "connection table, like ss -tan", cmd_status,
	  help_status },
	{ "stats", "", "engine and link counters", cmd_stats, help_stats },
	{ "events", "[-n COUNT] [-t SECONDS]", "print events as they come",
	  cmd_events, help_events },
	{ "isn", "random-key | key HEX32 | pin ISN | check ID",
	  "the ISN policy (RFC 6528)", cmd_isn, help_isn },
	{ "decode", "[-s] [-r] FILE.pcap",
	  "print a pcap file's frames as the seed article (KB 172983) shows "
	  "them", cmd_decode, help_decode },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fputs("usage: toectl [-d URI] COMMAND [ARGS]\n"
	      "       toectl COMMAND --help\n"
	      "\n"
	      "  -d URI   the engine: sim:[?opts] (a fresh simulated engine),\n"
	      "           tcp://HOST:PORT (a running simulation),\n"
	      "           ftdi://[VID:PID[:SERIAL]|BOARD[:SERIAL]][/IFACE]\n"
	      "           (a board: ecp5-versa, arty-a7, ...);\n"
	      "           default $TOE_URI, else sim:\n"
	      "\n"
	      "Commands:\n", out);
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\n"
	      "Exit status: 0 success, 1 the command failed, 2 usage error.\n",
	      out);
}

static const struct toectl_cmd *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* engine commands                                                    */
/* ------------------------------------------------------------------ */

static const char *g_uri; /* -d URI */

static const char *engine_uri(void)
{
	const char *u = g_uri ? g_uri : getenv("TOE_URI");

	return u && *u ? u : "sim:";
}

/* Open the engine or say why not (NULL). */
static struct toe *engine_open(const char *cmd)
{
	struct toe *t = toe_new();
	int r;

	if (!t) {
		fprintf(stderr, "toectl %s: out of memory\n", cmd);
		return NULL;
	}
	r = toe_open(t, engine_uri());
	if (r < 0) {
		fprintf(stderr, "toectl %s: %s (%s)\n", cmd, toe_errmsg(t),
			toe_strerror(r));
		toe_free(t);
		return NULL;
	}
	return t;
}

/* Report a failed call: "toectl listen: engine: address in use: ...". */
static int failed(struct toe *t, const char *cmd, int r)
{
	/* the handle's message has the detail; the code's name if none */
	fprintf(stderr, "toectl %s: %s\n", cmd, *toe_errmsg(t) ?
		toe_errmsg(t) : toe_strerror(r));
	toe_free(t);
	return EXIT_FAILURE;
}

/* --help / -h as the only option; anything else starting with '-' is a
 * usage error. Returns -1 to go on, else the exit status. */
static int simple_opts(int argc, char **argv, void (*help)(FILE *))
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help(stdout);
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1] && !strchr("0123456789",
								argv[i][1])) {
			fprintf(stderr, "toectl %s: unknown option '%s'\n",
				argv[0], argv[i]);
			help(stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

static int want_args(int argc, char **argv, int n, void (*help)(FILE *))
{
	if (argc - 1 != n) {
		fprintf(stderr, "toectl %s: %s\n", argv[0], argc - 1 < n ?
			"missing argument" : "too many arguments");
		help(stderr);
		return EXIT_USAGE;
	}
	return -1;
}

/* 0..max (toe_parse_u64: the whole string, no sign), or -1 */
static int parse_num(const char *s, unsigned long max, unsigned long *out)
{
	uint64_t v;

	if (toe_parse_u64(s, 0, max, &v) < 0)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

static void help_common(FILE *out)
{
	fputs("\n"
	      "The engine is -d URI (before the command), else $TOE_URI, else\n"
	      "sim: (a fresh simulated engine for each run).\n", out);
}

/* ---- info ---- */

static void help_info(FILE *out)
{
	fputs("usage: toectl [-d URI] info\n"
	      "\n"
	      "Open the engine, check its ID block, and print what it is: ID,\n"
	      "register map version, table sizes, stream width, event FIFO\n"
	      "depth, host bridge protocol version and burst size, engine\n"
	      "clock.\n", out);
	help_common(out);
}

static int cmd_info(int argc, char **argv)
{
	struct toe_info in;
	struct toe_config c;
	uint64_t now;
	unsigned used;
	struct toe *t;
	int r;

	if ((r = simple_opts(argc, argv, help_info)) >= 0 ||
	    (r = want_args(argc, argv, 0, help_info)) >= 0)
		return r;
	t = engine_open("info");
	if (!t)
		return EXIT_FAILURE;
	if ((r = toe_get_info(t, &in)) < 0 || (r = toe_config_get(t, &c)) < 0)
		return failed(t, "info", r);
	printf("uri          %s\n", in.uri);
	printf("id           0x%08" PRIx32 " (\"%c%c%c%c\")\n", in.id,
	       (char)(in.id >> 24), (char)(in.id >> 16), (char)(in.id >> 8),
	       (char)in.id);
	printf("regmap       %u.%u\n", in.version_major, in.version_minor);
	printf("connections  %u\n", in.n_conn);
	printf("listeners    %u\n", in.n_listen);
	printf("stream       %u bytes\n", in.stream_bytes);
	printf("event fifo   %u\n", in.ev_depth);
	printf("bridge       protocol %u, %u words per request\n",
	       in.proto_version, in.max_burst);
	printf("clock        %" PRIu32 " Hz\n", c.clock_hz);
	if (toe_engine_cycles(t, &now) == 0)
		printf("engine time  %" PRIu64 " ticks\n", now);
	if (toe_conns_used(t, &used) == 0)
		printf("in use       %u of %u connections\n", used, in.n_conn);
	toe_free(t);
	return EXIT_SUCCESS;
}

/* ---- config ---- */

static void help_config(FILE *out)
{
	fputs("usage: toectl [-d URI] config [KEY=VALUE...]\n"
	      "\n"
	      "Without arguments, print the configuration as KEY=VALUE lines.\n"
	      "With arguments, change those keys and write the configuration\n"
	      "(read back and compared). The register map allows changes only\n"
	      "while the engine is disabled: enable=0 first (it can be given in\n"
	      "the same command, and enable=1 last to switch it on again).\n"
	      "\n"
	      "Keys: mac=02:00:00:00:00:01 ip=10.0.0.1 mtu=1500 mss=1460\n"
	      "rcv_wnd syn_wnd ttl df=0|1 ip_id_init ip_id_step arp=0|1\n"
	      "ping=0|1 clock_hz challenge_ack_limit, durations (ms, or with\n"
	      "'s'): rto_init rto_max syn_giveup synack_giveup fin_giveup msl\n"
	      "challenge_ack_window; and enable=0|1 (also off|on, no|yes).\n"
	      "A value below its minimum (ttl 0, syn_giveup under 3 min,\n"
	      "fin_giveup under 100 s, synack_giveup or msl 0) is refused.\n",
	      out);
	help_common(out);
}

static int cmd_config(int argc, char **argv)
{
	struct toe_config c;
	struct toe *t;
	char err[320];
	int r, enable = -1, set = 0;
	uint32_t ctrl;

	if ((r = simple_opts(argc, argv, help_config)) >= 0)
		return r;
	t = engine_open("config");
	if (!t)
		return EXIT_FAILURE;
	if ((r = toe_config_get(t, &c)) < 0)
		return failed(t, "config", r);
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "enable=", 7) == 0) {
			bool on;

			if (toe_parse_bool(argv[i] + 7, &on) < 0) {
				fprintf(stderr, "toectl config: %s: bad value "
					"(want " TOE_PARSE_BOOL_WANT ")\n",
					argv[i]);
				toe_free(t);
				return EXIT_USAGE;
			}
			enable = on;
			continue;
		}
		if (toe_config_parse(&c, argv[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "toectl config: %s\n", err);
			toe_free(t);
			return EXIT_USAGE;
		}
		set++;
	}
	if (set) {
		if (enable == 0 && (r = toe_enable(t, false)) < 0)
			return failed(t, "config", r);
		if ((r = toe_config_set(t, &c)) < 0)
			return failed(t, "config", r);
	}
	if (enable >= 0 && (r = toe_enable(t, enable == 1)) < 0)
		return failed(t, "config", r);
	if ((r = toe_config_get(t, &c)) < 0 ||
	    (r = toe_reg_read(t, TOE_REG_CTRL, &ctrl)) < 0)
		return failed(t, "config", r);
	toe_config_print(&c, stdout);
	printf("enable=%d\n", (ctrl & TOE_REG_CTRL_ENABLE_MASK) ? 1 : 0);
	toe_free(t);
	return EXIT_SUCCESS;
}

/* ---- listen / unlisten ---- */

static void help_listen(FILE *out)
{
	fputs("usage: toectl [-d URI] listen PORT\n"
	      "\n"
	      "Listen on local TCP port PORT (1..65535): SYNs to it are answered\n"
	      "by the engine without the host.\n", out);
	help_common(out);
}

static void help_unlisten(FILE *out)
{
	fputs("usage: toectl [-d URI] unlisten PORT\n"
	      "\n"
	      "Stop listening on PORT; connections it created stay.\n", out);
	help_common(out);
}

static int port_cmd(int argc, char **argv, bool listen, void (*help)(FILE *))
{
	unsigned long port;
	struct toe *t;
	int r;

	if ((r = simple_opts(argc, argv, help)) >= 0 ||
	    (r = want_args(argc, argv, 1, help)) >= 0)
		return r;
	if (parse_num(argv[1], 65535, &port) < 0 || port == 0) {
		fprintf(stderr, "toectl %s: '%s' is not a port (1..65535)\n",
			argv[0], argv[1]);
		return EXIT_USAGE;
	}
	t = engine_open(argv[0]);
	if (!t)
		return EXIT_FAILURE;
	r = listen ? toe_listen(t, (uint16_t)port) :
		     toe_unlisten(t, (uint16_t)port);
	if (r < 0)
		return failed(t, argv[0], r);
	printf("%s %lu\n", listen ? "listening on" : "stopped listening on",
	       port);
	toe_free(t);
	return EXIT_SUCCESS;
}

static int cmd_listen(int argc, char **argv)
{
	return port_cmd(argc, argv, true, help_listen);
}

static int cmd_unlisten(int argc, char **argv)
{
	return port_cmd(argc, argv, false, help_unlisten);
}

/* ---- connect ---- */

static void help_connect(FILE *out)
{
	fputs("usage: toectl [-d URI] connect -m MAC [-l LPORT] IP:PORT\n"
	      "\n"
	      "Open a connection to IP:PORT and print its id. The engine does\n"
	      "not send ARP requests: -m gives the MAC address of the peer (or\n"
	      "of the router to it). The SYN is sent at once; the handshake's\n"
	      "outcome comes as an event (toectl events) and in toectl status.\n"
	      "The engine must be enabled (toectl config enable=1): while it\n"
	      "is disabled nothing is sent, and connect refuses (exit 1).\n"
	      "IP must be a unicast address (not 0.0.0.0, 255.255.255.255 or\n"
	      "multicast 224.0.0.0/4) and MAC a unicast MAC (the first\n"
	      "octet's low bit clear): RFC 1122 4.2.3.10.\n"
	      "\n"
	      "  -m, --mac MAC      next hop's MAC, 02:00:00:00:00:02 form\n"
	      "  -l, --local PORT   local port (default 49152 + a count)\n",
	      out);
	help_common(out);
}

/* Why ip cannot be a TCP peer (RFC 1122 4.2.3.10: a TCP must reject an
 * OPEN to a broadcast or multicast address; 0.0.0.0 is "this host"), or
 * NULL if it can. */
static const char *ip_not_unicast(uint32_t ip)
{
	if (ip == 0xFFFFFFFFu)
		return "the limited broadcast address";
	if ((ip >> 28) == 0xE)
		return "a multicast address (224.0.0.0/4)";
	if (ip == 0)
		return "the unspecified address";
	return NULL;
}

static int cmd_connect(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mac", required_argument, NULL, 'm' },
		{ "local", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t mac[6];
	bool have_mac = false;
	unsigned long lport = 0, rport;
	uint32_t ip;
	char host[64], *colon;
	struct toe *t;
	uint32_t ctrl;
	int c, id, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+m:l:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (toe_parse_mac(optarg, mac) < 0) {
				fprintf(stderr, "toectl connect: '%s' is not a "
					"MAC address\n", optarg);
				return EXIT_USAGE;
			}
			if (mac[0] & 1) { /* the I/G bit: group address */
				fprintf(stderr, "toectl connect: bad -m '%s': "
					"a broadcast/multicast MAC (first "
					"octet's low bit set); want the "
					"peer's unicast MAC\n", optarg);
				return EXIT_USAGE;
			}
			have_mac = true;
			break;
		case 'l':
			if (parse_num(optarg, 65535, &lport) < 0 || !lport) {
				fprintf(stderr, "toectl connect: '%s' is not a "
					"port\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			help_connect(stdout);
			return 0;
		default:
			help_connect(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1 || !have_mac) {
		fprintf(stderr, "toectl connect: %s\n", !have_mac ?
			"the peer's MAC is needed (-m): the engine does not "
			"ARP" : "want one IP:PORT");
		help_connect(stderr);
		return EXIT_USAGE;
	}
	snprintf(host, sizeof(host), "%s", argv[optind]);
	colon = strrchr(host, ':');
	if (!colon || (*colon = 0, toe_ip_parse(host, &ip) < 0) ||
	    parse_num(colon + 1, 65535, &rport) < 0 || !rport) {
		fprintf(stderr, "toectl connect: '%s' is not IP:PORT\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (ip_not_unicast(ip)) {
		fprintf(stderr, "toectl connect: bad IP:PORT '%s': %s is %s; "
			"want a unicast peer\n", argv[optind], host,
			ip_not_unicast(ip));
		return EXIT_USAGE;
	}
	if (!lport)
		lport = 49152 + (unsigned long)(getpid() % 16384);
	t = engine_open("connect");
	if (!t)
		return EXIT_FAILURE;
	/* A disabled engine sends nothing (docs/regmap.md CTRL.ENABLE): do
	 * not make a connection that claims a SYN went out. */
	if ((r = toe_reg_read(t, TOE_REG_CTRL, &ctrl)) < 0)
		return failed(t, "connect", r);
	if (!(ctrl & TOE_REG_CTRL_ENABLE_MASK)) {
		fprintf(stderr, "toectl connect: the engine is disabled "
			"(CTRL.ENABLE = 0): no SYN sent; switch it on with "
			"'toectl config enable=1'\n");
		toe_free(t);
		return EXIT_FAILURE;
	}
	id = toe_connect(t, (uint16_t)lport, ip, (uint16_t)rport, mac);
	if (id < 0)
		return failed(t, "connect", id);
	printf("connection %d: SYN sent from port %lu to %s\n", id, lport,
	       argv[optind]);
	toe_free(t);
	return EXIT_SUCCESS;
}

/* ---- close / shutdown / abort ---- */

static void help_close(FILE *out)
{
	fputs("usage: toectl [-d URI] close ID\n"
	      "\n"
	      "close() connection ID: the engine sends a FIN (or drops a\n"
	      "connection still in SYN-SENT). A second close does nothing.\n",
	      out);
	help_common(out);
}

static void help_shutdown(FILE *out)
{
	fputs("usage: toectl [-d URI] shutdown ID\n"
	      "\n"
	      "shutdown(SHUT_WR) on connection ID: a FIN; the engine keeps\n"
	      "receiving.\n", out);
	help_common(out);
}

static void help_abort(FILE *out)
{
	fputs("usage: toectl [-d URI] abort ID\n"
	      "\n"
	      "Abort connection ID (SO_LINGER 0): a RST where RFC 9293 says\n"
	      "so, and the connection is deleted at once.\n", out);
	help_common(out);
}

static int conn_cmd(int argc, char **argv, int (*fn)(struct toe *, int),
		    void (*help)(FILE *))
{
	unsigned long id;
	struct toe *t;
	int r;

	if ((r = simple_opts(argc, argv, help)) >= 0 ||
	    (r = want_args(argc, argv, 1, help)) >= 0)
		return r;
	if (parse_num(argv[1], 65535, &id) < 0) {
		fprintf(stderr, "toectl %s: '%s' is not a connection id\n",
			argv[0], argv[1]);
		return EXIT_USAGE;
	}
	t = engine_open(argv[0]);
	if (!t)
		return EXIT_FAILURE;
	r = fn(t, (int)id);
	if (r < 0)
		return failed(t, argv[0], r);
	printf("connection %lu: %s done\n", id, argv[0]);
	toe_free(t);
	return EXIT_SUCCESS;
}

static int cmd_close(int argc, char **argv)
{
	return conn_cmd(argc, argv, toe_conn_close, help_close);
}

static int cmd_shutdown(int argc, char **argv)
{
	return conn_cmd(argc, argv, toe_conn_shutdown, help_shutdown);
}

static int cmd_abort(int argc, char **argv)
{
	return conn_cmd(argc, argv, toe_conn_abort, help_abort);
}

/* ---- status ---- */

static void help_status(FILE *out)
{
	fputs("usage: toectl [-d URI] status [-a]\n"
	      "\n"
	      "The connection table, one line per connection that is not\n"
	      "CLOSED, like `ss -tan`: id, state, local and peer address,\n"
	      "ISS, IRS, SND.UNA, SND.NXT, RCV.NXT, the peer's window and the\n"
	      "effective MSS. -a also prints the raw flags (passive, closed by\n"
	      "the user, write side shut, retransmissions).\n", out);
	help_common(out);
}

static int cmd_status(int argc, char **argv)
{
	struct toe_info in;
	struct toe *t;
	bool all = false;
	unsigned n = 0;
	int r;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-a") == 0) {
			all = true;
		} else if (strcmp(argv[i], "-h") == 0 ||
			   strcmp(argv[i], "--help") == 0) {
			help_status(stdout);
			return 0;
		} else {
			fprintf(stderr, "toectl status: unknown argument '%s'\n",
				argv[i]);
			help_status(stderr);
			return EXIT_USAGE;
		}
	}
	t = engine_open("status");
	if (!t)
		return EXIT_FAILURE;
	if ((r = toe_get_info(t, &in)) < 0)
		return failed(t, "status", r);
	printf("%-5s %-12s %-21s %-21s %-10s %-10s %-10s %-10s %-10s %6s %5s%s\n",
	       "Id", "State", "Local Address:Port", "Peer Address:Port", "ISS",
	       "IRS", "SND.UNA", "SND.NXT", "RCV.NXT", "Wnd", "MSS",
	       all ? "  Flags" : "");
	for (unsigned id = 0; id < in.n_conn; id++) {
		struct toe_conn_info ci;
		char l[32], p[32], a[16], b[16];

		if ((r = toe_conn_info(t, (int)id, &ci)) < 0)
			return failed(t, "status", r);
		if (ci.state == TOE_ST_CLOSED)
			continue;
		snprintf(l, sizeof(l), "%s:%u", toe_ip_str(ci.local_ip, a),
			 ci.local_port);
		snprintf(p, sizeof(p), "%s:%u", toe_ip_str(ci.remote_ip, b),
			 ci.remote_port);
		printf("%-5u %-12s %-21s %-21s 0x%08" PRIx32 " 0x%08" PRIx32
		       " 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32
		       " %6" PRIu32 " %5u", id, toe_tcp_state_name(ci.state),
		       l, p, ci.iss, ci.irs, ci.snd_una, ci.snd_nxt, ci.rcv_nxt,
		       ci.snd_wnd, ci.eff_mss);
		if (all)
			printf("  %s%s%s rtx=%u", ci.passive ? "passive" :
			       "active", ci.closed_by_user ? ",closed" : "",
			       ci.wr_shut ? ",wr_shut" : "", ci.retransmits);
		putchar('\n');
		n++;
	}
	printf("%u connection%s\n", n, n == 1 ? "" : "s");
	toe_free(t);
	return EXIT_SUCCESS;
}

/* ---- stats ---- */

static void help_stats(FILE *out)
{
	fputs("usage: toectl [-d URI] stats\n"
	      "\n"
	      "The engine's counters (segments in and out, RSTs, challenge\n"
	      "ACKs, drops by reason, ARP / ICMP replies, lost events, its\n"
	      "bridge's frames and replays) and this run's link counters.\n",
	      out);
	help_common(out);
}

static int cmd_stats(int argc, char **argv)
{
	struct toe_stats st;
	struct toe *t;
	int r;

	if ((r = simple_opts(argc, argv, help_stats)) >= 0 ||
	    (r = want_args(argc, argv, 0, help_stats)) >= 0)
		return r;
	t = engine_open("stats");
	if (!t)
		return EXIT_FAILURE;
	if ((r = toe_get_stats(t, &st)) < 0)
		return failed(t, "stats", r);
#define P64(name, v) printf("%-28s %" PRIu64 "\n", name, (uint64_t)(v))
	P64("segs_in", st.segs_in);
	P64("segs_out", st.segs_out);
	P64("rst_out", st.rst_out);
	P64("challenge_acks", st.challenge_acks);
	P64("challenge_acks_suppressed", st.challenge_acks_suppressed);
	P64("dropped", st.dropped);
	P64("rx_bytes", st.rx_bytes);
	P64("retransmits", st.retransmits);
	for (int i = 1; i < TOE_PERR_COUNT; i++) {
		char name[40];

		snprintf(name, sizeof(name), "parse_drop.%s",
			 toe_parse_result_name(-i));
		P64(name, st.parse_drops[i]);
	}
	P64("mac_bad", st.mac_bad);
	P64("table_full", st.table_full);
	P64("rx_too_long", st.rx_too_long);
	P64("arp_replies", st.arp_replies);
	P64("arp_busy", st.arp_busy);
	P64("icmp_replies", st.icmp_replies);
	P64("icmp_busy", st.icmp_busy);
	P64("events_lost", st.ev_lost);
	P64("bridge.frames", st.bridge_frames);
	P64("bridge.crc_errors", st.bridge_crc_errors);
	P64("bridge.oversize", st.bridge_oversize);
	P64("bridge.timeouts", st.bridge_timeouts);
	P64("bridge.replays", st.bridge_replays);
	P64("link.transactions", st.link_transactions);
	P64("link.retries", st.link_retries);
	P64("link.crc_errors", st.link_crc_errors);
#undef P64
	toe_free(t);
	return EXIT_SUCCESS;
}

/* ---- events ---- */

static void help_events(FILE *out)
{
	fputs("usage: toectl [-d URI] events [-n COUNT] [-t SECONDS]\n"
	      "\n"
	      "Print the engine's events as they come (follow): connection id,\n"
	      "event (ESTABLISHED, PEER_FIN, CLOSED, RESET, REFUSED, TIMEDOUT,\n"
	      "RX_DATA with its byte count). Stops after COUNT events, after\n"
	      "SECONDS without one (-t 0: print what is there and stop), or on\n"
	      "Ctrl-C. Events are taken out of the\n"
	      "engine's FIFO: another program will not see them.\n", out);
	help_common(out);
}

static volatile sig_atomic_t g_stop;

static void on_sigint(int sig)
{
	(void)sig;
	g_stop = 1;
}

static int cmd_events(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long count = 0, secs = 0, n = 0;
	bool timed = false;
	struct toe_event ev;
	struct toe *t;
	int c, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+n:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
		case 't':
			if (parse_num(optarg, 1000000, c == 'n' ? &count :
				      &secs) < 0) {
				fprintf(stderr, "toectl events: bad -%c '%s'\n",
					c, optarg);
				return EXIT_USAGE;
			}
			timed |= c == 't';
			break;
		case 'h':
			help_events(stdout);
			return 0;
		default:
			help_events(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "toectl events: unexpected '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	t = engine_open("events");
	if (!t)
		return EXIT_FAILURE;
	signal(SIGINT, on_sigint);
	while (!g_stop && (!count || n < count)) {
		/* wait in slices, so Ctrl-C and -t are noticed */
		r = toe_event_poll(t, &ev, timed ? (int)(secs * 1000) : 500);
		if (r < 0)
			return failed(t, "events", r);
		if (r == 0) {
			if (timed)
				break;
			continue;
		}
		printf("conn %-5d %s", ev.conn, toe_event_name(ev.type));
		if (ev.type == TOE_EV_RX_DATA)
			printf(" %" PRIu32 " bytes", ev.arg);
		if (ev.has_tuple) {
			char ip[16];

			printf(" :%u <-> %s:%u", ev.local_port,
			       toe_ip_str(ev.remote_ip, ip), ev.remote_port);
		}
		putchar('\n');
		fflush(stdout);
		n++;
	}
	toe_free(t);
	return EXIT_SUCCESS;
}

/* ---- isn ---- */

static void help_isn(FILE *out)
{
	fputs("usage: toectl [-d URI] isn random-key\n"
	      "       toectl [-d URI] isn key HEX32\n"
	      "       toectl [-d URI] isn pin ISN\n"
	      "       toectl [-d URI] isn check ID [HEX32]\n"
	      "\n"
	      "The ISN policy (RFC 6528: ISN = M + SipHash-2-4(key, 4-tuple), M\n"
	      "the 4 us clock). random-key loads a key from the OS random\n"
	      "source (it is not printed: nobody can predict the ISNs); key\n"
	      "loads the given 16 bytes (32 hex digits, byte 0 first); pin\n"
	      "fixes the ISN of the next connection. check recomputes\n"
	      "connection ID's ISN with the given key (the key registers are\n"
	      "write-only) and says whether M lies between the engine clock at\n"
	      "the connection's creation window and now; without the key only\n"
	      "a program holding it can check.\n", out);
	help_common(out);
}

static int parse_key(const char *s, uint8_t key[16])
{
	if (strlen(s) != 32)
		return -1;
	for (int i = 0; i < 16; i++) {
		unsigned b;

		if (sscanf(s + 2 * i, "%2x", &b) != 1)
			return -1;
		key[i] = (uint8_t)b;
	}
	return 0;
}

static int cmd_isn(int argc, char **argv)
{
	uint8_t key[16];
	unsigned long v = 0;
	struct toe *t;
	int r;

	if ((r = simple_opts(argc, argv, help_isn)) >= 0)
		return r;
	if (argc < 2) {
		fprintf(stderr, "toectl isn: missing subcommand\n");
		help_isn(stderr);
		return EXIT_USAGE;
	}
	if (!((strcmp(argv[1], "random-key") == 0 && argc == 2) ||
	      (strcmp(argv[1], "key") == 0 && argc == 3 &&
	       parse_key(argv[2], key) == 0) ||
	      (strcmp(argv[1], "pin") == 0 && argc == 3 &&
	       parse_num(argv[2], UINT32_MAX, &v) == 0) ||
	      (strcmp(argv[1], "check") == 0 && (argc == 3 || argc == 4) &&
	       parse_num(argv[2], 65535, &v) == 0 &&
	       (argc == 3 || parse_key(argv[3], key) == 0)))) {
		fprintf(stderr, "toectl isn: bad arguments\n");
		help_isn(stderr);
		return EXIT_USAGE;
	}
	t = engine_open("isn");
	if (!t)
		return EXIT_FAILURE;
	if (strcmp(argv[1], "random-key") == 0) {
		if ((r = toe_isn_random_key(t)) < 0)
			return failed(t, "isn", r);
		puts("loaded a random ISN key");
	} else if (strcmp(argv[1], "key") == 0) {
		if ((r = toe_isn_set_key(t, key)) < 0)
			return failed(t, "isn", r);
		puts("loaded the ISN key");
	} else if (strcmp(argv[1], "pin") == 0) {
		if ((r = toe_isn_pin(t, (uint32_t)v)) < 0)
			return failed(t, "isn", r);
		printf("the next connection's ISN is %lu\n", v);
	} else {
		struct toe_conn_info ci;
		struct toe_isn_check chk;
		uint64_t now;
		uint32_t hz;

		if (argc == 3) {
			fprintf(stderr, "toectl isn check: the key is needed "
				"(the engine's key registers are write-only)\n");
			toe_free(t);
			return EXIT_USAGE;
		}
		/* this run did not load the key: the window is the whole
		 * engine lifetime [0, now] */
		if ((r = toe_conn_info(t, (int)v, &ci)) < 0 ||
		    (r = toe_engine_cycles(t, &now)) < 0 ||
		    (r = toe_reg_read(t, TOE_REG_TICK_HZ, &hz)) < 0)
			return failed(t, "isn", r);
		if (ci.state == TOE_ST_CLOSED || hz < 250000) {
			fprintf(stderr, "toectl isn check: connection %lu is "
				"CLOSED\n", v);
			toe_free(t);
			return EXIT_FAILURE;
		}
		toe_isn_verify(key, ci.local_ip, ci.local_port, ci.remote_ip,
			       ci.remote_port, ci.iss, 0,
			       (uint32_t)(now / (hz / 250000)), &chk);
		printf("ISS 0x%08" PRIx32 " = F 0x%08" PRIx32 " + M %" PRIu32
		       " (window 0..%" PRIu32 "): %s\n", chk.iss, chk.f, chk.m,
		       chk.m_hi, chk.ok ? "ok" : "MISMATCH");
		toe_free(t);
		return chk.ok ? EXIT_SUCCESS : EXIT_FAILURE;
	}
	toe_free(t);
	return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* decode                                                             */
/* ------------------------------------------------------------------ */

static void help_decode(FILE *out)
{
	fputs("usage: toectl decode [-s] [-r] FILE.pcap\n"
	      "\n"
	      "Print every frame of FILE.pcap (Ethernet link type; '-' reads\n"
	      "standard input) the way Network Monitor shows them in the seed\n"
	      "article, KB 172983: a summary line, a short IP decode, the TCP\n"
	      "header field by field with one line per control bit, and a hex\n"
	      "dump. A frame the engine would drop (bad checksum, not IPv4/TCP,\n"
	      "truncated...) is one line, \"dropped: <reason>\".\n"
	      "\n"
	      "The summary's \"len:\" is the TCP payload length: Network Monitor\n"
	      "counted a SYN's MSS option as \"len: 4\", this prints 0.\n"
	      "\n"
	      "  -s, --summary    summary lines only\n"
	      "  -r, --relative   times relative to the first frame (one\n"
	      "                   stamped before it shows 0.0)\n"
	      "  -h, --help       this help\n", out);
}

static int cmd_decode(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "summary", no_argument, NULL, 's' },
		{ "relative", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned flags = 0;
	bool relative = false;
	const char *path;
	struct toe_pcap *p;
	char err[256];
	const uint8_t *data;
	size_t len;
	uint64_t ts, t0 = 0;
	unsigned n = 0;
	int c, rc;

	optind = 0; /* glibc: restart option parsing on this argv */
	while ((c = getopt_long(argc, argv, "+srh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			flags |= TOE_DECODE_SUMMARY;
			break;
		case 'r':
			relative = true;
			break;
		case 'h':
			help_decode(stdout);
			return 0;
		default:
			help_decode(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "toectl decode: %s\n", argc - optind < 1 ?
			"missing FILE.pcap" : "one file at a time");
		help_decode(stderr);
		return EXIT_USAGE;
	}
	path = argv[optind];

	p = toe_pcap_open_read(path, err, sizeof(err));
	if (!p) {
		fprintf(stderr, "toectl decode: %s\n", err);
		return EXIT_FAILURE;
	}
	while ((rc = toe_pcap_next(p, &data, &len, &ts, err, sizeof(err))) == 1) {
		if (n == 0)
			t0 = ts;
		if (relative) /* a capture may go back in time: clamp at 0 */
			ts = ts > t0 ? ts - t0 : 0;
		toe_decode_frame(stdout, ++n, ts, data, len, flags);
	}
	toe_pcap_close(p);
	if (rc < 0) {
		fprintf(stderr, "toectl decode: %s: frame %u: %s\n", path,
			n + 1, err);
		return EXIT_FAILURE;
	}
	if (fflush(stdout) != 0) {
		perror("toectl decode: stdout");
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	const struct toectl_cmd *cmd;

	/* global options, before the command */
	while (argc >= 2 && (strcmp(argv[1], "-d") == 0 ||
			     strncmp(argv[1], "--device=", 9) == 0 ||
			     strcmp(argv[1], "--device") == 0)) {
		const char *opt = argv[1];

		if (strncmp(argv[1], "--device=", 9) == 0) {
			opt = "--device";
			g_uri = argv[1] + 9;
			argv++;
			argc--;
		} else if (argc < 3) {
			fprintf(stderr, "toectl: %s needs a URI\n", argv[1]);
			return EXIT_USAGE;
		} else {
			g_uri = argv[2];
			argv += 2;
			argc -= 2;
		}
		/* an empty URI is a mistake (an unset variable in a script),
		 * not a request for the default engine */
		if (!*g_uri) {
			fprintf(stderr, "toectl: bad %s '': an empty URI; want "
				"sim:[?opts], tcp://HOST:PORT or ftdi://...\n",
				opt);
			return EXIT_USAGE;
		}
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2) {
			cmd = find_command(argv[2]);
			if (!cmd) {
				fprintf(stderr, "toectl: unknown command '%s'\n",
					argv[2]);
				return EXIT_USAGE;
			}
			cmd->help(stdout);
			return 0;
		}
		usage(stdout);
		return 0;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "toectl: unknown command '%s' (try "
			"'toectl --help')\n", argv[1]);
		return EXIT_USAGE;
	}
	return cmd->run(argc - 1, argv + 1);
}
