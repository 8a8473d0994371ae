// A "__proto__" member in the text must stay data: it must not become the parsed object's prototype.
'use strict';
const JSON5 = require('../lib/index.js');
for (const text of ['{"__proto__": {"isAdmin": true}}', "{a: [{__proto__: {isAdmin: true}}]}"]) {
  const r = JSON5.parse(text);
  const obj = r.a ? r.a[0] : r;
  if (obj.isAdmin === true || Object.getPrototypeOf(obj) !== Object.prototype) {
    console.error('parsed object got an attacker-chosen prototype: ' + text);
    process.exit(1);
  }
}
