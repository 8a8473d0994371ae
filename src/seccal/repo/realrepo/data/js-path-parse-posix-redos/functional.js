'use strict';
const assert = require('assert');
const parse = require('../index.js').posix;
const cases = ['/home/user/dir/file.txt', 'file.txt', '.bashrc', 'a/b.c.d', '../x.js', '/a//b///c.tar.gz', 'x/.hidden'];
for (const p of cases) {
  assert.deepStrictEqual(parse(p), path_parse(p), p);
}
function path_parse(p) {
  return require('path').posix.parse(p);
}
assert.throws(() => parse(42), TypeError);
