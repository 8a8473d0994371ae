'use strict';
const assert = require('assert');
const set = require('../index.js');
assert.deepStrictEqual(set({}, 'a.b.c', 'd'), { a: { b: { c: 'd' } } });
assert.deepStrictEqual(set({ a: { x: 1 } }, 'a.y', 2), { a: { x: 1, y: 2 } });
assert.deepStrictEqual(set({}, 'a\\.b', 1), { 'a.b': 1 });
assert.deepStrictEqual(set({ a: { b: { c: 1 } } }, 'a.b', { d: 2 }), { a: { b: { c: 1, d: 2 } } });
assert.deepStrictEqual(set({}, 'top', 1), { top: 1 });
