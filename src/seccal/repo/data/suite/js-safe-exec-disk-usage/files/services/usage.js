'use strict';
const { execSync } = require('node:child_process');
const { runTool } = require('../lib/exec');

<<<SECCAL_REGION>>>

module.exports = { folderSizeKb };
