/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_net.h - the Linux side of the interop bridge: a network
 * namespace the tool creates (and removes) itself, with one link in it
 * whose far end is the simulated engine's MAC.
 *
 *   root namespace (untouched)          namespace "toe-sim-<pid>"
 *   +-------------------------+         +-------------------------------+
 *   | toe-simd / test runner  |  fd     | toe0 (TAP) 192.0.2.1/24       |
 *   |   engine model  <-------+---------+-> Linux TCP/IP stack, lo up   |
 *   |   tcp://127.0.0.1:PORT  |         | IPv6 off, no static ARP       |
 *   +-------------------------+         +-------------------------------+
 *
 * The process itself stays in the namespace it started in (so a host
 * bridge server on 127.0.0.1 is reachable by toectl from outside); it
 * enters the new namespace only to create and configure the link, and
 * Linux peer programs are started inside it (simd_net_spawn).
 *
 * Link: a TAP device (IFF_TAP | IFF_NO_PI) whose file descriptor carries
 * whole Ethernet frames without FCS, which is exactly what the engine's MAC
 * streams carry. Fallback when /dev/net/tun is missing: a veth pair inside
 * the namespace, the Linux end configured like the TAP, the other end read
 * and written with an AF_PACKET socket (checksum offload, TSO and GSO are
 * switched off on the Linux end so frames arrive complete and <= MTU).
 *
 * The namespace is named (a bind mount at /run/netns/<name>, like `ip netns
 * add`), so `ip netns exec <name> ...` works from a shell while the tool
 * runs. It is removed by simd_net_close(), by simd_net_emergency_cleanup()
 * (async-signal-safe, for signal handlers), and a stale one left by a
 * killed process (name carries the pid) is removed by the next
 * simd_net_open().
 */
#ifndef TOE_SIMD_NET_H
#define TOE_SIMD_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The project's test addresses (RFC 5737 TEST-NET-1, documentation only). */
#define SIMD_LINUX_IP 0xC0000201u  /* 192.0.2.1, Linux's end of the link */
#define SIMD_ENGINE_IP 0xC0000202u /* 192.0.2.2, the engine */
#define SIMD_PREFIX_LEN 24
/* The engine's MAC: locally administered, unicast, ends in its IP. */
#define SIMD_ENGINE_MAC { 0x02, 0x00, 0xC0, 0x00, 0x02, 0x02 }
#define SIMD_NS_PREFIX "toe-sim-"
/* A namespace name (--netns) is a plain file name in /run/netns: 1 to
 * SIMD_NS_NAME_MAX characters of [A-Za-z0-9_.-], not "." or "..", not
 * starting with '-' (`ip netns exec NAME` would take it for an option).
 * Nothing else: no '/', so it cannot reach outside /run/netns. */
#define SIMD_NS_NAME_MAX 63
#define SIMD_NS_NAME_WANT "1..63 characters of [A-Za-z0-9_.-], not '.' " \
	"or '..', not starting with '-'"
#define SIMD_IFNAME "toe0"
#define SIMD_MAX_CHILDREN 32

enum simd_link {
	SIMD_LINK_AUTO = 0, /* TAP, else veth + AF_PACKET */
	SIMD_LINK_TAP = 1,
	SIMD_LINK_VETH = 2,
};

struct simd_net_opts {
	enum simd_link link;
	const char *ns_name; /* NULL: "toe-sim-<pid>" */
	uint32_t linux_ip, engine_ip; /* 0: the defaults above */
	unsigned mtu;                 /* 0: 1500 */
};

struct simd_net {
	char ns_name[SIMD_NS_NAME_MAX + 1];
	char ns_path[128];  /* /run/netns/<name>; "" if not named */
	int ns_fd;          /* the new namespace */
	int orig_fd;        /* the namespace we came from */
	enum simd_link link; /* what was created */
	char ifname[16];    /* Linux's interface in the namespace */
	int fd;             /* frames: TAP fd or AF_PACKET socket, O_NONBLOCK */
	uint8_t linux_mac[6]; /* learnt from the interface */
	uint32_t linux_ip, engine_ip;
	unsigned mtu;
	pid_t children[SIMD_MAX_CHILDREN];
};

/* Whether name is a namespace name simd_net_open accepts (see
 * SIMD_NS_NAME_MAX). */
bool simd_net_ns_name_ok(const char *name);

/*
 * Create the namespace, the link and the addresses. 0, or -1 with a
 * message in err saying what is missing (no CAP_NET_ADMIN, no
 * /dev/net/tun, ...). On failure nothing is left behind.
 */
int simd_net_open(struct simd_net *n, const struct simd_net_opts *o,
		  char *err, size_t errlen);
/* Kill the children still running, close the link, remove the namespace. */
void simd_net_close(struct simd_net *n);
/* For signal handlers: the same for every open simd_net, with
 * async-signal-safe calls only. */
void simd_net_emergency_cleanup(void);
/* Install SIGINT/SIGTERM/SIGHUP/SIGQUIT handlers that clean up and exit
 * (status 128 + signal) unless *flag is given: then they only set it. */
void simd_net_install_signals(volatile int *flag);

/* Read one frame (non-blocking): its length, 0 if none, -1 on error.
 * Frames longer than cap are truncated (cap >= mtu + 14 avoids it). */
ssize_t simd_net_read(struct simd_net *n, uint8_t *buf, size_t cap);
/* Send one frame to Linux. 0 or -1. */
int simd_net_write(struct simd_net *n, const uint8_t *buf, size_t len);

/*
 * Start argv inside the namespace (fork, setns, execvp); the child gets
 * SIGKILL if we die. stdout_fd (may be NULL): a pipe to the child's stdout
 * is returned there (O_CLOEXEC, blocking). Returns the pid or -1.
 */
pid_t simd_net_spawn(struct simd_net *n, char *const argv[], int *stdout_fd);
/* Reap a child started by simd_net_spawn: 1 and *status if it ended, 0 if
 * still running (wait = false), -1 on error. */
int simd_net_reap(struct simd_net *n, pid_t pid, int *status, bool wait);
/* Run argv in the namespace to completion, capturing at most cap - 1 bytes
 * of its stdout (NUL-terminated). Returns the exit status (0..255), -1 if
 * it could not be run or was killed after timeout_ms. */
int simd_net_run(struct simd_net *n, char *const argv[], char *out,
		 size_t cap, int timeout_ms);

/* A socket(domain, type, protocol) inside the namespace (the process
 * enters it for the call only). The fd, or -1 with errno. */
int simd_net_socket(struct simd_net *n, int domain, int type, int protocol);
/* Write a sysctl of the namespace ("net.ipv4.tcp_syn_retries", "6"):
 * 0, or -1 with errno (ENOENT: no such sysctl here). */
int simd_net_sysctl(struct simd_net *n, const char *key, const char *val);
/* A permanent neighbour entry on the link (no ARP for ip): 0 or -1. */
int simd_net_add_neigh(struct simd_net *n, uint32_t ip, const uint8_t mac[6]);

/* Remove /run/netns/toe-sim-<pid> entries whose process is gone. */
void simd_net_sweep_stale(void);

/* "02:00:c0:00:02:02"; buf holds 18 bytes. */
char *simd_mac_str(const uint8_t mac[6], char buf[18]);

#endif
