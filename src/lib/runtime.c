/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: runtime.c is being written */
