/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-enums: the string tables of enums.h. Every value has a name, every
 * name maps back to its value, and the names are exactly the documented ones
 * (they appear in state files and in VZ_FAIL_STEP).
 */
#include "enums.h"
#include "macro.h"
#include "tap.h"

int main(void)
{
	static const char *const states[] = { "STOPPED", "STARTING", "RUNNING", "STOPPING",
					      "FROZEN" };
	is_int(_VZ_STATE_MAX, ELEMENTSOF(states), "%zu states", ELEMENTSOF(states));
	for (int i = 0; i < _VZ_STATE_MAX; i++) {
		is_str(vz_state_to_string(i), i < (int)ELEMENTSOF(states) ? states[i] : "?",
		       "state %d is %s", i, i < (int)ELEMENTSOF(states) ? states[i] : "?");
		is_int(vz_state_from_string(vz_state_to_string(i)), i, "state %d round-trips", i);
	}
	ok(vz_state_to_string(_VZ_STATE_MAX) == NULL, "state past the end has no name");
	ok(vz_state_to_string((enum vz_run_state) - 1) == NULL, "state -1 has no name");
	static const char *const bad_states[] = { "", "stopped", "Running", "STOPPED ", "NOPE" };
	for (size_t i = 0; i < ELEMENTSOF(bad_states); i++)
		is_int(vz_state_from_string(bad_states[i]), -EINVAL, "state '%s' is -EINVAL",
		       bad_states[i]);
	is_int(vz_state_from_string(NULL), -EINVAL, "state NULL is -EINVAL");

	static const char *const steps[] = { "runtime", "console",       "cgroup",       "lxcfs",
					     "clone",   "idmap",         "cgroup-attach", "rootfs-idmap", "net",
					     "rootfs",  "mounts",        "dev",          "pivot",
					     "identity", "caps",         "exec" };
	is_int(_VZ_STEP_MAX, ELEMENTSOF(steps), "%zu steps", ELEMENTSOF(steps));
	for (int i = 0; i < _VZ_STEP_MAX; i++) {
		is_str(vz_step_to_string(i), i < (int)ELEMENTSOF(steps) ? steps[i] : "?",
		       "step %d is %s", i, i < (int)ELEMENTSOF(steps) ? steps[i] : "?");
		is_int(vz_step_from_string(vz_step_to_string(i)), i, "step %d round-trips", i);
	}
	is_int(VZ_STEP_RUNTIME, 0, "runtime is the first step");
	is_int(VZ_STEP_EXEC, _VZ_STEP_MAX - 1, "exec is the last step");
	ok(vz_step_to_string(_VZ_STEP_MAX) == NULL, "step past the end has no name");
	ok(vz_step_to_string((enum vz_start_step) - 1) == NULL, "step -1 has no name");
	static const char *const bad_steps[] = { "", "RUNTIME", "cgroup_attach", "rootfs ",
						 "nope" };
	for (size_t i = 0; i < ELEMENTSOF(bad_steps); i++)
		is_int(vz_step_from_string(bad_steps[i]), -EINVAL, "step '%s' is -EINVAL",
		       bad_steps[i]);
	is_int(vz_step_from_string(NULL), -EINVAL, "step NULL is -EINVAL");

	static const char *const waits[] = { "auto", "ready", "exec" };
	is_int(_VZ_START_WAIT_MAX, ELEMENTSOF(waits), "%zu start.wait values", ELEMENTSOF(waits));
	for (int i = 0; i < _VZ_START_WAIT_MAX; i++) {
		is_str(vz_start_wait_to_string(i), i < (int)ELEMENTSOF(waits) ? waits[i] : "?",
		       "start.wait %d is %s", i, i < (int)ELEMENTSOF(waits) ? waits[i] : "?");
		is_int(vz_start_wait_from_string(vz_start_wait_to_string(i)), i,
		       "start.wait %d round-trips", i);
	}
	ok(vz_start_wait_to_string(_VZ_START_WAIT_MAX) == NULL, "start.wait past the end has no name");
	is_int(vz_start_wait_from_string("Ready"), -EINVAL, "start.wait 'Ready' is -EINVAL");
	is_int(vz_start_wait_from_string(NULL), -EINVAL, "start.wait NULL is -EINVAL");
	return tap_done();
}
