/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: config-keys.c is being written */
