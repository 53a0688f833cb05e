/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net-rate.h: vz set's interface keys, netN.rate_in and netN.rate_out
 * (doc/network-tc.md, "Live changes"). N is the element's index in the
 * config's "network" list; network[N].KEY and network.[N].KEY (libconfig's
 * path) are the same key. A change is checked against the config, written
 * into it (for --save and for the whole-config check of vz set), and for a
 * running container applied to the host side of its veth with
 * vz_tc_set_rates(), the other direction keeping the rate the kernel has.
 * Runs in the command (vz set), in the host's network namespace.
 */
#pragma once

#include <libconfig.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "net.h"
#include "paths.h"
#include "spec.h"

/* What vz set changes on one interface. */
struct vz_net_rate_change {
	bool set_in, set_out;
	uint64_t in, out;      /* bits/s, 0 = no limit */
	char key[48];          /* the first key given, as typed (for messages) */
	char host[16];         /* running: the host side (vz_net_rates_prepare) */
	uint64_t old_in, old_out; /* running: what the kernel had */
};

struct vz_net_rates {
	struct vz_net_rate_change c[VZ_NET_MAX]; /* by interface index */
	size_t n;                                /* how many are set */
};

/* kv ("net0.rate_in=20mbit"): 0 when its key is not an interface key
 * (the caller handles it), 1 when recorded in set, -errno with err
 * ("net0.ipv4: ...", "net0.rate_in: invalid rate ...") otherwise. */
int vz_net_rates_add(struct vz_net_rates *set, const char *kv, vz_err *err);

/* Write the changes into cfg's "network" list (a rate of 0 removes the key).
 * When the file has no list, defaults (vz.conf's defaults.network, may be
 * NULL) is copied in first. Refuses an index past the list's end and an
 * element that is not a veth; cfg is unchanged then. */
int vz_net_rates_config(config_t *cfg, const config_setting_t *defaults,
			const struct vz_net_rates *set, vz_err *err);

/* Running container name with the checked new spec: find each changed
 * interface's host side in run/NAME/net and read the rates in place.
 * Changes nothing. */
int vz_net_rates_prepare(const struct vz_global *g, const char *name,
			 const struct vz_spec *spec, struct vz_net_rates *set, vz_err *err);

/* Apply the prepared changes; when one fails, those applied are put back
 * and err says "nothing changed". */
int vz_net_rates_apply(const struct vz_net_rates *set, vz_err *err);

/* Put back the rates vz_net_rates_prepare() read (after a later failure). */
void vz_net_rates_undo(const struct vz_net_rates *set);
