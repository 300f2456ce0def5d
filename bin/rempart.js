#!/usr/bin/env -S node --max-old-space-size=192
// Entry point of the `rempart` command: the compiled CLI, built by `npm install` (prepare).
// Loads stream with a bounded working set, but V8 lets garbage pile up to a quarter of
// the machine's memory before collecting it: the heap is capped so that memory stays flat.
import '../dist/cli/run.js';
