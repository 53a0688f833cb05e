/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: idmap.c is being written */
