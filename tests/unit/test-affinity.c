/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-affinity: the CPUs a CPU quota gets as init's affinity (affinity.h):
 * ceil of the quota, consecutive in the available set from a place chosen
 * by the name, wrapping around, stable for a name.
 */
#include "affinity.h"
#include "tap.h"

static cpu_set_t cpus(const char *list)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	for (const char *p = list; *p; p++)
		if (*p >= '0' && *p <= '9')
			CPU_SET(*p - '0', &s);
	return s;
}

static void test_quota_cpus(void)
{
	is_int(vz_affinity_quota_cpus(0), 0, "no quota: no CPUs");
	is_int(vz_affinity_quota_cpus(0.01), 1, "0.01 CPU: 1");
	is_int(vz_affinity_quota_cpus(0.5), 1, "0.5 CPU: 1");
	is_int(vz_affinity_quota_cpus(1), 1, "1 CPU: 1");
	is_int(vz_affinity_quota_cpus(1.5), 2, "1.5 CPUs: 2");
	is_int(vz_affinity_quota_cpus(2), 2, "2 CPUs: 2");
	is_int(vz_affinity_quota_cpus(2.0000000001), 2, "2 plus rounding noise: 2");
}

static void test_pick(void)
{
	cpu_set_t avail = cpus("0123"), out;
	CPU_ZERO(&out);
	is_int(vz_affinity_pick(&avail, 0, "a", &out), 0, "want 0: nothing to do");
	is_int(vz_affinity_pick(&avail, 4, "a", &out), 0, "want all: nothing to do");
	is_int(vz_affinity_pick(&avail, 9, "a", &out), 0, "want more than there are: nothing to do");
	ok(CPU_COUNT(&out) == 0, "out untouched then");

	is_int(vz_affinity_pick(&avail, 2, "web1", &out), 2, "want 2 of 4");
	ok(CPU_COUNT(&out) == 2, "2 CPUs picked");
	cpu_set_t both;
	CPU_AND(&both, &out, &avail);
	ok(CPU_EQUAL(&both, &out), "all of them available ones");
	cpu_set_t again;
	vz_affinity_pick(&avail, 2, "web1", &again);
	ok(CPU_EQUAL(&again, &out), "the same name gets the same CPUs");
	/* consecutive, wrapping: {0,1} {1,2} {2,3} or {3,0} */
	bool consecutive = false;
	for (int c = 0; c < 4; c++)
		consecutive |= CPU_ISSET(c, &out) && CPU_ISSET((c + 1) % 4, &out);
	ok(consecutive, "consecutive in the available set (wrapping)");

	/* Over many names every CPU gets picked: containers spread. */
	cpu_set_t seen;
	CPU_ZERO(&seen);
	for (int i = 0; i < 64; i++) {
		char name[16];
		snprintf(name, sizeof(name), "ct%d", i);
		vz_affinity_pick(&avail, 1, name, &out);
		CPU_OR(&seen, &seen, &out);
	}
	is_int(CPU_COUNT(&seen), 4, "64 names with 1 CPU each cover all 4 CPUs");

	/* A sparse set (a cpuset parent of 1,3,5): only those. */
	cpu_set_t sparse = cpus("135");
	vz_affinity_pick(&sparse, 2, "x", &out);
	CPU_AND(&both, &out, &sparse);
	ok(CPU_COUNT(&out) == 2 && CPU_EQUAL(&both, &out), "from a sparse set, only its CPUs");
}

int main(void)
{
	test_quota_cpus();
	test_pick();
	return tap_done();
}
