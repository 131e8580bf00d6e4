#!/usr/bin/env node
// The `certlab` executable: runs the command line and sets the exit code. It sets
// process.exitCode rather than calling process.exit so pending output is flushed first.

import { run } from './index.js';

process.exitCode = await run(process.argv.slice(2));
