/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * strv.c: NULL-terminated string vectors. Pure memory helpers, no I/O.
 */
#include <stdio.h>

#include "strv.h"

void strv_free(char **l)
{
	if (!l)
		return;
	for (char **p = l; *p; p++)
		free(*p);
	free(l);
}

size_t strv_length(char *const *l)
{
	size_t n = 0;
	while (l && l[n])
		n++;
	return n;
}

int strv_consume(char ***l, char *s)
{
	if (!s)
		return -ENOMEM;
	size_t n = strv_length(*l);
	char **nl = realloc(*l, (n + 2) * sizeof(char *));
	if (!nl) {
		free(s);
		return -ENOMEM;
	}
	nl[n] = s;
	nl[n + 1] = NULL;
	*l = nl;
	return 0;
}

int strv_push(char ***l, const char *s) { return strv_consume(l, strdup(s)); }

char **strv_copy(char *const *l)
{
	char **r = calloc(1, sizeof(char *));
	if (!r)
		return NULL;
	STRV_FOREACH (s, l)
		if (strv_push(&r, *s) < 0) {
			strv_free(r);
			return NULL;
		}
	return r;
}

bool strv_contains(char *const *l, const char *s)
{
	STRV_FOREACH (p, l)
		if (streq(*p, s))
			return true;
	return false;
}

int strv_env_find(char *const *l, const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
	for (size_t i = 0; l && l[i]; i++)
		if (strncmp(l[i], kv, klen) == 0 && (l[i][klen] == '=' || l[i][klen] == 0))
			return (int)i;
	return -ENOENT;
}

int strv_env_set(char ***l, const char *kv)
{
	int i = strv_env_find(*l, kv);
	if (i < 0)
		return strv_push(l, kv);
	char *c = strdup(kv);
	if (!c)
		return -ENOMEM;
	free((*l)[i]);
	(*l)[i] = c;
	return 0;
}

char **strv_split(const char *s, const char *seps)
{
	char **r = calloc(1, sizeof(char *));
	if (!r)
		return NULL;
	while (*s) {
		size_t n = strcspn(s, seps);
		if (n > 0 && strv_consume(&r, strndup(s, n)) < 0) {
			strv_free(r);
			return NULL;
		}
		s += n;
		if (*s)
			s++;
	}
	return r;
}

char *strv_join(char *const *l, const char *sep)
{
	size_t len = 1, slen = strlen(sep);
	STRV_FOREACH (s, l)
		len += strlen(*s) + slen;
	char *r = malloc(len), *p = r;
	if (!r)
		return NULL;
	*p = 0;
	STRV_FOREACH (s, l) {
		if (p != r)
			p = stpcpy(p, sep);
		p = stpcpy(p, *s);
	}
	return r;
}
