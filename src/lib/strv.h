/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * strv.h: NULL-terminated string vectors (argv, env, key lists).
 */
#pragma once

#include <stddef.h>

#include "macro.h"

void strv_free(char **l);
static inline void strv_freep(char ***l) { strv_free(*l); }
#define _cleanup_strv_free_ _cleanup_(strv_freep)

size_t strv_length(char *const *l);
/* Append a copy of s; -ENOMEM on failure (l unchanged). */
int strv_push(char ***l, const char *s);
/* Append s, taking ownership of it (freed on failure). */
int strv_consume(char ***l, char *s);
char **strv_copy(char *const *l);
bool strv_contains(char *const *l, const char *s);
/* For "KEY=VALUE" lists: index of the entry whose key equals that of kv. */
int strv_env_find(char *const *l, const char *kv);
/* Set "KEY=VALUE", replacing an existing KEY. */
int strv_env_set(char ***l, const char *kv);
/* Split s at any character of seps, dropping empty fields. */
char **strv_split(const char *s, const char *seps);
/* Join with sep; returns malloc'ed string or NULL. */
char *strv_join(char *const *l, const char *sep);

#define STRV_FOREACH(s, l) for (char *const *s = (l); s && *s; s++)
