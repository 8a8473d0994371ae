'use strict';
const http = require('node:http');
const { loadAsset } = require('./assets');

function createServer(root) {
  return http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const body = loadAsset(root, urlPath);
    if (body === null) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    res.writeHead(200);
    res.end(body);
  });
}

module.exports = { createServer };
