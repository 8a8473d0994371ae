'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { renderProfileCard } = require('../views/profile');

test('renders plain values', () => {
  const html = renderProfileCard({ name: 'Ada', bio: 'Engines', handle: 'ada' });
  assert.strictEqual(html, '<div class="card"><h2>Ada</h2><p>Engines</p><a href="/u/ada">profile</a></div>');
});
