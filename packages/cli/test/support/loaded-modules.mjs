// `node --import ./loaded-modules.mjs …` with CERTLAB_MODULES_LOG=FILE: every module the program
// resolves is appended to FILE, one URL per line (bin.test.ts checks which packages a command
// loads). Plain JavaScript: it is loaded before tsx.

import { register } from 'node:module';

register('./loaded-modules-hooks.mjs', import.meta.url, { data: { file: process.env.CERTLAB_MODULES_LOG } });
