/* SPDX-License-Identifier: MIT */
/* Assignments of registrations to vehicle seats, and the matching input. */
#include "store/internal.h"
#include "store/transport.h"
