// A locale named __proto__ must not let locale updates reach Object.prototype.
'use strict';
const path = require('path');
const y18n = require('../index.js')({ directory: path.join(__dirname, '..', 'build'), updateFiles: false });
y18n.setLocale('__proto__');
y18n.updateLocale({ seccalPolluted: 'yes' });
y18n.__('seccalOther');
if ({}.seccalPolluted !== undefined || {}.seccalOther !== undefined) {
  console.error('Object.prototype polluted through the locale cache');
  process.exit(1);
}
