/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: start.c is being written */
