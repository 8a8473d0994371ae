// Dotted option names must never reach a prototype, through __proto__ or constructor.
'use strict';
const parse = require('../index.js');

parse(['--_.constructor.constructor.prototype.seccalFn', 'polluted']);
parse(['--a.__proto__.seccalObj', 'polluted', '--constructor.prototype.seccalCtor', 'x']);
const hits = [];
if ((function () {}).seccalFn !== undefined) hits.push('Function.prototype');
if ({}.seccalObj !== undefined) hits.push('Object.prototype (__proto__)');
if ({}.seccalCtor !== undefined) hits.push('Object.prototype (constructor)');
if (hits.length) {
  console.error('polluted: ' + hits.join(', '));
  process.exit(1);
}
