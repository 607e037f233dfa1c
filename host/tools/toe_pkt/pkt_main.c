/* SPDX-License-Identifier: MIT */
/*
 * pkt_main.c - toe-pkt's command line: parse options, run each script
 * against the chosen back end (the Verilator engine by default, the
 * reference stack with --model), one PASS/FAIL line per script, exit 0
 * only when every script passed.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pkt.h"

/* One script: parse and run it, output on stdout. 0 pass, 1 fail. */
static int run_one(const char *path, const struct pkt_settings *set,
		   const struct pkt_run_opts *ro)
{
	struct pkt_script sc;
	char err[1024];
	int rc;

	if (pkt_parse_file(path, set, &sc, err, sizeof(err))) {
		printf("FAIL %s (%s)\n  %s\n", path, pkt_kind_name(ro->kind), err);
		return 1;
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
		} else {
			fputs(buf, stdout);
		}
		free(buf);
	}
	pkt_script_free(&sc);
	return rc ? 1 : 0;
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
			if (j->rc == 0) {
				(*pass)++;
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
	      "(--model), on simulated\ntime. One line per script; exit 0 only "
	      "when all pass, 1 if any failed,\n2 on a usage error.\n"
	      "\n"
	      "  --model              run against the reference stack\n"
	      "  --engine             run against the engine (default)\n"
	      "  -v, --verbose        print every event as it runs\n"
	      "  -j N                 run N scripts at a time (own processes)\n"
	      "  --pcap=FILE          engine: write both directions of the "
	      "last script to FILE\n"
	      "  --no-skip            engine: step every idle cycle (slow; "
	      "the same results)\n"
	      "  --tolerance_usecs=N  timing tolerance (default 4000)\n"
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
			if (run_one(argv[i], &set, &ro))
				failed++;
			else
				pass++;
			fflush(stdout);
		}
	}
	printf("toe-pkt (%s): %d scripts, %d passed, %d failed\n",
	       pkt_kind_name(ro.kind), pass + failed, pass, failed);
	if (pass + failed != nfiles) {
		fprintf(stderr, "toe-pkt: %d of %d scripts ran\n", pass + failed, nfiles);
		return 2;
	}
	return failed ? 1 : 0;
}
