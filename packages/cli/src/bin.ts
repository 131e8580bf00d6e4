#!/usr/bin/env node
// The `certlab` executable: runs the command line and sets the exit code. It sets
// process.exitCode rather than calling process.exit so pending output is flushed first.

import { setFlagsFromString } from 'node:v8';
import { run } from './index.js';

// Every command but serve runs for a second or so, and the CA commands start the embedded
// PostgreSQL, a WebAssembly module of several megabytes: V8 compiles it with its baseline tier
// (Liftoff), then again with its optimising tier (TurboFan) on background threads, and the main
// thread ends up waiting for that, to run a handful of queries. Measured on the 2-core machine,
// `certlab ca list` took 1.45-1.67 s, 2.2-2.4 s of CPU and 252-268 MB with it, 0.99-1.11 s,
// 1.2-1.3 s of CPU and 150 MB with Liftoff alone. The code each tier makes behaves the same;
// serve, which runs for hours, keeps the optimised code. Set before anything compiles WebAssembly
// (the database drivers are loaded when a store is opened).
if (process.argv[2] !== 'serve') setFlagsFromString('--liftoff-only');

process.exitCode = await run(process.argv.slice(2));
