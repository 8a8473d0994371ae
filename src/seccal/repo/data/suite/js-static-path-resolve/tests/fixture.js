'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function makeSite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-'));
  const pub = path.join(dir, 'public');
  fs.mkdirSync(path.join(pub, 'css'), { recursive: true });
  fs.writeFileSync(path.join(pub, 'css', 'site.css'), 'body{}');
  fs.writeFileSync(path.join(dir, '.env'), 'SESSION_SECRET=s3cr3t');
  return { dir, pub };
}

module.exports = { makeSite };
