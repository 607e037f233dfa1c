// SPDX-License-Identifier: MIT
//
// toe_tcb_width.vh - the width of one TCB word (see toe_tcb_layout.vh for
// the fields), as a macro so that port lists can use it. Include it before
// `module`; toe_tcb_layout.vh checks that its field list adds up to it.

`ifndef TOE_TCB_WIDTH_VH
`define TOE_TCB_WIDTH_VH
`define TOE_TCB_W 713
`endif
