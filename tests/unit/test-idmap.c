/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-idmap: reading subuid/subgid files (temporary files under /tmp) and
 * choosing a disjoint id range per container.
 */
#include <fcntl.h>
#include <stdio.h>

#include "fs-util.h"
#include "idmap.h"
#include "tap.h"

static char *top;

static char *write_tmp(const char *name, const char *text)
{
	char *p = path_join(top, name);
	if (write_file(p, text, O_CREAT | O_TRUNC) < 0)
		printf("# cannot write %s\n", p);
	return p;
}

static void test_read(void)
{
	_cleanup_free_ char *f = write_tmp("subuid", "# subordinate uids\n"
						     "root:100000:65536\n"
						     "\n"
						     "   \t\n"
						     "  # indented comment\n"
						     "alice:200000:65536\n"
						     "1000:300000:10\n"
						     "root:500000:131072\n"
						     "rooty:600000:65536\n"
						     "root:700000:0\n"
						     "root:800000:5"); /* no final newline */
	struct vz_subid_range *r = NULL;
	size_t n = 99;
	vz_err err = { 0 };

	is_int(vz_subid_read(f, "root", 0, &r, &n, &err), 0, "read root's ranges");
	if (is_int(n, 3, "root has 3 ranges (a count of 0 is skipped)")) {
		ok(r[0].start == 100000 && r[0].count == 65536, "range 1: 100000:65536");
		ok(r[1].start == 500000 && r[1].count == 131072, "range 2: 500000:131072");
		ok(r[2].start == 800000 && r[2].count == 5, "range 3: the last line, no newline");
	}
	free(r);

	is_int(vz_subid_read(f, "alice", 1000, &r, &n, &err), 0, "read alice (uid 1000)");
	if (is_int(n, 2, "alice: by name and by numeric uid")) {
		ok(r[0].start == 200000 && r[0].count == 65536, "alice: by name");
		ok(r[1].start == 300000 && r[1].count == 10, "alice: by uid");
	}
	free(r);

	is_int(vz_subid_read(f, "alice", -1, &r, &n, &err), 0, "read alice, no uid");
	is_int(n, 1, "alice without a uid: by name only");
	free(r);

	is_int(vz_subid_read(f, "nobody", 1000, &r, &n, &err), 0, "read nobody with uid 1000");
	is_int(n, 1, "the uid alone matches");
	free(r);

	n = 99;
	r = (void *)1;
	is_int(vz_subid_read(f, "bob", 4242, &r, &n, &err), 0, "a user without ranges");
	ok(n == 0 && r == NULL, "... has 0 ranges");
	ok(!vz_err_set(&err), "none of this set err");

	_cleanup_free_ char *missing = path_join(top, "no-such-file");
	n = 99;
	r = (void *)1;
	is_int(vz_subid_read(missing, "root", 0, &r, &n, &err), 0,
	       "a missing file is not an error");
	ok(n == 0 && r == NULL, "... and has 0 ranges");

	static const struct {
		const char *text;
		const char *what;
		unsigned line;
	} malformed[] = {
		{ "root:100000:65536\nroot:100000\n", "one colon", 2 },
		{ "root\n", "no colon", 1 },
		{ "# c\nroot:1:2:3\n", "three colons", 2 },
	};
	for (size_t i = 0; i < ELEMENTSOF(malformed); i++) {
		_cleanup_free_ char *p = write_tmp("bad", malformed[i].text);
		vz_err_clear(&err);
		n = 99;
		r = (void *)1;
		is_int(vz_subid_read(p, "root", 0, &r, &n, &err), -EINVAL, "%s: -EINVAL",
		       malformed[i].what);
		_cleanup_free_ char *want = strdup_printf(
			"%s:%u: malformed line (expected name:start:count)", p, malformed[i].line);
		is_str(err.msg, want, "%s: message names file:line", malformed[i].what);
		ok(n == 0 && r == NULL, "%s: no ranges returned", malformed[i].what);
	}
	static const struct {
		const char *text;
		const char *what;
		unsigned line;
	} badnum[] = {
		{ "root:x:65536\n", "start not a number", 1 },
		{ "a:1:1\n\nroot:100000:\n", "empty count", 3 },
		{ "root:-1:65536\n", "negative start", 1 },
		{ "root:4294967296:1\n", "start past 32 bits", 1 },
		{ "root:4294967295:1\n", "range past 32 bits", 1 },
		{ "other:100000:lots\n", "bad line of another user", 1 },
	};
	for (size_t i = 0; i < ELEMENTSOF(badnum); i++) {
		_cleanup_free_ char *p = write_tmp("bad", badnum[i].text);
		vz_err_clear(&err);
		r = NULL;
		is_int(vz_subid_read(p, "root", 0, &r, &n, &err), -EINVAL, "%s: -EINVAL",
		       badnum[i].what);
		_cleanup_free_ char *want =
			strdup_printf("%s:%u: bad start or count", p, badnum[i].line);
		is_str(err.msg, want, "%s: message names file:line", badnum[i].what);
		free(r);
	}
}

/* Does [a, a+alen) overlap [b, b+blen)? */
static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static bool inside(const struct vz_subid_range *r, size_t n, uint64_t start, uint32_t size)
{
	for (size_t i = 0; i < n; i++)
		if (start >= r[i].start && start + size <= (uint64_t)r[i].start + r[i].count)
			return true;
	return false;
}

static void test_allocate(void)
{
	vz_err err = { 0 };
	struct vz_idmap m = { 0 };
	const struct vz_subid_range one[] = { { 100000, 65536 } };

	is_int(vz_idmap_allocate(one, 1, one, 1, NULL, 0, 65536, &m, &err), 0,
	       "root:100000:65536, nothing used");
	ok(m.uid == 100000 && m.gid == 100000 && m.count == 65536,
	   "... gives exactly 100000 (a start not aligned to 65536 is fine)");

	struct vz_idmap used[200];
	used[0] = m;
	vz_err_clear(&err);
	is_int(vz_idmap_allocate(one, 1, one, 1, used, 1, 65536, &m, &err), -ENOSPC,
	       "a second container in root:100000:65536: -ENOSPC");
	ok(startswith(err.msg, "no subordinate ids left"), "... 'no subordinate ids left: ...'");
	is_str(err.msg,
	       "no subordinate ids left: no free block of 65536 uids (1 containers use ranges "
	       "already)",
	       "... the whole message");
	is_int(err.code, ENOSPC, "... err.code ENOSPC");

	vz_err_clear(&err);
	is_int(vz_idmap_allocate(NULL, 0, one, 1, NULL, 0, 65536, &m, &err), -ENOSPC,
	       "no subordinate uid ranges at all: -ENOSPC");
	ok(startswith(err.msg, "no subordinate ids left"), "... 'no subordinate ids left'");
	const struct vz_subid_range small[] = { { 100000, 65535 } };
	vz_err_clear(&err);
	is_int(vz_idmap_allocate(one, 1, small, 1, NULL, 0, 65536, &m, &err), -ENOSPC,
	       "gid range too small: -ENOSPC");
	has_str(err.msg, "gids", "... the message says gids");
	vz_err_clear(&err);
	is_int(vz_idmap_allocate(one, 1, one, 1, NULL, 0, 0, &m, &err), -EINVAL, "size 0: -EINVAL");

	/* Many in a row in one big range: each disjoint from all before. */
	const struct vz_subid_range big[] = { { 100000, 65536 * 100 } };
	size_t nused = 0;
	bool all_ok = true, disjoint = true, lowest = true;
	for (int i = 0; i < 100; i++) {
		vz_err_clear(&err);
		if (vz_idmap_allocate(big, 1, big, 1, used, nused, 65536, &m, &err) < 0) {
			all_ok = false;
			printf("# allocation %d: %s\n", i, err.msg);
			break;
		}
		if (!inside(big, 1, m.uid, m.count) || !inside(big, 1, m.gid, m.count))
			all_ok = false;
		for (size_t j = 0; j < nused; j++)
			if (overlap(m.uid, m.count, used[j].uid, used[j].count) ||
			    overlap(m.gid, m.count, used[j].gid, used[j].count))
				disjoint = false;
		if (m.uid != 100000 + 65536u * (uint32_t)i || m.gid != m.uid)
			lowest = false;
		used[nused++] = m;
	}
	ok(all_ok && nused == 100, "100 allocations in a row in a range of 100 blocks");
	ok(disjoint, "... all disjoint");
	ok(lowest, "... each the lowest free block, uid == gid");
	vz_err_clear(&err);
	is_int(vz_idmap_allocate(big, 1, big, 1, used, nused, 65536, &m, &err), -ENOSPC,
	       "the 101st: -ENOSPC");
	has_str(err.msg, "no subordinate ids left: no free block of 65536 uids (100 containers",
		"... message");

	/* A hole left by a destroyed container is reused. */
	used[41] = used[--nused];
	is_int(vz_idmap_allocate(big, 1, big, 1, used, nused, 65536, &m, &err), 0,
	       "a freed block is reused");
	is_int(m.uid, 100000 + 65536 * 41, "... the freed one");

	/* Used ranges that are not on block boundaries push to the next block. */
	const struct vz_subid_range three[] = { { 100000, 65536 * 3 } };
	used[0] = (struct vz_idmap){ 120000, 120000, 1000 };
	is_int(vz_idmap_allocate(three, 1, three, 1, used, 1, 65536, &m, &err), 0,
	       "a used range in the middle of the first block");
	ok(m.uid == 165536 && m.gid == 165536, "... the next block: 165536");
	used[0] = (struct vz_idmap){ 150000, 150000, 65536 }; /* spans blocks 0 and 1 */
	is_int(vz_idmap_allocate(three, 1, three, 1, used, 1, 65536, &m, &err), 0,
	       "a used range across two blocks");
	ok(m.uid == 231072 && m.gid == 231072, "... the third block: 231072");
	used[0] = (struct vz_idmap){ 50000, 50000, 50001 }; /* ends at 100000 inclusive */
	is_int(vz_idmap_allocate(three, 1, three, 1, used, 1, 65536, &m, &err), 0,
	       "a used range overlapping the start by one id");
	ok(m.uid == 165536, "... the next block");
	used[0] = (struct vz_idmap){ 50000, 50000, 50000 }; /* ends at 99999 */
	is_int(vz_idmap_allocate(three, 1, three, 1, used, 1, 65536, &m, &err), 0,
	       "a used range ending just before");
	ok(m.uid == 100000, "... does not matter");

	/* Smaller sizes: blocks of that size, counted from the range start. */
	used[0] = (struct vz_idmap){ 100000, 100000, 1000 };
	is_int(vz_idmap_allocate(one, 1, one, 1, used, 1, 1000, &m, &err), 0, "size 1000");
	ok(m.uid == 101000 && m.count == 1000, "... the second block of 1000");
	used[0] = (struct vz_idmap){ 100500, 100500, 10 };
	is_int(vz_idmap_allocate(one, 1, one, 1, used, 1, 1000, &m, &err), 0,
	       "size 1000, a small range used inside block 0");
	ok(m.uid == 101000, "... block 1");

	/* Several subordinate ranges. */
	const struct vz_subid_range several[] = { { 1000000, 65536 * 2 }, { 100000, 65536 } };
	size_t n2 = 0;
	uint32_t got[3] = { 0 };
	for (int i = 0; i < 3; i++) {
		if (vz_idmap_allocate(several, 2, several, 2, used + 100, n2, 65536, &m, &err) < 0)
			break;
		got[i] = m.uid;
		used[100 + n2++] = m;
	}
	ok(n2 == 3 && got[0] == 100000 && got[1] == 1000000 && got[2] == 1065536,
	   "two ranges: the lowest first, then the other range's blocks");
	is_int(vz_idmap_allocate(several, 2, several, 2, used + 100, n2, 65536, &m, &err), -ENOSPC,
	       "... then -ENOSPC");
	const struct vz_subid_range tiny_then_big[] = { { 100000, 1000 }, { 200000, 65536 } };
	is_int(vz_idmap_allocate(tiny_then_big, 2, tiny_then_big, 2, NULL, 0, 65536, &m, &err), 0,
	       "a range too small for one block is skipped");
	is_int(m.uid, 200000, "... the block is in the next range");

	/* uid == gid preferred when that number is free on both sides. */
	const struct vz_subid_range four[] = { { 100000, 65536 * 4 } };
	used[0] = (struct vz_idmap){ 100000, 231072, 65536 };
	is_int(vz_idmap_allocate(four, 1, four, 1, used, 1, 65536, &m, &err), 0,
	       "uid block 0 used, gid block 2 used");
	ok(m.uid == 165536 && m.gid == 165536, "... uid == gid = 165536, not gid 100000");
	used[0] = (struct vz_idmap){ 100000, 165536, 65536 };
	used[1] = (struct vz_idmap){ 165536, 100000, 65536 };
	is_int(vz_idmap_allocate(four, 1, four, 1, used, 2, 65536, &m, &err), 0, "crossed ranges");
	ok(m.uid == 231072 && m.gid == 231072, "... uid == gid = 231072");
	const struct vz_subid_range us[] = { { 100000, 65536 } };
	const struct vz_subid_range gs[] = { { 300000, 65536 } };
	is_int(vz_idmap_allocate(us, 1, gs, 1, NULL, 0, 65536, &m, &err), 0,
	       "disjoint uid and gid ranges");
	ok(m.uid == 100000 && m.gid == 300000, "... uid != gid when it cannot be equal");
	used[0] = (struct vz_idmap){ 500000, 100000, 65536 };
	const struct vz_subid_range u2[] = { { 100000, 65536 * 2 } };
	is_int(vz_idmap_allocate(u2, 1, u2, 1, used, 1, 65536, &m, &err), 0,
	       "gid block 0 used, uid block 1 would be free too");
	ok(m.uid == 165536 && m.gid == 165536, "... both 165536");

	/* The last ids of the 32-bit space. */
	const struct vz_subid_range top_range[] = { { UINT32_MAX - 65536, 65536 } };
	is_int(vz_idmap_allocate(top_range, 1, top_range, 1, NULL, 0, 65536, &m, &err), 0,
	       "a range ending at 4294967294");
	ok(m.uid == UINT32_MAX - 65536, "... its start");
}

int main(void)
{
	char tmpl[] = "/tmp/vz-test-idmap.XXXXXX";
	top = mkdtemp(tmpl);
	if (!top) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_read();
	test_allocate();
	ok(rm_rf(top) == 0, "temporary directory removed");
	return tap_done();
}
