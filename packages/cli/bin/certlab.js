#!/usr/bin/env node
// The `certlab` executable that npm links (node_modules/.bin/certlab, `npx certlab`). It is a
// committed file, not dist/bin.js itself: npm links a workspace's executables while it installs,
// before the root's prepare script has built dist/, and it skips a link whose target does not
// exist yet, so a clone's first `npm install` or `npm ci` left `npx certlab` "not found".

try {
  await import('../dist/bin.js');
} catch (e) {
  // Not built (dist/ removed, or an install run with --ignore-scripts): say what to run.
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && /[\\/]dist[\\/]bin\.js/.test(String(e.message))) {
    process.stderr.write(
      'certlab: the command line is not built: run `npm run build` in the certlab checkout.\n',
    );
    process.exitCode = 2;
  } else throw e;
}
