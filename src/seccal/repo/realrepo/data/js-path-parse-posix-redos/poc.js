// Parsing a long path of repeated slashes and dots must take linear time (5 s in a child process).
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');
const code = "require('./index.js').posix('/a' + '/'.repeat(50000) + '\\u0000')";
const r = spawnSync(process.execPath, ['-e', code], { cwd: path.join(__dirname, '..'), timeout: 5000 });
if (r.error || r.signal) {
  console.error('parse took more than 5 seconds: ' + (r.error || r.signal));
  process.exit(1);
}
