// With allowPrototypes (as Express's extended parser sets it), a __proto__ key
// must not swap a parsed object's prototype for attacker data.
'use strict';
const qs = require('../lib/index.js');

const parsed = qs.parse('a[__proto__]=b&a[__proto__]&a[length]=5', { allowPrototypes: true });
const proto = Object.getPrototypeOf(parsed.a);
if (proto !== Object.prototype && proto !== null) {
  console.error('prototype of a replaced by ' + JSON.stringify(proto));
  process.exit(1);
}
