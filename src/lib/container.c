/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: container.c is being written */
