'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { Router } = require('../lib/router');
const { registerAdminRoutes } = require('../routes/admin');

function setup() {
  const users = new Map([['7', { name: 'bob' }]]);
  const router = new Router();
  registerAdminRoutes(router, users);
  return { users, router };
}

const admin = { authorization: 'Bearer tok-admin' };

test('admin deletes a user', () => {
  const { users, router } = setup();
  const res = router.handle({ method: 'DELETE', path: '/admin/users/7', headers: admin });
  assert.strictEqual(res.status, 204);
  assert.ok(!users.has('7'));
});

test('unknown user is 404', () => {
  const { router } = setup();
  const res = router.handle({ method: 'DELETE', path: '/admin/users/9', headers: admin });
  assert.strictEqual(res.status, 404);
});
