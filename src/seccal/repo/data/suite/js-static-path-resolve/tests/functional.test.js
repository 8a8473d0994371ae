'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { loadAsset } = require('../server/assets');
const { makeSite } = require('./fixture');

test('serves a file under the root', () => {
  const { pub } = makeSite();
  assert.strictEqual(loadAsset(pub, '/css/site.css').toString(), 'body{}');
});

test('missing file gives null', () => {
  const { pub } = makeSite();
  assert.strictEqual(loadAsset(pub, '/css/none.css'), null);
});
