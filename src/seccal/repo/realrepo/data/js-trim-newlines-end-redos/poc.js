// Trimming trailing newlines from a long string with inner newlines must take linear time.
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');
const code = "require('./index.js').end('a' + '\\n'.repeat(200000) + 'a')";
const r = spawnSync(process.execPath, ['-e', code], { cwd: path.join(__dirname, '..'), timeout: 5000 });
if (r.error || r.status !== 0) {
  console.error('trimming took more than 5 seconds or failed: ' + (r.error || r.stderr));
  process.exit(1);
}
