/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: sync.c is being written */
