/* SPDX-License-Identifier: MIT */
/* listen.c - the README example: open an engine, configure it, listen on
 * port 80, print events until none came for MS milliseconds (engine time:
 * simulated with sim:). Build: cc listen.c $(pkg-config --cflags --libs
 * toe-sim) (or toe: no simulated engine); run: ./listen [URI [MS]]. */
#include <stdio.h>
#include <stdlib.h>
#include <toe/toe.h>

int main(int argc, char **argv)
{
	struct toe *t = toe_new();
	struct toe_config cfg;
	struct toe_event ev;
	char err[128];

	if (toe_open(t, argc > 1 ? argv[1] : "sim:") < 0) {
		fprintf(stderr, "open: %s\n", toe_errmsg(t));
		return 1;
	}
	toe_config_get(t, &cfg);
	toe_config_parse(&cfg, "ip=10.0.0.1", err, sizeof(err));
	toe_config_parse(&cfg, "mac=02:00:00:00:00:01", err, sizeof(err));
	if (toe_config_set(t, &cfg) < 0 || toe_isn_random_key(t) < 0 ||
	    toe_enable(t, true) < 0 || toe_listen(t, 80) < 0) {
		fprintf(stderr, "setup: %s\n", toe_errmsg(t));
		return 1;
	}
	printf("listening on 10.0.0.1:80\n");
	while (toe_event_poll(t, &ev, argc > 2 ? atoi(argv[2]) : 1) > 0)
		printf("connection %d: %s\n", ev.conn, toe_event_name(ev.type));
	toe_free(t);
	return 0;
}
