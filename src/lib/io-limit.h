/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * io-limit.h: "limits.io", per-disk block I/O limits (doc/cgroups.md, I/O):
 * the libconfig list in a container's config, its one-line form for vz set
 * and vz create -c, and finding the whole disk behind each entry. Loading a
 * config only checks the syntax (it may be read on a host without the
 * device, by vz ls or after a migration); the device node is checked at
 * start, by vz set and by vz checkconfig NAME. Runs in commands and in the
 * monitor.
 *
 *   io = ( { device = "/dev/vda"; read_bps = "50M"; write_iops = 2000; } );
 *   vz set web1 io="/dev/vda:read_bps=50M,write_iops=2000 /dev/vdb:write_bps=10M"
 *   vz set web1 io+=rootfs:read_iops=500      (update one device's entry)
 */
#pragma once

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "paths.h"
#include "spec.h"

/* The device name for "the disks under the container's root filesystem". */
#define VZ_IO_ROOTFS "rootfs"
/* The smallest bandwidth limit: one page per second. */
#define VZ_IO_BPS_MIN 4096

void vz_io_list_free(struct vz_limits *lim);

/* Replace lim->io with the list s (a libconfig list of groups). On error
 * returns -EINVAL/-ERANGE and why says what, naming the element as
 * "[N].key: reason" (N from 0). */
int vz_io_list_from_config(const config_setting_t *s, struct vz_limits *lim, char *why,
			   size_t len);

/* Fill the libconfig list `list` from the one-line form: entries
 * DEVICE:KEY=VALUE[,KEY=VALUE...] separated by blanks or ';', or "" / "none"
 * for no entry. Without merge the list must be empty and gets the entries;
 * with merge (vz set io+=...) each entry updates the element of its device
 * (added if missing): a key given 0 is removed, and an element left without
 * a limit ("DEVICE:none") goes. The result is not validated: load it with
 * vz_io_list_from_config(). */
int vz_io_list_set_string(config_setting_t *list, const char *value, bool merge, char *why,
			  size_t len);

/* The whole disks the entries of lim->io stand for, as a copy of the array
 * (device strings shared with lim) with devno filled; NULL when lim has no
 * entry. A device must be a block device node of a whole disk (a partition
 * is refused, naming its disk: blk-throttle limits whole disks only);
 * "rootfs" is the disk under each layer of the container's root filesystem
 * (layers, NULL-terminated; NULL: "rootfs" entries are left unresolved, for
 * vz checkconfig FILE). err names the element: "limits.io[0].device: ...". */
int vz_io_resolve(const struct vz_limits *lim, const char *const *layers,
		  struct vz_io_limit **ret, vz_err *err);
/* The same with the layers of spec's storage (overlay: upper and lower). */
int vz_io_resolve_spec(const struct vz_global *g, const struct vz_spec *spec,
		       struct vz_io_limit **ret, vz_err *err);

/* "MAJ:MIN" of the whole disk under block device maj:min (itself, or the
 * disk of a partition) into out; *partition tells which, disk gets its name
 * ("vda"). -ENODEV if the kernel has no such block device. */
int vz_io_whole_disk(unsigned maj, unsigned min, char out[24], bool *partition, char disk[64]);
