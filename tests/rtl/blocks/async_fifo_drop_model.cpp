// SPDX-License-Identifier: MIT
//
// async_fifo_drop_model.cpp - the fpga_async_fifo wrapper compiled against
// the model Verilated with DROP 1 (its own object, its own
// Vfpga_async_fifo.h).
#include "async_fifo_model.cpp"
