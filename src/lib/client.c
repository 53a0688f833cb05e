/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: client.c is being written */
