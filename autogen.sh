#!/bin/sh
# Regenerate configure and Makefile.in from a fresh checkout.
set -e
cd "$(dirname "$0")"
autoreconf -fi >/dev/null
