/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * trim.h: give back the memory a long-lived process touched only while
 * starting up. The monitor runs for the container's whole life but does
 * almost all of its work (config parsing, mounts, cgroups, formatting) in
 * its first milliseconds; afterwards it sits in epoll_wait. Without this,
 * every page of code and stack that start-up touched stays mapped and is
 * counted in the monitor's RSS for days.
 */
#pragma once

/* Drop start-up pages: unmap the executable's read-only code pages from the
 * page tables (they stay in the page cache, shared with every other
 * monitor, and fault back in on use), free the untouched depth of the
 * stack below the caller's frame, and return free heap to the kernel.
 * Best effort: never fails, never changes program state. */
void vz_trim_startup_memory(void);
