// A quoted argument must reach the shell as one literal word: a backtick after a
// letter-like character and a colon must not open a command substitution.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { quote } = require('../index.js');

const marker = path.join(__dirname, '..', 'build', 'pwned');
const payloads = ['`:`touch${IFS}build/pwned`:`', 'a_`:`id`:`', '^:`echo${IFS}hi`'];
for (const p of payloads) {
  let out;
  try {
    out = execFileSync('sh', ['-c', 'printf %s ' + quote([p])], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch (e) {
    out = '<shell error: ' + e.status + '>';
  }
  if (fs.existsSync(marker) || out !== p) {
    console.error('payload ' + JSON.stringify(p) + ' reached the shell as ' + JSON.stringify(out));
    process.exit(1);
  }
}
