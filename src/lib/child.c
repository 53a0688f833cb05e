/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: child.c is being written */
