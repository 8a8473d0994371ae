'use strict';
const { requireAdmin } = require('../lib/auth');

<<<SECCAL_REGION>>>

module.exports = { registerAdminRoutes };
