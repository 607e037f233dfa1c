/* SPDX-License-Identifier: MIT */
/*
 * pkt_main.c - toe-pkt's command line: parse options, run each script
 * against the chosen back end (the Verilator engine by default, the
 * reference stack with --model), one PASS/FAIL line per script, exit 0
 * only when every script passed.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pkt.h"

/* What run_one found: the exit status of a -j child too. */
enum {
	R_PASS = 0,  /* passed (linux: agrees with the script) */
	R_FAIL = 1,
	R_DIFF = 3,  /* linux: differs, exactly as the script's annotation says */
	R_SKIP = 4,  /* linux: the script says Linux cannot run it */
};

/*
 * The script's Linux annotation (docs/pkt.md, "Linux as the third stack"),
 * one comment line at most:
 *   // linux: skip: REASON
 *   // linux: differs LINE "TEXT" ["MORE" ...]: REASON
 * (LINE a number, or "end"). differs: on Linux the script must fail,
 * first at LINE (end: after the last line), with TEXT in the failure
 * message and each MORE (up to two) somewhere in the failure's report
 * (e.g. the segment Linux sent).
 */
struct lx_annot {
	int kind;        /* 0 none, R_SKIP, R_DIFF */
	int line;        /* differs: the script line; 0 = end */
	int at;          /* the annotation's own line */
	char text[3][160]; /* the first in the failure's first line, the
			    * others anywhere in its report */
	int ntext;
	char reason[256];
};

static int lx_annot_read(const char *path, struct lx_annot *a, char *err,
			 size_t errlen)
{
	FILE *f = fopen(path, "r");
	char l[1024];
	int ln = 0;

	memset(a, 0, sizeof(*a));
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(l, sizeof(l), f)) {
		char *p = l, *q;

		if (ln++ > 1000000)
			break; /* the parser has read this file whole */
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "// linux:", 9))
			continue;
		p += 9;
		p[strcspn(p, "\r\n")] = 0;
		while (*p == ' ')
			p++;
		if (a->kind) {
			snprintf(err, errlen, "%s:%d: a second Linux annotation "
				 "(the first is line %d)", path, ln, a->at);
			goto bad;
		}
		a->at = ln;
		if (!strncmp(p, "skip:", 5)) {
			p += 5;
			while (*p == ' ')
				p++;
			if (!*p)
				goto syntax;
			a->kind = R_SKIP;
			snprintf(a->reason, sizeof(a->reason), "%s", p);
			continue;
		}
		if (strncmp(p, "differs ", 8))
			goto syntax;
		p += 8;
		if (!strncmp(p, "end ", 4)) {
			a->line = 0;
			p += 4;
		} else {
			a->line = (int)strtol(p, &q, 10);
			if (q == p || a->line <= 0 || *q != ' ')
				goto syntax;
			p = q + 1;
		}
		while (*p == ' ')
			p++;
		a->ntext = 0;
		while (*p == '"') {
			p++;
			if (a->ntext == 3 || !(q = strchr(p, '"')) || q == p ||
			    (size_t)(q - p) >= sizeof(a->text[0]))
				goto syntax;
			memcpy(a->text[a->ntext], p, (size_t)(q - p));
			a->text[a->ntext++][q - p] = 0;
			p = q + 1;
			while (*p == ' ')
				p++;
		}
		if (!a->ntext || *p++ != ':')
			goto syntax;
		while (*p == ' ')
			p++;
		if (!*p)
			goto syntax;
		snprintf(a->reason, sizeof(a->reason), "%s", p);
		a->kind = R_DIFF;
	}
	fclose(f);
	return 0;
syntax:
	snprintf(err, errlen, "%s:%d: bad Linux annotation: want '// linux: "
		 "skip: REASON' or '// linux: differs LINE \"TEXT\" "
		 "[\"MORE\" ...]: REASON' (LINE a number or 'end', at most "
		 "3 texts)", path, ln);
bad:
	fclose(f);
	return -1;
}

/* "line 12" or "the end" */
static const char *lx_where(const struct lx_annot *a, char *b, size_t n)
{
	if (a->line)
		snprintf(b, n, "line %d", a->line);
	else
		snprintf(b, n, "the end");
	return b;
}

/* A linux run's output against the script's annotation: prints the
 * result, returns R_PASS, R_DIFF or R_FAIL. */
static int lx_judge(const char *path, const struct lx_annot *a, int rc,
		    const char *out)
{
	char want[64], where[24], *nl;
	const char *d;
	size_t wl;

	if (a->kind != R_DIFF) {
		fputs(out, stdout);
		return rc ? R_FAIL : R_PASS;
	}
	if (rc == 0) {
		printf("FAIL %s (linux)\n  %s:%d: the annotation no longer "
		       "holds: Linux passed the script, it was said to differ "
		       "at %s (\"%s\")\n", path, path, a->at,
		       lx_where(a, where, sizeof(where)), a->text[0]);
		nl = strchr(out, '\n');
		fputs(nl ? nl + 1 : "", stdout);
		return R_FAIL;
	}
	/* the first failure line: "  PATH:LINE: message" or "  PATH: ..." */
	nl = strchr(out, '\n');
	d = nl ? nl + 1 : out;
	if (a->line)
		snprintf(want, sizeof(want), ":%d: ", a->line);
	else
		snprintf(want, sizeof(want), ": ");
	wl = strlen(path);
	{
		const char *eol = strchr(d, '\n');
		size_t n = eol ? (size_t)(eol - d) : strlen(d);
		char first[1024];

		if (n >= sizeof(first))
			n = sizeof(first) - 1;
		memcpy(first, d, n);
		first[n] = 0;
		bool ok = !strncmp(first, "  ", 2) &&
			  !strncmp(first + 2, path, wl) &&
			  !strncmp(first + 2 + wl, want, strlen(want)) &&
			  strstr(first + 2 + wl + strlen(want), a->text[0]);

		for (int i = 1; i < a->ntext && ok; i++)
			ok = strstr(d, a->text[i]) != NULL;
		if (ok) {
			printf("DIFF %s (linux): differs as annotated (line %d): "
			       "%s\n", path, a->at, a->reason);
			fputs(d, stdout);
			return R_DIFF;
		}
	}
	printf("FAIL %s (linux)\n  %s:%d: Linux differs, but not as "
	       "annotated (at %s, \"%s\"); what happened:\n", path, path,
	       a->at, lx_where(a, where, sizeof(where)), a->text[0]);
	for (int i = 1; i < a->ntext; i++)
		printf("    (and \"%s\" in the report)\n", a->text[i]);
	fputs(d, stdout);
	return R_FAIL;
}

/* One script: parse and run it, output on stdout: R_*. */
static int run_one(const char *path, const struct pkt_settings *set,
		   const struct pkt_run_opts *ro)
{
	struct pkt_script sc;
	struct lx_annot an;
	char err[1024];
	int rc;

	if (pkt_parse_file(path, set, &sc, err, sizeof(err))) {
		printf("FAIL %s (%s)\n  %s\n", path, pkt_kind_name(ro->kind), err);
		return R_FAIL;
	}
	/* the file is a script (read whole, no NUL, not too long) */
	if (lx_annot_read(path, &an, err, sizeof(err))) {
		printf("FAIL %s (%s)\n  %s\n", path, pkt_kind_name(ro->kind), err);
		pkt_script_free(&sc);
		return R_FAIL;
	}
	if (ro->kind == TOE_EUT_LINUX && an.kind == R_SKIP) {
		printf("SKIP %s (linux): %s\n", path, an.reason);
		pkt_script_free(&sc);
		return R_SKIP;
	}
	/* a failure on a run that skipped idle time: run it again stepping
	 * every cycle, for exact times in the report */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		struct pkt_run_opts o1 = *ro;

		if (!m) {
			perror("toe-pkt");
			exit(2);
		}
		o1.out = m;
		rc = pkt_run(&sc, &o1);
		fclose(m);
		if (rc == 2) {
			pkt_script_free(&sc);
			sc.set.be.no_skip = true;
			if (pkt_parse_file(path, set, &sc, err, sizeof(err)) == 0) {
				sc.set.be.no_skip = true;
				rc = pkt_run(&sc, ro);
				printf("  note: the first run skipped idle time and "
				       "failed; above: the run stepping every cycle%s\n",
				       rc ? "" : " PASSED (a skipping artifact: "
				       "counted as a failure)");
				rc = 1;
			}
		} else if (ro->kind == TOE_EUT_LINUX) {
			rc = lx_judge(path, &an, rc, buf);
			free(buf);
			pkt_script_free(&sc);
			return rc;
		} else {
			fputs(buf, stdout);
		}
		free(buf);
	}
	pkt_script_free(&sc);
	return rc ? R_FAIL : R_PASS;
}

/* linux: agree / differ as annotated / skipped, from run_one's results */
static int n_diff, n_skip;

static void count(int rc, int *pass, int *failed)
{
	if (rc == R_PASS || rc == R_DIFF || rc == R_SKIP)
		(*pass)++;
	else
		(*failed)++;
	if (rc == R_DIFF)
		n_diff++;
	if (rc == R_SKIP)
		n_skip++;
}

/* -j N: scripts in child processes, N at a time; their output is printed
 * whole and in the order of the command line. */
struct job {
	const char *path;
	pid_t pid;
	int fd;
	char *out;
	size_t len, cap;
	int rc;
	int state; /* 0 waiting, 1 running, 2 done */
};

static void job_read(struct job *j)
{
	char b[4096];
	ssize_t n = read(j->fd, b, sizeof(b));
	int st;

	if (n < 0 && errno == EINTR)
		return;
	if (n > 0) {
		if (j->len + (size_t)n > j->cap) {
			size_t cap = j->cap ? j->cap * 2 : 8192;

			while (cap < j->len + (size_t)n)
				cap *= 2;
			j->out = realloc(j->out, cap);
			if (!j->out) {
				perror("toe-pkt");
				exit(2);
			}
			j->cap = cap;
		}
		memcpy(j->out + j->len, b, (size_t)n);
		j->len += (size_t)n;
		return;
	}
	close(j->fd);
	waitpid(j->pid, &st, 0);
	j->rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	j->state = 2;
}

static int run_parallel(struct job *jobs, int n, int par,
			const struct pkt_settings *set,
			const struct pkt_run_opts *ro, int *pass)
{
	int next = 0, shown = 0, running = 0, failed = 0;

	while (shown < n) {
		struct pollfd pf[64];
		int map[64], np = 0;

		while (running < par && next < n) {
			struct job *j = &jobs[next++];
			int p[2];

			if (pipe(p)) {
				perror("toe-pkt: pipe");
				exit(2);
			}
			fflush(stdout);
			j->pid = fork();
			if (j->pid < 0) {
				perror("toe-pkt: fork");
				exit(2);
			}
			if (j->pid == 0) {
				close(p[0]);
				dup2(p[1], STDOUT_FILENO);
				close(p[1]);
				int rc = run_one(j->path, set, ro);

				fflush(stdout);
				_exit(rc);
			}
			close(p[1]);
			j->fd = p[0];
			j->state = 1;
			running++;
		}
		for (int i = 0; i < next && np < 64; i++)
			if (jobs[i].state == 1) {
				pf[np].fd = jobs[i].fd;
				pf[np].events = POLLIN;
				map[np++] = i;
			}
		if (np && poll(pf, (nfds_t)np, -1) < 0 && errno != EINTR) {
			perror("toe-pkt: poll");
			exit(2);
		}
		for (int k = 0; k < np; k++)
			if (pf[k].revents) {
				job_read(&jobs[map[k]]);
				if (jobs[map[k]].state == 2)
					running--;
			}
		while (shown < n && jobs[shown].state == 2) {
			struct job *j = &jobs[shown++];

			fwrite(j->out, 1, j->len, stdout);
			if (j->rc == R_PASS || j->rc == R_DIFF ||
			    j->rc == R_SKIP) {
				count(j->rc, pass, &failed);
			} else {
				if (j->len == 0 || !strstr(j->out, "FAIL "))
					printf("FAIL %s (%s)\n  the run crashed "
					       "(status %d)\n", j->path,
					       pkt_kind_name(ro->kind), j->rc);
				failed++;
			}
			free(j->out);
			fflush(stdout);
		}
	}
	return failed;
}

static void usage(FILE *f)
{
	fputs("usage: toe-pkt [--model | --engine] [-v] [--OPTION=VALUE ...] "
	      "SCRIPT.pkt ...\n"
	      "\n"
	      "Runs packetdrill-style scripts against the engine (Verilator "
	      "model of\nrtl/toe_top.v, the default) or the reference stack "
	      "(--model), on simulated\ntime, or the Linux kernel (--linux) in "
	      "real time. One line per script;\nexit 0 only when all pass (on "
	      "Linux: agree, or differ / skip as the\nscript's annotation "
	      "says), 1 if any failed, 2 on a usage error.\n"
	      "\n"
	      "  --model              run against the reference stack\n"
	      "  --engine             run against the engine (default)\n"
	      "  --linux              run against the Linux kernel, in a "
	      "network namespace\n"
	      "                       with a TAP link, in real time (root, "
	      "/dev/net/tun)\n"
	      "  -v, --verbose        print every event as it runs\n"
	      "  -j N                 run N scripts at a time (own processes)\n"
	      "  --pcap=FILE          engine: write both directions of the "
	      "last script to FILE\n"
	      "  --no-skip            engine: step every idle cycle (slow; "
	      "the same results)\n"
	      "  --tolerance_usecs=N  timing tolerance (default 4000); engine, model: only\n"
	      "                       how late a blocking call may return and how long\n"
	      "                       to watch after the last line (docs/pkt.md)\n"
	      "  --local_ip=A --remote_ip=A --bind_port=N --remote_port=N\n"
	      "  --connect_port=N --ephemeral_port=N --default_win=N --mtu=N\n"
	      "  --tick_hz=N          engine clock in ticks per second "
	      "(multiple of 250000)\n"
	      "  --isn_key=HEX32 --seed=N\n"
	      "Script options (--name=value lines) override these. See "
	      "docs/pkt.md.\n",
	      f);
}

int main(int argc, char **argv)
{
	struct pkt_settings set;
	struct pkt_run_opts ro = { .kind = TOE_EUT_RTL, .out = stdout };
	const char *pcap = NULL;
	int nfiles = 0, pass = 0, failed = 0, par = 1;
	char err[1024];

	pkt_settings_default(&set);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--model")) {
			ro.kind = TOE_EUT_REF;
		} else if (!strcmp(a, "--linux")) {
			ro.kind = TOE_EUT_LINUX;
		} else if (!strcmp(a, "--engine")) {
			ro.kind = TOE_EUT_RTL;
			if (!toe_eut_have_rtl()) {
				fprintf(stderr, "toe-pkt: built without the engine "
					"(no libtoesim): use --model\n");
				return 2;
			}
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			ro.verbose = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-j") && i + 1 < argc) {
			par = atoi(argv[++i]);
			if (par < 1 || par > 64) {
				fprintf(stderr, "toe-pkt: -j takes 1..64\n");
				return 2;
			}
		} else if (!strncmp(a, "--pcap=", 7)) {
			pcap = a + 7;
		} else if (!strcmp(a, "--no-skip")) {
			set.be.no_skip = true;
		} else if (!strncmp(a, "--", 2)) {
			if (pkt_settings_option(&set, a, err, sizeof(err))) {
				fprintf(stderr, "toe-pkt: %s\n", err);
				usage(stderr);
				return 2;
			}
		} else if (!strcmp(a, "-j")) {
			fprintf(stderr, "toe-pkt: -j needs a number (1..64)\n");
			return 2;
		} else if (a[0] == '-') {
			fprintf(stderr, "toe-pkt: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		} else {
			nfiles++;
		}
	}
	if (nfiles == 0) {
		usage(stderr);
		return 2;
	}
	if (ro.kind == TOE_EUT_RTL && !toe_eut_have_rtl()) {
		fprintf(stderr, "toe-pkt: built without the engine (no libtoesim): "
			"use --model\n");
		return 2;
	}
	set.be.pcap_path = pcap;
	if (par > 1 && nfiles > 1) {
		struct job *jobs = calloc((size_t)nfiles, sizeof(*jobs));
		int n = 0;

		if (!jobs) {
			perror("toe-pkt");
			return 2;
		}
		for (int i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "-j")) {
				i++;
				continue;
			}
			if (argv[i][0] != '-')
				jobs[n++].path = argv[i];
		}
		failed = run_parallel(jobs, n, par, &set, &ro, &pass);
		free(jobs);
	} else {
		for (int i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "-j")) {
				i++;
				continue;
			}
			if (argv[i][0] == '-')
				continue;
			count(run_one(argv[i], &set, &ro), &pass, &failed);
			fflush(stdout);
		}
	}
	if (ro.kind == TOE_EUT_LINUX)
		printf("toe-pkt (linux): %d scripts: %d agree, %d differ as "
		       "annotated, %d skipped as annotated, %d failed\n",
		       pass + failed, pass - n_diff - n_skip, n_diff, n_skip,
		       failed);
	else
		printf("toe-pkt (%s): %d scripts, %d passed, %d failed\n",
		       pkt_kind_name(ro.kind), pass + failed, pass, failed);
	if (pass + failed != nfiles) {
		fprintf(stderr, "toe-pkt: %d of %d scripts ran\n", pass + failed, nfiles);
		return 2;
	}
	return failed ? 1 : 0;
}
