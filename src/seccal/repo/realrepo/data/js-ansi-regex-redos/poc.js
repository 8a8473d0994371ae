// Matching a long malformed escape sequence must take linear time: 5 seconds in a child process
// (a regular expression cannot be interrupted from inside the process running it).
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');
const code = "require('./index.js')().test('\\u001B[' + ';'.repeat(50000) + '\\u0000')";
const r = spawnSync(process.execPath, ['-e', code], { cwd: path.join(__dirname, '..'), timeout: 5000 });
if (r.error || r.status !== 0) {
  console.error('matching backtracked for more than 5 seconds or failed: ' + (r.error || r.stderr));
  process.exit(1);
}
