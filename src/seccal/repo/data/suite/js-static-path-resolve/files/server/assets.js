'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { resolveInside } = require('../lib/paths');

<<<SECCAL_REGION>>>

module.exports = { loadAsset };
