/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: enums.c is being written */
