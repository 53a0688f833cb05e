/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * affinity.c: init's CPU affinity for a CPU quota (see affinity.h). Runs in
 * the container child; the pure parts are unit-tested.
 */
#include <stdint.h>

#include "affinity.h"
#include "log.h"

unsigned vz_affinity_quota_cpus(double cpus)
{
	if (cpus <= 0)
		return 0;
	unsigned n = (unsigned)cpus;
	if ((double)n < cpus - 1e-9)
		n++;
	return n ? n : 1;
}

/* FNV-1a: stable across runs and builds, so a container keeps its CPUs. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

unsigned vz_affinity_pick(const cpu_set_t *avail, unsigned want, const char *name,
			  cpu_set_t *out)
{
	unsigned have = (unsigned)CPU_COUNT(avail);
	if (want == 0 || want >= have)
		return 0;
	int cpus[CPU_SETSIZE];
	unsigned k = 0;
	for (int c = 0; c < CPU_SETSIZE && k < have; c++)
		if (CPU_ISSET(c, avail))
			cpus[k++] = c;
	unsigned start = name_hash(name) % k;
	CPU_ZERO(out);
	for (unsigned i = 0; i < want; i++)
		CPU_SET(cpus[(start + i) % k], out);
	return want;
}

void vz_affinity_apply_in_child(const struct vz_spec *spec)
{
	if (spec->limits.cpuset)
		return; /* the cpuset is the affinity already */
	unsigned want = vz_affinity_quota_cpus(spec->limits.cpus);
	cpu_set_t avail, pick;
	if (want == 0)
		return;
	if (sched_getaffinity(0, sizeof(avail), &avail) < 0) {
		log_warn("limits.cpus: get the CPU affinity: %m");
		return;
	}
	if (vz_affinity_pick(&avail, want, spec->name, &pick) == 0)
		return;
	if (sched_setaffinity(0, sizeof(pick), &pick) < 0)
		log_warn("limits.cpus: set the CPU affinity to %u CPUs: %m", want);
}
