/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: cgroup-v2.c is being written */
