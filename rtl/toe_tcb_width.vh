// SPDX-License-Identifier: MIT
//
// toe_tcb_width.vh - the width of one TCB word (see toe_tcb_layout.vh for
// the fields), as a macro so that port lists can use it. Include it before
// `module`; toe_tcb_layout.vh checks that its field list adds up to it.
//
// TOE_TCB_W is the whole TCB as toe_tcp_fsm sees it; TOE_TCB_RAM_W the part
// of it the TCB RAM stores (all but the timer kind and the deadline, which
// only the timer shadow RAM holds; toe_tcb_layout.vh, "Where the fields
// live").

`ifndef TOE_TCB_WIDTH_VH
`define TOE_TCB_WIDTH_VH
`define TOE_TCB_W 625
`define TOE_TCB_RAM_W 583
`endif
