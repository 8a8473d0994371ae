'use strict';
// Run external programs without a shell: arguments are passed as an array.
const { execFileSync } = require('node:child_process');

function runTool(cmd, args) {
  return execFileSync(cmd, args, { encoding: 'utf8', timeout: 10000 });
}

module.exports = { runTool };
