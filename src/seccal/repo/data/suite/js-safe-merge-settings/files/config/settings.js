'use strict';
const { safeMerge, isPlainObject } = require('../lib/merge');

const DEFAULTS = { theme: 'light', editor: { tabSize: 2, wrap: false }, notifications: true };

<<<SECCAL_REGION>>>

module.exports = { applyUserSettings, DEFAULTS };
