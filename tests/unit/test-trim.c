/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-trim: vz_trim_startup_memory() gives back start-up pages and the
 * program is unchanged afterwards: read-only data reads back the same,
 * writable and relocated data keep what the program stored, code runs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "tap.h"
#include "trim.h"

/* 512 KiB of read-only data with a known pattern: touching it all makes the
 * process's file-backed RSS grow by that much. */
#define BIG (512 * 1024)
#define PATTERN(i) ((unsigned char)((i) * 7 + 3))
#define R4(i) PATTERN(i), PATTERN(i + 1), PATTERN(i + 2), PATTERN(i + 3)
#define R16(i) R4(i), R4(i + 4), R4(i + 8), R4(i + 12)
#define R64(i) R16(i), R16(i + 16), R16(i + 32), R16(i + 48)
#define R256(i) R64(i), R64(i + 64), R64(i + 128), R64(i + 192)
static const unsigned char block[256] = { R256(0) };
/* Far more than fits in one fault-around window, and in .rodata. */
static const unsigned char big[BIG / 256][256] = {
#define B1 { R256(0) }
#define B4 B1, B1, B1, B1
#define B16 B4, B4, B4, B4
#define B64 B16, B16, B16, B16
#define B256 B64, B64, B64, B64
#define B1024 B256, B256, B256, B256
	B1024, B1024
};

/* Relocated (RELRO in a PIE build) and writable data. */
static const char *const names[] = { "alpha", "beta", "gamma" };
static int counter = 41;
static int (*fn)(int);

static int twice(int x)
{
	return 2 * x;
}

static long rss_kib(const char *field)
{
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return -1;
	char line[256];
	long v = -1;
	size_t n = strlen(field);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

static unsigned long checksum(void)
{
	unsigned long s = 0;
	for (size_t i = 0; i < ELEMENTSOF(big); i++)
		for (size_t j = 0; j < 256; j++)
			s = s * 31 + big[i][j];
	return s;
}

static bool big_matches(void)
{
	for (size_t i = 0; i < ELEMENTSOF(big); i++)
		if (memcmp(big[i], block, sizeof(block)) != 0)
			return false;
	return true;
}

int main(void)
{
	counter++;
	fn = twice;
	char *heap = strdup("on the heap");

	unsigned long before_sum = checksum(); /* faults in all of big */
	long before = rss_kib("RssFile");
	ok(before >= BIG / 1024, "touching 512 KiB of read-only data maps it (RssFile %ld KiB)", before);

	vz_trim_startup_memory();
	long after = rss_kib("RssFile");
	ok(after >= 0 && after <= before - BIG / 1024,
	   "trim drops at least those 512 KiB (RssFile %ld -> %ld KiB)", before, after);

	ok(big_matches() && checksum() == before_sum, "read-only data reads back unchanged");
	ok(counter == 42, "a written global keeps its value");
	ok(fn && fn(21) == 42, "a stored function pointer still calls the right code");
	ok(streq(names[1], "beta") && streq(names[2], "gamma"), "relocated pointers are intact");
	is_str(heap, "on the heap", "heap data is intact");
	free(heap);

	vz_trim_startup_memory();
	ok(counter == 42 && big_matches(), "trimming twice is harmless");
	return tap_done();
}
