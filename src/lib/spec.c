/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: spec.c is being written */
