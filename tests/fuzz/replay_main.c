/* SPDX-License-Identifier: MIT */
/*
 * replay_main.c - a main() for a fuzz harness without libFuzzer: runs
 * inputs through LLVMFuzzerTestOneInput once each, so the committed
 * corpus and regression inputs are a fast test under the project's own
 * compiler and flags (make test: $(BUILD)/tests/test_fuzz_<name>).
 *
 *   test_fuzz_<name>                 tests/fuzz/corpus/<name>/ and, if it
 *                                    exists, tests/fuzz/regress/<name>/
 *   test_fuzz_<name> FILE|DIR ...    those (a crash reproducer, say)
 *
 * Files are read into a buffer of their exact size (as libFuzzer does), so
 * a sanitizer build sees a read past the end. A directory's files run in
 * name order; names starting with '.' are skipped. A failed oracle aborts
 * (the name of the input is printed first); no input at all is a failure.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#ifndef FUZZ_NAME
#error "FUZZ_NAME: the harness's name (\"wire\"...), from the makefile"
#endif

/* The sanitizers' exit hook (when linked with them): the input's name. */
extern void __sanitizer_set_death_callback(void (*cb)(void))
	__attribute__((weak));

static const char *current;
static unsigned ran;

static void say_current(void)
{
	if (current) {
		static const char a[] = "replay " FUZZ_NAME ": failed on ";

		(void)!write(2, a, sizeof(a) - 1);
		(void)!write(2, current, strlen(current));
		(void)!write(2, "\n", 1);
	}
}

static void on_signal(int sig)
{
	say_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f) {
		fprintf(stderr, "replay %s: %s: %s\n", FUZZ_NAME, path,
			strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "replay %s: %s: cannot size it\n", FUZZ_NAME,
			path);
		fclose(f);
		return -1;
	}
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "replay %s: %s: cannot read it\n", FUZZ_NAME,
			path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	current = path;
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	current = NULL;
	free(buf);
	ran++;
	return 0;
}

static int skip_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Every file in dir, in name order; a missing directory is an error
 * unless optional. */
static int run_dir(const char *dir, int optional)
{
	struct dirent **names;
	int n = scandir(dir, &names, skip_dot, alphasort), rc = 0;

	if (n < 0) {
		if (optional && errno == ENOENT)
			return 0;
		fprintf(stderr, "replay %s: %s: %s\n", FUZZ_NAME, dir,
			strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    run_file(path) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

static int run_arg(const char *path, int optional)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return run_dir(path, optional);
	if (optional && errno == ENOENT)
		return 0;
	return run_file(path);
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(say_current);
	signal(SIGABRT, on_signal);
	signal(SIGSEGV, on_signal);
	signal(SIGBUS, on_signal);
	signal(SIGFPE, on_signal);
	signal(SIGILL, on_signal);
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (run_arg(argv[i], 0) < 0)
				rc = 1;
	} else {
		if (run_arg("tests/fuzz/corpus/" FUZZ_NAME, 0) < 0 ||
		    run_arg("tests/fuzz/regress/" FUZZ_NAME, 1) < 0)
			rc = 1;
	}
	if (ran == 0) {
		fprintf(stderr, "replay %s: no inputs\n", FUZZ_NAME);
		rc = 1;
	}
	printf("replay %s: %u inputs, %s\n", FUZZ_NAME, ran,
	       rc ? "FAILED" : "all passed");
	return rc;
}
