/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-state: the runtime state file: round trips, bad input, atomic write.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#include "fs-util.h"
#include "state.h"
#include "tap.h"

/* Field by field: memcmp would also compare padding. */
static bool same(const struct vz_state *a, const struct vz_state *b)
{
	return a->state == b->state && a->monitor_pid == b->monitor_pid &&
	       a->init_pid == b->init_pid && a->init_start == b->init_start &&
	       a->started_at == b->started_at && a->restarts == b->restarts;
}

int main(void)
{
	char buf[512];
	struct vz_state s = { VZ_STATE_RUNNING, 1234, 1235, 987654, 1763850000, 3 }, r;
	int n = vz_state_format(&s, buf, sizeof(buf));
	ok(n > 0, "format");
	has_str(buf, "state=RUNNING\nmonitor_pid=1234\ninit_pid=1235\n", "format is key=value lines");
	is_int(vz_state_parse(buf, &r, NULL), 0, "parse");
	ok(same(&s, &r), "round trip keeps every field");
	is_int(vz_state_format(&s, buf, 20), -ENOBUFS, "too small a buffer: -ENOBUFS");

	for (int st = 0; st < _VZ_STATE_MAX; st++) {
		s.state = st;
		vz_state_format(&s, buf, sizeof(buf));
		ok(vz_state_parse(buf, &r, NULL) == 0 && r.state == (enum vz_run_state)st, "state %s round-trips",
		   vz_state_to_string(st));
	}

	vz_err err = { 0 };
	is_int(vz_state_parse("monitor_pid=1\n", &r, &err), -EINVAL, "missing state");
	has_str(err.msg, "'state' is missing", "... named");
	is_int(vz_state_parse("state=RUNNING\n", &r, &err), -EINVAL, "missing monitor_pid");
	has_str(err.msg, "'monitor_pid' is missing", "... named");
	is_int(vz_state_parse("state=RUNNING\nmonitor_pid=1\ninit_pid=abc\n", &r, &err), -EINVAL, "bad number");
	has_str(err.msg, "line 3: bad value for 'init_pid'", "... names the line and key");
	is_int(vz_state_parse("state=BOGUS\nmonitor_pid=1\n", &r, &err), -EINVAL, "unknown state");
	is_int(vz_state_parse("state=RUNNING\nmonitor_pid=99999999999\n", &r, &err), -EINVAL, "pid out of range");
	ok(vz_state_parse("state=STOPPING\nfuture_key=x\nmonitor_pid=5\n\n", &r, NULL) == 0 &&
		   r.state == VZ_STATE_STOPPING && r.monitor_pid == 5 && r.init_pid == 0,
	   "unknown keys and blank lines are ignored");

	char dir[] = "/tmp/vz-test-state.XXXXXX";
	ok(mkdtemp(dir) != NULL, "temp dir");
	_cleanup_free_ char *path = path_join(dir, "state");
	s.state = VZ_STATE_RUNNING;
	is_int(vz_state_write(path, &s, &err), 0, "write");
	ok(vz_state_read(path, &r, &err) == 0 && same(&s, &r), "read back");
	DIR *d = opendir(dir);
	int files = 0;
	struct dirent *de;
	while (d && (de = readdir(d)))
		files += de->d_name[0] != '.';
	if (d)
		closedir(d);
	is_int(files, 1, "no temporary file is left beside it");
	unlink(path);
	is_int(vz_state_read(path, &r, &err), -ENOENT, "missing file: -ENOENT");
	write_file(path, "state=RUNNING\n", O_CREAT);
	is_int(vz_state_read(path, &r, &err), -EINVAL, "a bad file is an error");
	has_str(err.msg, path, "... naming the file");
	unlink(path);
	rmdir(dir);
	return tap_done();
}
