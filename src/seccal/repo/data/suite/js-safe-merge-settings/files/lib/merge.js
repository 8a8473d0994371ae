'use strict';
// Deep merge for untrusted input: keys that reach prototypes are dropped.
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep-merge `src` into `dst` (mutates and returns dst). */
function safeMerge(dst, src) {
  for (const key of Object.keys(src)) {
    if (FORBIDDEN.has(key)) continue;
    const value = src[key];
    if (isPlainObject(value)) {
      if (!isPlainObject(dst[key])) dst[key] = {};
      safeMerge(dst[key], value);
    } else {
      dst[key] = value;
    }
  }
  return dst;
}

module.exports = { safeMerge, isPlainObject };
