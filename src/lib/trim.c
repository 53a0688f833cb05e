/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <link.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "macro.h"
#include "trim.h"

/* Keep this much stack below the caller's frame: the epoll loop and the
 * signal and request handlers run here. */
#define STACK_KEEP (32 * 1024)
#define MAX_RANGES 64

struct ranges {
	uintptr_t page;
	size_t n;
	struct {
		uintptr_t lo, hi;
	} r[MAX_RANGES];
};

static void add_range(struct ranges *rs, uintptr_t lo, uintptr_t hi)
{
	lo = (lo + rs->page - 1) & ~(rs->page - 1);
	hi &= ~(rs->page - 1);
	if (hi > lo && rs->n < MAX_RANGES) {
		rs->r[rs->n].lo = lo;
		rs->r[rs->n].hi = hi;
		rs->n++;
	}
}

/* For every loaded object (the executable, and in a dynamic build each
 * shared library), note each PT_LOAD segment that is not writable: code,
 * read-only data, headers. Those are mapped from the file and never
 * written, so their contents come back unchanged on the next access.
 * Writable segments (data, bss, GOT, and RELRO, which the loader writes
 * before making it read-only and which lies inside the writable PT_LOAD)
 * are never touched. */
static int note_readonly_segments(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	struct ranges *rs = data;
	for (unsigned i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W) || ph->p_memsz == 0)
			continue;
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
		add_range(rs, lo, lo + ph->p_memsz);
	}
	return 0;
}

/* The [stack] mapping's low end, from /proc/self/maps; 0 if unknown. */
static uintptr_t stack_low(void)
{
	char buf[8192];
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf) - 1)
			break;
	}
	close(fd);
	buf[len] = '\0';
	char *line = strstr(buf, "[stack]");
	if (!line)
		return 0;
	while (line > buf && line[-1] != '\n')
		line--;
	return (uintptr_t)strtoull(line, NULL, 16);
}

void vz_trim_startup_memory(void)
{
	struct ranges rs = { .page = 4096 };
	long psz = sysconf(_SC_PAGESIZE);
	if (psz > 0)
		rs.page = (uintptr_t)psz;

	/* Everything that calls into other code comes first; the madvise loop
	 * at the end touches nothing but itself, so the code it drops stays
	 * dropped until something really needs it. */
	malloc_trim(0);
	dl_iterate_phdr(note_readonly_segments, &rs);
	char here;
	uintptr_t sp = (uintptr_t)&here;
	uintptr_t bottom = stack_low();
	if (bottom && sp > bottom + STACK_KEEP)
		add_range(&rs, bottom, sp - STACK_KEEP);

	for (size_t i = 0; i < rs.n; i++)
		(void)madvise((void *)rs.r[i].lo, rs.r[i].hi - rs.r[i].lo, MADV_DONTNEED);
}
