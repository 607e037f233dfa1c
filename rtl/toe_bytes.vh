// SPDX-License-Identifier: MIT
//
// toe_bytes.vh - byte helpers of the 64-bit AXI4-Stream beat, written
// once for every block that needs them (the C side's counterpart is
// host/common/toe_bytes.h). Include inside a module body.
//
// A beat carries frame byte i in data[8i +: 8] (byte 0 in bits 7:0);
// tkeep is contiguous from bit 0.

// Byte i of a beat (frame order) to big-endian word order and back:
// byte-reverse a 64-bit word.
function [63:0] bswap64(input [63:0] x);
    integer i;
    begin
        for (i = 0; i < 8; i = i + 1)
            bswap64[8*i +: 8] = x[56-8*i +: 8];
    end
endfunction

// number of valid bytes in a beat (tkeep contiguous from bit 0)
function [3:0] keep_bytes(input [7:0] k);
    integer i;
    begin
        keep_bytes = 4'd0;
        for (i = 0; i < 8; i = i + 1)
            keep_bytes = keep_bytes + {3'd0, k[i]};
    end
endfunction
