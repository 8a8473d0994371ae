// A dotted path through __proto__, constructor or prototype must not reach Object.prototype.
'use strict';
const set = require('../index.js');
set({}, '__proto__.seccalA', 'polluted');
set({}, 'constructor.prototype.seccalB', 'polluted');
set({}, 'a.__proto__.seccalC', 'polluted');
if ({}.seccalA !== undefined || {}.seccalB !== undefined || {}.seccalC !== undefined) {
  console.error('Object.prototype polluted');
  process.exit(1);
}
