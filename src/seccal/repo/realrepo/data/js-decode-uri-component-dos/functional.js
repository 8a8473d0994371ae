'use strict';
const assert = require('assert');
const decode = require('../index.js');
assert.strictEqual(decode('test'), 'test');

assert.strictEqual(decode('a%20b'), 'a b');
assert.strictEqual(decode('st%C3%A5le'), 'ståle');
assert.strictEqual(decode('%st%C3%A5le%'), '%ståle%');
assert.strictEqual(decode('%%7Bst%C3%A5le%7D%'), '%{ståle}%');
assert.strictEqual(decode('%7B%ab%%7C%de%%7D'), '{%ab%|%de%}');
assert.strictEqual(decode('%FE%FF'), '\uFFFD\uFFFD');
assert.strictEqual(decode('%C2'), '\uFFFD');
assert.strictEqual(decode('%C2%B5'), 'µ');
