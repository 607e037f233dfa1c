/* SPDX-License-Identifier: MIT */
/*
 * toectl.c - the command-line tool: `toectl COMMAND [ARGS]`.
 *
 * Commands live in one table (name, argument synopsis, one-line summary,
 * handler, help); adding a command is adding a row and its two functions.
 * Today there is one:
 *
 *   toectl decode [-s] [-r] FILE.pcap
 *       print every frame of a pcap file the way the seed article
 *       (KB 172983, Network Monitor) shows them.
 *
 * Exit status, for every command: 0 success, 1 the command failed (file
 * missing or unreadable...), 2 usage error (unknown command or option,
 * missing argument).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const struct toectl_cmd commands[] = {
	{ "decode", "[-s] [-r] FILE.pcap",
	  "print a pcap file's frames as the seed article (KB 172983) shows "
	  "them", cmd_decode, help_decode },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fputs("usage: toectl COMMAND [ARGS]\n"
	      "       toectl COMMAND --help\n"
	      "\n"
	      "Commands:\n", out);
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
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
	      "  -r, --relative   times relative to the first frame\n"
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
