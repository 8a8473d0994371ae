// Finding the parent of a long enclosure-like glob must take linear time.
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');
const code = "require('./index.js')('{' + '/'.repeat(50000))";
const r = spawnSync(process.execPath, ['-e', code], { cwd: path.join(__dirname, '..'), timeout: 5000, env: process.env });
if (r.error || r.status !== 0) {
  console.error('globParent took more than 5 seconds or failed: ' + (r.error || r.stderr));
  process.exit(1);
}
