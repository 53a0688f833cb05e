/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: control.c is being written */
