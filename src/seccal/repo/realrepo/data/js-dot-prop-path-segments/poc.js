// Paths through __proto__, constructor or prototype must not reach Object.prototype.
'use strict';
const dotProp = require('../index.js');
dotProp.set({}, '__proto__.seccalA', 'polluted');
dotProp.set({}, 'constructor.prototype.seccalB', 'polluted');
dotProp.set({}, 'a.__proto__.seccalC', 'polluted');
if ({}.seccalA !== undefined || {}.seccalB !== undefined || {}.seccalC !== undefined) {
  console.error('Object.prototype polluted');
  process.exit(1);
}
