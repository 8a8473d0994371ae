'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { folderSizeKb } = require('../services/usage');

test('reports a size in KB', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'du-'));
  fs.writeFileSync(path.join(dir, 'blob'), Buffer.alloc(64 * 1024, 1));
  const kb = folderSizeKb(dir);
  assert.ok(Number.isInteger(kb) && kb >= 60, `got ${kb}`);
});
