/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#ifndef MEFW_VERSION_STRING
#define MEFW_VERSION_STRING "0.1.0"
#endif

int cmd_analyze(int argc, char **argv);
