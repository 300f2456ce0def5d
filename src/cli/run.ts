import { main } from './main.js';

// The process entry of `rempart` (bin/rempart.js runs the compiled copy of this file).
await main(process.argv);
