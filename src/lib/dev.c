/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: dev.c is being written */
