// A section or key named __proto__ must not reach Object.prototype.
'use strict';
const ini = require('../ini.js');
ini.decode('[__proto__]\nseccalSection = polluted\n');
ini.decode('__proto__[] = polluted\n[a.__proto__]\nseccalDotted = polluted\n');
if ({}.seccalSection !== undefined || {}.seccalDotted !== undefined || Array.isArray({}.__proto__)) {
  console.error('Object.prototype polluted');
  process.exit(1);
}
