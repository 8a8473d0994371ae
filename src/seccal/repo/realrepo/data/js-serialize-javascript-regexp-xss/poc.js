// Serialised output goes into <script> tags: a regexp's source must not close the tag.
'use strict';
const serialize = require('../index.js');
const out = serialize({ re: /[</script><script>alert(1)//]/, n: [/<\/script>/g] });
if (/<\/script/i.test(out)) {
  console.error('output can close the script element: ' + out);
  process.exit(1);
}
const back = eval('(' + out + ')');
if (!(back.re instanceof RegExp) || back.re.source !== '[<\\/script><script>alert(1)\\/\\/]' && back.re.source !== '[</script><script>alert(1)//]') {
  console.error('regexp did not round-trip: ' + out);
  process.exit(1);
}
