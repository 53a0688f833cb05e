/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-spec: container names, the built-in defaults of struct vz_spec and
 * the cross-field checks of vz_spec_validate().
 */
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>

#include "enums.h"
#include "spec.h"
#include "strv.h"
#include "tap.h"

static void test_names(void)
{
	static const char *const good[] = { "a",   "Z",       "1",        "web1", "web-1",
					    "a.b", "a-b.c-d", "A1-b2.C3", "a-.b", "123" };
	for (size_t i = 0; i < ELEMENTSOF(good); i++)
		ok(vz_name_is_valid(good[i]), "name '%s' is valid", good[i]);

	char n63[64], n64[65];
	memset(n63, 'a', 63);
	n63[63] = 0;
	memset(n64, 'a', 64);
	n64[64] = 0;
	ok(vz_name_is_valid(n63), "a name of 63 characters is valid");
	ok(!vz_name_is_valid(n64), "a name of 64 characters is refused");

	static const char *const bad[] = { "",   "/",    "a/b", "a b", " a", "a ",   "-a",
					   "a-", ".a",   "a.",  ".",   "..", "a..b", "a_b",
					   "_a", "a\tb", "é",   "a:b", "a*" };
	for (size_t i = 0; i < ELEMENTSOF(bad); i++)
		ok(!vz_name_is_valid(bad[i]), "name '%s' is refused", bad[i]);
	ok(!vz_name_is_valid(NULL), "NULL is refused");
}

static void test_defaults(void)
{
	struct vz_spec s;
	is_int(vz_spec_init(&s, "web1"), 0, "vz_spec_init");
	is_str(s.name, "web1", "name");
	is_str(s.hostname, "web1", "hostname defaults to the name");
	ok(s.init && strv_length(s.init) == 1 && streq(s.init[0], "/sbin/init"),
	   "init is [/sbin/init]");
	ok(s.env == NULL, "no env");
	ok(s.template == NULL && s.rootfs_lower == NULL && s.config_path == NULL,
	   "no template, rootfs.lower or config path");
	ok(!s.privileged, "unprivileged");
	is_int(s.halt_signal, 0, "halt_signal unset (picked from the init at start)");
	is_int(s.stop_timeout_ms, 30000, "stop_timeout 30 s");
	is_int(s.start_wait, VZ_START_WAIT_AUTO, "start.wait auto");
	is_int(s.lxcfs, VZ_LXCFS_AUTO, "lxcfs auto: used when the host has it");
	is_int(s.start_timeout_ms, 60000, "start.timeout 60 s");
	is_int(s.idmap.uid, 0, "idmap.uid unset");
	is_int(s.idmap.gid, 0, "idmap.gid unset");
	is_int(s.idmap.count, 65536, "idmap.count 65536");
	is_int(s.limits.memory, 0, "limits.memory unlimited");
	ok(s.limits.swap == UINT64_MAX, "limits.swap unset (UINT64_MAX)");
	is_int(s.limits.pids, 0, "limits.pids unlimited");
	ok(s.limits.cpus == 0, "limits.cpus unlimited");
	is_int(s.limits.cpu_weight, 100, "limits.cpu_weight 100");
	is_int(s.console_log_size, 1024 * 1024, "console.log_size 1M");
	is_int(s.console_log_files, 1, "console.log_files 1");
	uint64_t want = (UINT64_C(1) << CAP_SYS_MODULE) | (UINT64_C(1) << CAP_SYS_RAWIO) |
			(UINT64_C(1) << CAP_SYS_TIME) | (UINT64_C(1) << CAP_MAC_ADMIN) |
			(UINT64_C(1) << CAP_MAC_OVERRIDE);
	ok(s.caps_drop == want,
	   "caps.drop is sys_module, sys_rawio, sys_time, mac_admin, mac_override");
	vz_spec_done(&s);
	ok(s.name == NULL && s.init == NULL && s.hostname == NULL, "vz_spec_done clears");
	vz_spec_done(&s); /* twice is harmless */
	vz_spec_done(NULL);
	vz_spec_free(NULL);
}

/* A spec that passes validation; each case breaks one thing. */
static void valid_spec(struct vz_spec *s)
{
	vz_spec_init(s, "c1");
	s->template = strdup("busybox");
	s->rootfs_lower = strdup("busybox/1.36/rootfs");
	s->idmap.uid = 100000;
	s->idmap.gid = 100000;
}

static void check_invalid(struct vz_spec *s, int code, const char *msg, const char *what)
{
	vz_err err = { 0 };
	is_int(vz_spec_validate(s, &err), code, "%s: refused", what);
	is_str(err.msg, msg, "%s: message", what);
	is_int(err.code, -code, "%s: err.code", what);
	vz_spec_done(s);
}

static void test_validate(void)
{
	struct vz_spec s;
	vz_err err = { 0 };

	valid_spec(&s);
	is_int(vz_spec_validate(&s, &err), 0, "a complete spec is valid");
	ok(!vz_err_set(&err), "... and err is untouched");
	is_int(vz_spec_validate(&s, NULL), 0, "err may be NULL");
	vz_spec_done(&s);

	valid_spec(&s);
	free(s.template);
	s.template = NULL;
	check_invalid(&s, -EINVAL,
		      "key 'template': not set (the container was not made by vz create)",
		      "no template");
	valid_spec(&s);
	s.template[0] = 0;
	check_invalid(&s, -EINVAL,
		      "key 'template': not set (the container was not made by vz create)",
		      "empty template");

	valid_spec(&s);
	free(s.rootfs_lower);
	s.rootfs_lower = NULL;
	check_invalid(&s, -EINVAL, "key 'rootfs.lower': not set", "no rootfs.lower");
	valid_spec(&s);
	s.rootfs_lower[0] = 0;
	check_invalid(&s, -EINVAL, "key 'rootfs.lower': not set", "empty rootfs.lower");

	valid_spec(&s);
	s.idmap.uid = 0;
	check_invalid(&s, -EINVAL,
		      "key 'idmap.uid': an unprivileged container needs its own id range (not "
		      "starting at 0); set 'privileged = true' to run without one",
		      "unprivileged, uid 0");
	valid_spec(&s);
	s.idmap.gid = 0;
	check_invalid(&s, -EINVAL,
		      "key 'idmap.gid': an unprivileged container needs its own id range (not "
		      "starting at 0); set 'privileged = true' to run without one",
		      "unprivileged, gid 0");

	valid_spec(&s);
	s.idmap.uid = s.idmap.gid = 0;
	s.privileged = true;
	is_int(vz_spec_validate(&s, &err), 0, "privileged: no id range needed");
	vz_spec_done(&s);

	valid_spec(&s);
	s.idmap.uid = UINT32_MAX - 65536; /* last id 4294967294 */
	is_int(vz_spec_validate(&s, &err), 0, "a range ending at id 4294967294 is valid");
	vz_spec_done(&s);
	valid_spec(&s);
	s.idmap.uid = UINT32_MAX - 65535;
	check_invalid(&s, -ERANGE, "key 'idmap.count': range goes past id 4294967294",
		      "uid range past 4294967294");
	valid_spec(&s);
	s.idmap.gid = 4000000000U;
	s.idmap.count = 300000000;
	check_invalid(&s, -ERANGE, "key 'idmap.count': range goes past id 4294967294",
		      "gid range past 4294967294");

	valid_spec(&s);
	free(s.init[0]);
	s.init[0] = strdup("sbin/init");
	check_invalid(&s, -EINVAL, "key 'init': must start with an absolute path", "relative init");
	valid_spec(&s);
	strv_free(s.init);
	s.init = NULL;
	check_invalid(&s, -EINVAL, "key 'init': must start with an absolute path", "no init");
	valid_spec(&s);
	free(s.init[0]);
	s.init[0] = NULL;
	check_invalid(&s, -EINVAL, "key 'init': must start with an absolute path", "empty init");

	valid_spec(&s);
	s.limits.swap = 0;
	check_invalid(&s, -EINVAL, "key 'limits.swap': needs 'limits.memory' to be set",
		      "swap without memory");
	valid_spec(&s);
	s.limits.swap = 0;
	s.limits.memory = 256 << 20;
	is_int(vz_spec_validate(&s, &err), 0, "swap with memory is valid");
	s.limits.memory_high = 128 << 20;
	is_int(vz_spec_validate(&s, &err), 0, "memory_high below memory is valid");

	struct vz_limits l = { .swap = UINT64_MAX, .cpu_weight = 100 };
	bool any = false;
	for (int k = 0; k < _VZ_LIM_MAX; k++) {
		any |= vz_limit_is_set(&l, k);
		is_int(vz_limit_key_from_name(vz_limit_key_name(k)), k, "limit key %s round trip",
		       vz_limit_key_name(k));
	}
	ok(!any, "no limit key is set in the defaults");
	is_int(vz_limit_key_from_name("limits.memory"), -EINVAL, "names are without 'limits.'");
	ok(vz_limit_key_name(_VZ_LIM_MAX) == NULL, "no name past the last key");
	vz_spec_done(&s);

	struct vz_spec *p = calloc(1, sizeof(*p));
	ok(p && vz_spec_init(p, "heap") == 0, "vz_spec_init on the heap");
	vz_spec_free(p);
}

int main(void)
{
	test_names();
	test_defaults();
	test_validate();
	return tap_done();
}
