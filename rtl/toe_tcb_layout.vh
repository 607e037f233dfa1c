// SPDX-License-Identifier: MIT
//
// toe_tcb_layout.vh - the transmission control block as one block-RAM word:
// field offsets (LSB first) and widths, shared by toe_tcp_fsm (which reads
// and writes the fields) and toe_tcb_core (which stores the word, scans its
// timer and reads it out). Include inside a module body.
//
//   field       bits  meaning (reference stack: struct tcb in tcp_ref.c)
//   state         4   enum toe_tcp_state; CLOSED (0) = id free
//   tmr           2   timer kind: 0 none, 1 retransmission, 2 TIME-WAIT
//   passive       1   created by a listener
//   cbu           1   closed_by_user: close() called
//   wr_shut       1   our FIN is sent (shutdown or close)
//   lport        16   local port      } the 64-bit lookup key,
//   rip          32   remote IP       } {rport, rip, lport} from bit
//   rport        16   remote port     } TCB_KEY up
//   rmac         48   remote (next-hop) MAC, learned at creation
//   iss, irs     32   initial send / receive sequence numbers
//   snd_una      32   SND.UNA
//   snd_nxt      32   SND.NXT
//   snd_wnd      16   SND.WND (no window scaling)
//   max_wnd      16   MAX.SND.WND (RFC 5961 5.2)
//   wl1, wl2     32   SND.WL1, SND.WL2 (window update rule)
//   rcv_nxt      32   RCV.NXT
//   peer_mss     16   the peer's MSS (536 if absent)
//   deadline     40   timer deadline, ticks modulo 2^40 (TOE_CFG_TIME_BITS)
//   rto          40   current retransmission timeout, ticks (at most
//                     RTO_MAX < 2^39, so TOE_CFG_TIME_BITS hold it exactly)
//   first        40   when the current SYN / SYN-ACK / FIN was first sent,
//                     ticks modulo 2^40
//   retrans      32   retransmissions of it
//   ca_start     64   challenge-ACK window start (RFC 5961 section 7)
//   ca_count     16   challenge ACKs sent in that window (at most
//                     CHALLENGE_ACK_LIMIT <= TOE_CFG_CA_LIMIT_MAX)
//
// The two 40-bit stamps are exact: the reference keeps 64-bit times, but
// every duration is below 2^39 ticks (TOE_CFG_TIME_BITS, checked by the
// reference stack and the host library), so a deadline is never more than
// 2^39 ticks ahead of `now` while its timer runs, a due timer fires within
// a scan of its deadline, and deadline - first (the retransmission time so
// far, below a give-up plus RTO_MAX) is below 2^40: each comparison
// toe_tcp_fsm and the scanner make on the truncated stamps (as modular
// differences) has the same result as the reference's on 64-bit times.

/* verilator lint_off UNUSEDPARAM */
// width of the timer stamps (deadline, first)
localparam integer TCB_TIME_W   = {16'd0, TOE_CFG_TIME_BITS};
localparam integer TCB_STATE    = 0;
localparam integer TCB_TMR      = TCB_STATE + 4;
localparam integer TCB_PASSIVE  = TCB_TMR + 2;
localparam integer TCB_CBU      = TCB_PASSIVE + 1;
localparam integer TCB_WR_SHUT  = TCB_CBU + 1;
localparam integer TCB_KEY      = TCB_WR_SHUT + 1;
localparam integer TCB_LPORT    = TCB_KEY;
localparam integer TCB_RIP      = TCB_LPORT + 16;
localparam integer TCB_RPORT    = TCB_RIP + 32;
localparam integer TCB_RMAC     = TCB_RPORT + 16;
localparam integer TCB_ISS      = TCB_RMAC + 48;
localparam integer TCB_IRS      = TCB_ISS + 32;
localparam integer TCB_SND_UNA  = TCB_IRS + 32;
localparam integer TCB_SND_NXT  = TCB_SND_UNA + 32;
localparam integer TCB_SND_WND  = TCB_SND_NXT + 32;
localparam integer TCB_MAX_WND  = TCB_SND_WND + 16;
localparam integer TCB_WL1      = TCB_MAX_WND + 16;
localparam integer TCB_WL2      = TCB_WL1 + 32;
localparam integer TCB_RCV_NXT  = TCB_WL2 + 32;
localparam integer TCB_PEER_MSS = TCB_RCV_NXT + 32;
localparam integer TCB_DEADLINE = TCB_PEER_MSS + 16;
localparam integer TCB_RTO      = TCB_DEADLINE + TCB_TIME_W;
localparam integer TCB_FIRST    = TCB_RTO + TCB_TIME_W;
localparam integer TCB_RETRANS  = TCB_FIRST + TCB_TIME_W;
localparam integer TCB_CA_START = TCB_RETRANS + 32;
localparam integer TCB_CA_COUNT = TCB_CA_START + 64;
// width of the whole word (= `TOE_TCB_W, checked below)
localparam integer TCB_W        = TCB_CA_COUNT + 16;

// timer kinds
localparam [1:0] TMR_NONE = 2'd0;
localparam [1:0] TMR_RTX  = 2'd1;
localparam [1:0] TMR_2MSL = 2'd2;
/* verilator lint_on UNUSEDPARAM */

initial begin
    if (TCB_W != `TOE_TCB_W) begin
        $error("%m: toe_tcb_layout.vh fields add up to %0d bits, toe_tcb_width.vh says %0d",
               TCB_W, `TOE_TCB_W);
        $finish;
    end
    if (TCB_W - 2 - TCB_TIME_W != `TOE_TCB_RAM_W || TCB_TMR != 4) begin
        $error("%m: TOE_TCB_RAM_W (%0d) must be the TCB less timer kind and deadline (%0d)",
               `TOE_TCB_RAM_W, TCB_W - 2 - TCB_TIME_W);
        $finish;
    end
end

// Where the fields live. toe_tcb_core keeps a TCB in two block RAMs that it
// reads and writes together (same port, same address, same cycle):
//   TCB RAM       every field but the timer kind and the deadline
//                 (`TOE_TCB_RAM_W bits: the word with those two cut out)
//   timer shadow  {deadline, timer kind, state}: what the timer scanner
//                 reads on its own port (state is in both)
// so the 42 bits of timer the scanner needs are stored once. tcb_ram_word cuts a
// TCB down to its TCB RAM word, tcb_join puts one back together.
/* verilator lint_off UNUSEDSIGNAL */
function [`TOE_TCB_RAM_W-1:0] tcb_ram_word(input [`TOE_TCB_W-1:0] w);
    tcb_ram_word = {w[TCB_W-1:TCB_DEADLINE + TCB_TIME_W], w[TCB_DEADLINE-1:TCB_TMR + 2],
                    w[TCB_TMR-1:0]};
endfunction
/* verilator lint_on UNUSEDSIGNAL */

function [`TOE_TCB_W-1:0] tcb_join(input [`TOE_TCB_RAM_W-1:0] r, input [1:0] tmr,
                                   input [TCB_TIME_W-1:0] deadline);
    tcb_join = {r[`TOE_TCB_RAM_W-1:TCB_DEADLINE - 2], deadline,
                r[TCB_DEADLINE-3:TCB_TMR], tmr, r[TCB_TMR-1:0]};
endfunction

// Jobs of the connection core: what a toe_tcp_fsm step works on. A job is
// one segment, one expired timer or one user command; it takes one step,
// or several when a step asks for another (a due timer fired first, or a
// TIME-WAIT ended by a SYN that then opens a new connection).
/* verilator lint_off UNUSEDPARAM */
localparam [2:0] JOB_SEG     = 3'd0; // a received segment
localparam [2:0] JOB_TMR     = 3'd1; // the scanner found this TCB's timer due
localparam [2:0] JOB_CONNECT = 3'd2; // active open
localparam [2:0] JOB_CLOSE   = 3'd3; // close()
localparam [2:0] JOB_SHUT    = 3'd4; // shutdown(SHUT_WR)
localparam [2:0] JOB_ABORT   = 3'd5; // abort (SO_LINGER 0)
localparam [2:0] JOB_FIXTURE = 3'd6; // create a TCB in a given state (tests)
/* verilator lint_on UNUSEDPARAM */
