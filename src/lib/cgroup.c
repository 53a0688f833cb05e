/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: cgroup.c is being written */
