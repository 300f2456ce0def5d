#!/usr/bin/env node
// Entry point of the `rempart` command: the compiled CLI, built by `npm install` (prepare).
import '../dist/cli/run.js';
