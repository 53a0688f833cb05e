/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tc.h: bandwidth limits of a container's interface, in both directions,
 * set on the host side of its veth through libnl-route's traffic-control
 * API (doc/network-tc.md).
 *
 *   rate_in  (traffic to the container): a tbf qdisc at the root of the
 *            host-side veth, whose egress is what the container receives.
 *   rate_out (traffic from the container): the host-side veth's ingress is
 *            redirected (ingress qdisc, u32 match-all filter, mirred action)
 *            to an ifb device of its own, "vzi" + 12 hex digits of a hash of
 *            the veth's name, whose root tbf qdisc shapes it; the ifb's
 *            alias is the veth's name.
 *
 * Everything acts in the calling thread's network namespace.
 */
#pragma once

#include <stdint.h>

#include "err.h"

/* The highest rate tbf takes through libnl 3.7 (an int of bytes/s): about
 * 17.18 Gbit/s. Higher rates are refused with -ERANGE. */
#define VZ_TC_RATE_MAX ((uint64_t)INT32_MAX * 8)

/* Limit traffic to the container (rate_in_bps) and from it (rate_out_bps),
 * in bits per second, on the host-side interface host_ifname; 0 removes
 * that direction's limit. Idempotent and live: changing a rate changes the
 * existing qdisc in place (the link stays up and keeps its
 * ifindex). Creates the ifb for rate_out, removes it when
 * rate_out becomes 0. 0 or -errno with err filled ("interface X: ..."). */
int vz_tc_set_rates(const char *host_ifname, uint64_t rate_in_bps, uint64_t rate_out_bps,
		    vz_err *err);

/* Remove both limits: the root and ingress qdiscs of host_ifname (when it
 * still exists) and its ifb (also when host_ifname is already gone, as after
 * the container's network namespace died). Idempotent. */
int vz_tc_clear(const char *host_ifname, vz_err *err);

/* The rates in place on host_ifname (0 = none), as vz info shows them. */
int vz_tc_get_rates(const char *host_ifname, uint64_t *rate_in_bps, uint64_t *rate_out_bps,
		    vz_err *err);

/* Remove the ifb devices of vz (name "vzi...") whose veth (their alias) no
 * longer exists: after a monitor crash. Returns how many were removed. */
int vz_tc_gc(vz_err *err);

/* The ifb name for a host interface: "vzi" + 12 hex digits (15 chars). */
void vz_tc_ifb_name(const char *host_ifname, char buf[static 16]);

/* The tbf bucket and queue limit vz uses for a rate, in bytes. */
void vz_tc_tbf_params(uint64_t bps, uint32_t *burst, uint32_t *limit);
