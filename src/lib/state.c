/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: state.c is being written */
