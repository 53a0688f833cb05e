/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: config.c is being written */
