/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: monitor.c is being written */
