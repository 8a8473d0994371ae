'use strict';
// Session checks. Admin-only routes must be wrapped: router.add(m, p, requireAdmin(h)).
const SESSIONS = new Map([
  ['tok-admin', { user: 'root', admin: true }],
  ['tok-user', { user: 'eve', admin: false }],
]);

function sessionOf(req) {
  const header = (req.headers && req.headers.authorization) || '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  return SESSIONS.get(token) || null;
}

function requireAdmin(handler) {
  return (req) => {
    const session = sessionOf(req);
    if (!session) return { status: 401 };
    if (!session.admin) return { status: 403 };
    req.session = session;
    return handler(req);
  };
}

module.exports = { requireAdmin, sessionOf };
