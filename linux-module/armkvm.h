/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armkvm host module: declarations shared by its files.
 *
 * Copyright (c) 2026 The armkvm developers
 */
#ifndef ARMKVM_H
#define ARMKVM_H

int armkvm_check_host(void);

#endif
