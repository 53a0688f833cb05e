/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: parse-util.c is being written */
