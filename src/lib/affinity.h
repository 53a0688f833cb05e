/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * affinity.h: the CPU affinity that makes `nproc` inside a container show
 * its CPU quota (doc/tenant-view.md). nproc and sysconf-less tools count
 * the CPUs of the process's affinity mask, which a cgroup quota
 * (limits.cpus) does not change; limits.cpuset does. So a container with
 * a quota and no cpuset gets ceil(cpus) CPUs as init's affinity, picked
 * from a place derived from its name so that containers spread over the
 * host. The quota is what limits it: a tenant that widens its affinity
 * gets more CPUs to spread the same time over. Runs in the container child.
 */
#pragma once

#include <sched.h>

#include "spec.h"

/* CPUs for a quota of cpus (ceil, at least 1); 0 when cpus is 0. */
unsigned vz_affinity_quota_cpus(double cpus);

/* Pick want CPUs of avail into out, consecutive in avail's order (wrapping
 * around), starting at one chosen by a hash of name. Returns the number
 * picked, 0 (out untouched) when want is 0 or avail has no more than want. */
unsigned vz_affinity_pick(const cpu_set_t *avail, unsigned want, const char *name,
			  cpu_set_t *out);

/* In the container child: narrow this process's affinity for limits.cpus
 * when limits.cpuset is not set. Best effort: failures are logged. */
void vz_affinity_apply_in_child(const struct vz_spec *spec);
