#!/bin/sh
# SPDX-License-Identifier: MIT
# The conformance scripts tagged "// toe-pkt: long" against the engine
# (see tests/scripts/pkt-engine.sh).
exec sh "$(dirname "$0")/pkt-engine.sh" long
