'use strict';
const assert = require('assert');
const ansiRegex = require('../index.js');
assert.strictEqual(ansiRegex().test('\u001B[4mcake\u001B[0m'), true);
assert.strictEqual(ansiRegex().test('cake'), false);
assert.deepStrictEqual('\u001B[4mcake\u001B[0m'.match(ansiRegex()), ['\u001B[4m', '\u001B[0m']);
assert.deepStrictEqual(['\u001B[4mcake\u001B[0m'.match(ansiRegex({ onlyFirst: true }))[0]], ['\u001B[4m']);
assert.deepStrictEqual('\u001B]8;;https://github.com\u0007click\u001B]8;;\u0007'.match(ansiRegex()), ['\u001B]8;;https://github.com\u0007', '\u001B]8;;\u0007']);
assert.strictEqual('\u001B[31mred\u001B[39m and \u001B[1mbold\u001B[22m'.replace(ansiRegex(), ''), 'red and bold');
