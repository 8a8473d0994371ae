'use strict';
// Path helpers. Anything derived from a request must go through resolveInside.
const path = require('node:path');

/**
 * Absolute path of `p` inside `root`, or null if it would leave `root`.
 */
function resolveInside(root, p) {
  const base = path.resolve(root);
  const full = path.resolve(base, '.' + path.posix.normalize('/' + p));
  if (full !== base && !full.startsWith(base + path.sep)) {
    return null;
  }
  return full;
}

module.exports = { resolveInside };
