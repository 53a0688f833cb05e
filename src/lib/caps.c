/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: caps.c is being written */
