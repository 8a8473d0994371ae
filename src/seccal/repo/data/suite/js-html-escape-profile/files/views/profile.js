'use strict';
const { escapeHtml, page } = require('../lib/html');

<<<SECCAL_REGION>>>

function renderProfilePage(user) {
  return page(user.name, renderProfileCard(user));
}

module.exports = { renderProfileCard, renderProfilePage };
