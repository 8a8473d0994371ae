'use strict';
// A minimal router: handlers take (req) and return { status, body }.
class Router {
  constructor() {
    this.routes = [];
  }

  add(method, pattern, handler) {
    const keys = [];
    const re = new RegExp('^' + pattern.replace(/:(\w+)/g, (_, k) => {
      keys.push(k);
      return '([^/]+)';
    }) + '$');
    this.routes.push({ method, re, keys, handler });
  }

  handle(req) {
    for (const r of this.routes) {
      const m = r.method === req.method && r.re.exec(req.path);
      if (m) {
        req.params = Object.fromEntries(r.keys.map((k, i) => [k, m[i + 1]]));
        return r.handler(req);
      }
    }
    return { status: 404 };
  }
}

module.exports = { Router };
