/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: lock.c is being written */
