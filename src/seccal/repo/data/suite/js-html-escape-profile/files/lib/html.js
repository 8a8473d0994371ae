'use strict';
// HTML helpers shared by all views.
const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape a value for use in HTML text or a quoted attribute. */
function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function page(title, body) {
  return `<!doctype html><title>${escapeHtml(title)}</title>${body}`;
}

module.exports = { escapeHtml, page };
