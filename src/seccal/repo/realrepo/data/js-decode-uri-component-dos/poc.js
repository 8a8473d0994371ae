// Malformed escapes must be decoded best-effort, never crash the caller.
'use strict';
const decode = require('../index.js');
for (const input of ['%ea%ba%5a%ba', '%E0%A4%A', '%ab%cd%ef%', 'x%ea%ba%5a%ba%ea%ba%5a%ba']) {
  try {
    decode(input);
  } catch (e) {
    console.error('decode(' + JSON.stringify(input) + ') threw ' + e);
    process.exit(1);
  }
}
