/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: config-write.c is being written */
