/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-strv: string vectors.
 */
#include "strv.h"
#include "tap.h"

int main(void)
{
	char **l = NULL;
	is_int(strv_length(l), 0, "NULL has length 0");
	ok(strv_push(&l, "a") == 0 && strv_push(&l, "b") == 0 && strv_consume(&l, strdup("c")) == 0,
	   "push and consume");
	is_int(strv_length(l), 3, "three entries");
	ok(l[3] == NULL, "NULL-terminated");
	ok(strv_contains(l, "b") && !strv_contains(l, "d"), "contains");
	_cleanup_free_ char *j = strv_join(l, ", ");
	is_str(j, "a, b, c", "join");
	char **c = strv_copy(l);
	ok(c && c != l && strv_length(c) == 3 && streq(c[2], "c") && c[0] != l[0], "copy is deep");
	strv_free(c);
	strv_free(l);
	l = NULL;
	is_int(strv_consume(&l, NULL), -ENOMEM, "consume(NULL) is -ENOMEM");
	ok(l == NULL, "... and changes nothing");

	l = strv_split(",a,,b c,", ", ");
	ok(l && strv_length(l) == 3 && streq(l[0], "a") && streq(l[1], "b") && streq(l[2], "c"),
	   "split drops empty fields");
	strv_free(l);
	l = strv_split("", ",");
	ok(l && strv_length(l) == 0, "split of '' is empty, not NULL");
	_cleanup_free_ char *e = strv_join(l, ",");
	is_str(e, "", "join of an empty list");
	strv_free(l);

	l = NULL;
	strv_push(&l, "PATH=/bin");
	strv_push(&l, "HOME=/root");
	strv_push(&l, "HOMEDIR=/x");
	is_int(strv_env_find(l, "HOME=/y"), 1, "env_find matches the key only");
	is_int(strv_env_find(l, "HOMED"), -ENOENT, "env_find needs the whole key");
	is_int(strv_env_find(l, "PATH"), 0, "env_find by bare key");
	ok(strv_env_set(&l, "HOME=/new") == 0 && streq(l[1], "HOME=/new") && strv_length(l) == 3,
	   "env_set replaces");
	ok(strv_env_set(&l, "NEW=1") == 0 && strv_length(l) == 4, "env_set appends");
	ok(streq(l[2], "HOMEDIR=/x"), "a longer key with the same prefix is untouched");
	strv_free(l);
	strv_free(NULL);
	return tap_done();
}
