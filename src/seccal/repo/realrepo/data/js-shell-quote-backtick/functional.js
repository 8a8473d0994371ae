// quote() as the README documents it (the project's own quote tests also cover the fix).
'use strict';
const assert = require('assert');
const { quote } = require('../index.js');

assert.strictEqual(quote(['a', 'b c d', '$f', '"g"']), 'a \'b c d\' \\$f \'"g"\'');
assert.strictEqual(quote(['a', 'b', 'c d']), "a b 'c d'");
assert.strictEqual(quote(["it's"]), '"it\'s"');
assert.strictEqual(quote(['x|y', 'a&b']), 'x\\|y a\\&b');
assert.strictEqual(quote(['C:\\dir']), 'C:\\\\dir');
assert.strictEqual(quote([]), '');
