/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: template.c is being written */
