/* SPDX-License-Identifier: MIT */
/*
 * fuzz_pkt.c - toe-pkt's script parser (host/tools/toe_pkt/pkt_parse.c,
 * docs/pkt.md): the input is a script's text (cut at a NUL byte, which
 * pkt_parse_file refuses anyway), parsed with the default settings by
 * pkt_parse_string. Nothing is run: backquoted commands are parsed, never
 * executed.
 *
 * Oracles: a refused script has a "fuzz.pkt:LINE: message" error and no
 * events left allocated; an accepted one has at least one event, and each
 * event is within the limits the runner relies on: a line inside the
 * script, a time kind it knows and times within PKT_MAX_SCRIPT_US, at most
 * 40 option bytes with SACK edges inside them, a sequence range holding
 * the payload length (at most 9000), at most PKT_MAX_ARGS non-empty call
 * arguments, at most PKT_MAX_ASSERTS assertions, a command's text.
 */
#include "fuzz.h"

#include <string.h>

#include "pkt.h"

static void check_time(const struct pkt_time *t)
{
	FUZZ_CHECK(t->kind >= PKT_T_NONE && t->kind <= PKT_T_ANY);
	FUZZ_CHECK(t->us >= 0 && t->us <= PKT_MAX_SCRIPT_US);
	FUZZ_CHECK(!t->range || (t->us2 >= 0 && t->us2 <= PKT_MAX_SCRIPT_US));
	FUZZ_CHECK(!t->blocking || (t->end_us >= 0 && t->end_us <= PKT_MAX_SCRIPT_US));
	FUZZ_CHECK(!(t->range && t->blocking));
}

static void check_event(const struct pkt_event *e, int lines)
{
	FUZZ_CHECK(e->line >= 1 && e->line <= lines);
	FUZZ_CHECK(e->text != NULL);
	check_time(&e->t);
	switch (e->kind) {
	case PKT_EV_IN:
	case PKT_EV_OUT: {
		const struct pkt_seg_spec *s = &e->u.seg;

		FUZZ_CHECK(s->port >= 0 && s->port <= 65535);
		FUZZ_CHECK(s->opt_len <= 40);
		FUZZ_CHECK(s->n_sack_edge <= 8 && s->n_sack_edge % 2 == 0);
		for (int i = 0; i < s->n_sack_edge; i++)
			FUZZ_CHECK(s->sack_edge[i] + 4u <= s->opt_len);
		FUZZ_CHECK(s->len <= 9000 && s->end - s->start == s->len);
		FUZZ_CHECK(!s->has_win || s->win <= 65535);
		FUZZ_CHECK(!s->opt_any || e->kind == PKT_EV_OUT);
		FUZZ_CHECK(e->kind == PKT_EV_IN || (!s->bad_tcp_csum && !s->bad_ip_csum));
		FUZZ_CHECK(e->t.kind != PKT_T_NONE && !e->t.blocking);
		break;
	}
	case PKT_EV_CALL: {
		const struct pkt_call *k = &e->u.call;

		FUZZ_CHECK(k->name[0] && k->nargs >= 1 && k->nargs <= PKT_MAX_ARGS);
		for (int i = 0; i < k->nargs; i++)
			FUZZ_CHECK(k->args[i] && k->args[i][0]);
		FUZZ_CHECK(!k->err[0] || k->ret == -1);
		FUZZ_CHECK(e->t.kind != PKT_T_NONE && e->t.kind != PKT_T_ANY);
		break;
	}
	case PKT_EV_CODE:
		FUZZ_CHECK(e->u.code.n >= 0 && e->u.code.n <= PKT_MAX_ASSERTS);
		for (int i = 0; i < e->u.code.n; i++)
			FUZZ_CHECK(e->u.code.a[i].lhs[0] && e->u.code.a[i].rhs[0] &&
				   e->u.code.a[i].op[0]);
		break;
	case PKT_EV_SHELL:
		FUZZ_CHECK(e->shell != NULL);
		break;
	default:
		FUZZ_CHECK(!"unknown event kind");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char path[] = "fuzz.pkt";
	struct pkt_settings set;
	struct pkt_script sc;
	char err[512];
	char *text = fuzz_str(data, size);
	int lines = 1, rc;

	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	pkt_settings_default(&set);
	err[0] = 0;
	rc = pkt_parse_string(path, text, &set, &sc, err, sizeof(err));
	if (rc == 0) {
		FUZZ_CHECK(sc.nev >= 1 && sc.nev <= sc.cap && sc.ev);
		FUZZ_CHECK(sc.path == path);
		for (int i = 0; i < sc.nev; i++)
			check_event(&sc.ev[i], lines);
		pkt_script_free(&sc);
	} else {
		FUZZ_CHECK(rc == -1);
		FUZZ_CHECK(strncmp(err, "fuzz.pkt:", 9) == 0 && strlen(err) > 11);
		FUZZ_CHECK(sc.nev == 0 && sc.ev == NULL);
	}
	free(text);
	return 0;
}
