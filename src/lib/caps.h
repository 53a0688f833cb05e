/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * caps.h: the container's capability bounding set. caps.drop in the config
 * lists capabilities removed from the bounding set of init and of every
 * attached process (libcap). Runs in the container child and in vz attach.
 */
#pragma once

#include <stdint.h>

#include "err.h"

/* Bit n set = capability n kept, for every capability this kernel has. */
uint64_t caps_kept_mask(uint64_t drop);
/* Drop from the bounding set every capability not in keep, and clear the
 * ambient set. */
int caps_limit_bounding(uint64_t keep, vz_err *err);
