/* SPDX-License-Identifier: MIT */
/*
 * toe_simd_net.c - network namespace, TAP (or veth + AF_PACKET) link and
 * Linux peer processes for the interop bridge (toe_simd_net.h).
 *
 * Everything is done with system calls (unshare, setns, mount, ioctl) so
 * the only outside program used is `ip`, and only for the veth fallback.
 */
#define _GNU_SOURCE
#include "toe_simd_net.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <net/if_arp.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NETNS_DIR "/run/netns"
#define VETH_PEER "toe0e" /* the engine's end of the veth pair */
#define MAX_OPEN 4

/* Open namespaces, for the emergency cleanup in signal handlers. */
static struct simd_net *volatile open_nets[MAX_OPEN];

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

_Static_assert(SIMD_NS_NAME_MAX == 63, "SIMD_NS_NAME_WANT says 1..63");

bool simd_net_ns_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > SIMD_NS_NAME_MAX || name[0] == '-' ||
	    !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789_.-") == n;
}

char *simd_mac_str(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* ---- interface configuration with ioctls (inside the namespace) ---- */

static int if_ioctl(int sock, unsigned long req, struct ifreq *ifr,
		    const char *ifname)
{
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", ifname);
	return ioctl(sock, req, ifr);
}

static int if_up(int sock, const char *ifname)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (if_ioctl(sock, SIOCGIFFLAGS, &ifr, ifname) < 0)
		return -1;
	ifr.ifr_flags |= IFF_UP;
	return if_ioctl(sock, SIOCSIFFLAGS, &ifr, ifname);
}

static int if_set_ipv4(int sock, const char *ifname, uint32_t ip, int prefix)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	uint32_t mask = prefix ? 0xFFFFFFFFu << (32 - prefix) : 0;

	memset(&ifr, 0, sizeof(ifr));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(ip);
	if (if_ioctl(sock, SIOCSIFADDR, &ifr, ifname) < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(mask);
	return if_ioctl(sock, SIOCSIFNETMASK, &ifr, ifname);
}

static int if_set_mtu(int sock, const char *ifname, unsigned mtu)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = (int)mtu;
	return if_ioctl(sock, SIOCSIFMTU, &ifr, ifname);
}

static int if_get_mac(int sock, const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (if_ioctl(sock, SIOCGIFHWADDR, &ifr, ifname) < 0)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

/* Switch an offload off (legacy ethtool ioctl); errors are ignored by the
 * caller where the device does not have the feature. */
static int if_ethtool_off(int sock, const char *ifname, uint32_t cmd)
{
	struct ifreq ifr;
	struct ethtool_value ev = { .cmd = cmd, .data = 0 };

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_data = (void *)&ev;
	return if_ioctl(sock, SIOCETHTOOL, &ifr, ifname);
}

/* ---- the link ---- */

static int open_tap(struct simd_net *n, char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		seterr(err, errlen, "cannot open /dev/net/tun: %s (TAP devices "
		       "need the tun module and CAP_NET_ADMIN)", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", n->ifname);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		seterr(err, errlen, "TUNSETIFF %s: %s", n->ifname,
		       strerror(errno));
		close(fd);
		return -1;
	}
	n->fd = fd;
	n->link = SIMD_LINK_TAP;
	return 0;
}

/* Run a program in the current namespace and wait for it. */
static int run_here(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int dn = open("/dev/null", O_RDWR);

		if (dn >= 0) {
			dup2(dn, 1);
			dup2(dn, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int open_veth(struct simd_net *n, int sock, char *err, size_t errlen)
{
	char *argv[] = { "ip", "link", "add", n->ifname, "type", "veth",
			 "peer", "name", VETH_PEER, NULL };
	struct sockaddr_ll sll;
	int fd, one = 1;
	unsigned idx;

	if (run_here(argv) != 0) {
		seterr(err, errlen, "cannot create a veth pair with `ip link add` "
		       "(iproute2 and veth support needed)");
		return -1;
	}
	/* Frames must leave Linux complete: checksums computed, no TSO/GSO
	 * super-frames (the engine's MAC sees real Ethernet frames). */
	if_ethtool_off(sock, n->ifname, ETHTOOL_STXCSUM);
	if_ethtool_off(sock, n->ifname, ETHTOOL_SSG);
	if_ethtool_off(sock, n->ifname, ETHTOOL_STSO);
	if_ethtool_off(sock, n->ifname, ETHTOOL_SGSO);
	if (if_set_mtu(sock, VETH_PEER, n->mtu) < 0 || if_up(sock, VETH_PEER) < 0) {
		seterr(err, errlen, "cannot bring up %s: %s", VETH_PEER,
		       strerror(errno));
		return -1;
	}
	idx = if_nametoindex(VETH_PEER);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    htons(ETH_P_ALL));
	if (fd < 0 || idx == 0) {
		seterr(err, errlen, "AF_PACKET socket on %s: %s", VETH_PEER,
		       strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)idx;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		seterr(err, errlen, "bind AF_PACKET to %s: %s", VETH_PEER,
		       strerror(errno));
		close(fd);
		return -1;
	}
#ifdef PACKET_IGNORE_OUTGOING
	/* do not read back the frames we send */
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
#endif
	(void)one;
	n->fd = fd;
	n->link = SIMD_LINK_VETH;
	return 0;
}

static void registry_add(struct simd_net *n)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (!open_nets[i]) {
			open_nets[i] = n;
			return;
		}
}

static void registry_del(struct simd_net *n)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (open_nets[i] == n)
			open_nets[i] = NULL;
}

static void unname(const char *path)
{
	if (!path[0])
		return;
	umount2(path, MNT_DETACH);
	unlink(path);
}

void simd_net_sweep_stale(void)
{
	DIR *d = opendir(NETNS_DIR);
	struct dirent *e;
	char path[300];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t pl = strlen(SIMD_NS_PREFIX);
		char *end;
		long pid;

		if (strncmp(e->d_name, SIMD_NS_PREFIX, pl) != 0)
			continue;
		pid = strtol(e->d_name + pl, &end, 10);
		if (*end || pid <= 0)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), NETNS_DIR "/%s", e->d_name);
		fprintf(stderr, "toe-simd: removing stale namespace %s "
			"(process %ld is gone)\n", e->d_name, pid);
		unname(path);
	}
	closedir(d);
}

int simd_net_open(struct simd_net *n, const struct simd_net_opts *o,
		  char *err, size_t errlen)
{
	struct simd_net_opts dflt = { 0 };
	int sock = -1, rc = -1, fd;
	enum simd_link want;

	if (!o)
		o = &dflt;
	memset(n, 0, sizeof(*n));
	n->ns_fd = n->orig_fd = n->fd = -1;
	n->linux_ip = o->linux_ip ? o->linux_ip : SIMD_LINUX_IP;
	n->engine_ip = o->engine_ip ? o->engine_ip : SIMD_ENGINE_IP;
	n->mtu = o->mtu ? o->mtu : 1500;
	snprintf(n->ifname, sizeof(n->ifname), "%s", SIMD_IFNAME);
	if (o->ns_name && !simd_net_ns_name_ok(o->ns_name)) {
		/* it becomes a path under /run/netns, bind-mounted as root */
		seterr(err, errlen, "namespace name '%s': want %s", o->ns_name,
		       SIMD_NS_NAME_WANT);
		return -1;
	}
	if (o->ns_name)
		snprintf(n->ns_name, sizeof(n->ns_name), "%s", o->ns_name);
	else
		snprintf(n->ns_name, sizeof(n->ns_name), SIMD_NS_PREFIX "%ld",
			 (long)getpid());

	simd_net_sweep_stale();

	n->orig_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (n->orig_fd < 0) {
		seterr(err, errlen, "cannot open /proc/thread-self/ns/net: %s "
		       "(is /proc mounted?)", strerror(errno));
		return -1;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		seterr(err, errlen, "cannot create a network namespace "
		       "(unshare CLONE_NEWNET): %s; run as root or with "
		       "CAP_SYS_ADMIN, in a kernel with network namespaces",
		       strerror(errno));
		goto fail_orig;
	}
	n->ns_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (n->ns_fd < 0) {
		seterr(err, errlen, "cannot open the new namespace: %s",
		       strerror(errno));
		goto fail_back;
	}
	registry_add(n);

	/* Name it like `ip netns add` does: bind-mount the namespace file. */
	mkdir(NETNS_DIR, 0755);
	snprintf(n->ns_path, sizeof(n->ns_path), NETNS_DIR "/%s", n->ns_name);
	fd = open(n->ns_path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0) {
		seterr(err, errlen, "cannot create %s: %s", n->ns_path,
		       strerror(errno));
		n->ns_path[0] = 0;
		goto fail_back;
	}
	close(fd);
	if (mount("/proc/thread-self/ns/net", n->ns_path, "none", MS_BIND,
		  NULL) < 0) {
		seterr(err, errlen, "cannot bind-mount the namespace at %s: %s",
		       n->ns_path, strerror(errno));
		unlink(n->ns_path);
		n->ns_path[0] = 0;
		goto fail_back;
	}

	/* No IPv6 on the link: the engine is IPv4 only, and router/neighbour
	 * solicitations would only be noise on the wire. */
	write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	write_file("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || if_up(sock, "lo") < 0) {
		seterr(err, errlen, "cannot bring up lo in the namespace: %s",
		       strerror(errno));
		goto fail_back;
	}
	want = o->link;
	if (want == SIMD_LINK_AUTO || want == SIMD_LINK_TAP) {
		if (open_tap(n, err, errlen) < 0) {
			if (want == SIMD_LINK_TAP)
				goto fail_back;
			fprintf(stderr, "toe-simd: %s; trying veth + AF_PACKET\n",
				err);
			want = SIMD_LINK_VETH;
		}
	}
	if (want == SIMD_LINK_VETH && open_veth(n, sock, err, errlen) < 0)
		goto fail_back;
	if (if_set_mtu(sock, n->ifname, n->mtu) < 0 ||
	    if_set_ipv4(sock, n->ifname, n->linux_ip, SIMD_PREFIX_LEN) < 0 ||
	    if_up(sock, n->ifname) < 0 ||
	    if_get_mac(sock, n->ifname, n->linux_mac) < 0) {
		seterr(err, errlen, "cannot configure %s: %s", n->ifname,
		       strerror(errno));
		goto fail_back;
	}
	rc = 0;

fail_back:
	if (sock >= 0)
		close(sock);
	if (setns(n->orig_fd, CLONE_NEWNET) < 0) {
		/* cannot happen with a valid fd; never keep running inside */
		perror("toe-simd: setns back to the original namespace");
		abort();
	}
	if (rc == 0)
		return 0;
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
	unname(n->ns_path);
	n->ns_path[0] = 0;
	if (n->ns_fd >= 0)
		close(n->ns_fd);
	n->ns_fd = -1;
	registry_del(n);
fail_orig:
	close(n->orig_fd);
	n->orig_fd = -1;
	return -1;
}

/* Enter the namespace / go back (the calling thread only). */
static int enter_ns(struct simd_net *n)
{
	return setns(n->ns_fd, CLONE_NEWNET);
}

static void leave_ns(struct simd_net *n)
{
	if (setns(n->orig_fd, CLONE_NEWNET) < 0) {
		perror("toe-simd: setns back to the original namespace");
		abort();
	}
}

int simd_net_socket(struct simd_net *n, int domain, int type, int protocol)
{
	int fd, e;

	if (enter_ns(n) < 0)
		return -1;
	fd = socket(domain, type, protocol);
	e = errno;
	leave_ns(n);
	errno = e;
	return fd;
}

int simd_net_sysctl(struct simd_net *n, const char *key, const char *val)
{
	char path[160];
	int rc, e;
	size_t i;

	/* "net.ipv4.x" -> "/proc/sys/net/ipv4/x"; a key is a dotted name */
	if (!*key || strlen(key) > 100 || strstr(key, "..") || key[0] == '.') {
		errno = EINVAL;
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	for (i = strlen("/proc/sys/"); path[i]; i++) {
		if (path[i] == '.')
			path[i] = '/';
		else if (path[i] == '/') {
			errno = EINVAL;
			return -1;
		}
	}
	/* /proc/sys/net is the namespace of the thread that opens it */
	if (enter_ns(n) < 0)
		return -1;
	rc = write_file(path, val);
	e = errno;
	leave_ns(n);
	errno = e;
	return rc;
}

int simd_net_add_neigh(struct simd_net *n, uint32_t ip, const uint8_t mac[6])
{
	struct arpreq ar;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ar.arp_pa;
	int sock = simd_net_socket(n, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc, e;

	if (sock < 0)
		return -1;
	memset(&ar, 0, sizeof(ar));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(ip);
	ar.arp_ha.sa_family = ARPHRD_ETHER;
	memcpy(ar.arp_ha.sa_data, mac, 6);
	ar.arp_flags = ATF_PERM | ATF_COM;
	snprintf(ar.arp_dev, sizeof(ar.arp_dev), "%s", n->ifname);
	rc = ioctl(sock, SIOCSARP, &ar);
	e = errno;
	close(sock);
	errno = e;
	return rc;
}

static void kill_children(struct simd_net *n)
{
	for (int i = 0; i < SIMD_MAX_CHILDREN; i++)
		if (n->children[i] > 0)
			kill(n->children[i], SIGKILL);
}

void simd_net_close(struct simd_net *n)
{
	if (n->orig_fd < 0)
		return;
	kill_children(n);
	for (int i = 0; i < SIMD_MAX_CHILDREN; i++)
		if (n->children[i] > 0) {
			waitpid(n->children[i], NULL, 0);
			n->children[i] = 0;
		}
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
	unname(n->ns_path);
	n->ns_path[0] = 0;
	close(n->ns_fd);
	close(n->orig_fd);
	n->ns_fd = n->orig_fd = -1;
	registry_del(n);
}

void simd_net_emergency_cleanup(void)
{
	for (int i = 0; i < MAX_OPEN; i++) {
		struct simd_net *n = open_nets[i];

		if (!n)
			continue;
		kill_children(n);
		if (n->ns_path[0]) {
			umount2(n->ns_path, MNT_DETACH);
			unlink(n->ns_path);
		}
	}
}

static volatile int *signal_flag;

static void on_signal(int sig)
{
	if (signal_flag) {
		*signal_flag = sig;
		return;
	}
	simd_net_emergency_cleanup();
	signal(sig, SIG_DFL);
	_exit(128 + sig);
}

void simd_net_install_signals(volatile int *flag)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa;

	signal_flag = flag;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

ssize_t simd_net_read(struct simd_net *n, uint8_t *buf, size_t cap)
{
	ssize_t r = read(n->fd, buf, cap);

	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	return r;
}

int simd_net_write(struct simd_net *n, const uint8_t *buf, size_t len)
{
	ssize_t w = write(n->fd, buf, len);

	return w == (ssize_t)len ? 0 : -1;
}

/* ---- processes in the namespace ---- */

pid_t simd_net_spawn(struct simd_net *n, char *const argv[], int *stdout_fd)
{
	int pfd[2] = { -1, -1 };
	pid_t parent = getpid(), pid;
	int slot = -1;

	for (int i = 0; i < SIMD_MAX_CHILDREN; i++)
		if (n->children[i] <= 0) {
			slot = i;
			break;
		}
	if (slot < 0)
		return -1;
	if (stdout_fd && pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		if (stdout_fd) {
			close(pfd[0]);
			close(pfd[1]);
		}
		return -1;
	}
	if (pid == 0) {
		sigset_t none;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (setns(n->ns_fd, CLONE_NEWNET) < 0) {
			perror("setns");
			_exit(127);
		}
		if (stdout_fd) {
			dup2(pfd[1], 1);
			close(pfd[0]);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (stdout_fd) {
		close(pfd[1]);
		*stdout_fd = pfd[0];
	}
	n->children[slot] = pid;
	return pid;
}

int simd_net_reap(struct simd_net *n, pid_t pid, int *status, bool wait)
{
	int st;
	pid_t r;

	do
		r = waitpid(pid, &st, wait ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return 0;
	for (int i = 0; i < SIMD_MAX_CHILDREN; i++)
		if (n->children[i] == pid)
			n->children[i] = 0;
	if (r < 0)
		return -1;
	if (status)
		*status = st;
	return 1;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int simd_net_run(struct simd_net *n, char *const argv[], char *out,
		 size_t cap, int timeout_ms)
{
	int fd, st;
	size_t got = 0;
	int64_t deadline = mono_ms() + timeout_ms;
	pid_t pid = simd_net_spawn(n, argv, &fd);
	bool timed_out = false;

	if (pid < 0)
		return -1;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - mono_ms();
		char sink[4096];
		ssize_t r;

		if (left <= 0) {
			timed_out = true;
			break;
		}
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		if (out && got + 1 < cap)
			r = read(fd, out + got, cap - 1 - got);
		else
			r = read(fd, sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (out && got + 1 < cap)
			got += (size_t)r;
	}
	close(fd);
	if (out && cap)
		out[got] = 0;
	if (timed_out)
		kill(pid, SIGKILL);
	if (simd_net_reap(n, pid, &st, true) != 1 || timed_out)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
