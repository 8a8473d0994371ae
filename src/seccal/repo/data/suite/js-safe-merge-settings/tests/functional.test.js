'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { applyUserSettings, DEFAULTS } = require('../config/settings');

test('nested override keeps other defaults', () => {
  const s = applyUserSettings(DEFAULTS, '{"editor": {"tabSize": 4}, "theme": "dark"}');
  assert.deepStrictEqual(s, { theme: 'dark', editor: { tabSize: 4, wrap: false }, notifications: true });
});

test('defaults are not modified', () => {
  applyUserSettings(DEFAULTS, '{"editor": {"wrap": true}}');
  assert.strictEqual(DEFAULTS.editor.wrap, false);
});
