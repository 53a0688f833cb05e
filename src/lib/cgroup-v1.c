/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: cgroup-v1.c is being written */
