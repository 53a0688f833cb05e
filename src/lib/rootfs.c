/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: rootfs.c is being written */
