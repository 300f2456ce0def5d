#!/usr/bin/env node
// Entry point of the `rempart` command: runs the compiled CLI (built by `npm install`).
import { main } from '../dist/cli/main.js';

await main(process.argv);
