// Times the Web Console tab's minimap on a big map, with the page's own functions and a
// stand-in canvas: node benchmarks/js/minimap.js [tiles]
'use strict';
const fs = require('fs');
const path = require('path');

const source = fs.readFileSync(path.join(__dirname, '../../bundles/webconsole/src/main/resources/res/console.js'), 'utf8');
const code = source.slice(source.indexOf('  function put('), source.indexOf('  let pending = null;'));
const canvas = {
  width: 320, height: 240,
  getContext: () => ({ createImageData: (w, h) => ({ data: new Uint8ClampedArray(w * h * 4) }), putImageData: () => {} }),
};
const tiles = new Map();
const [put, drawMinimap] = new Function('tiles', 'el', code + '; return [put, drawMinimap];')(tiles, () => canvas);

const count = Number(process.argv[2] || 900000);
let start = process.hrtime.bigint();
for (let i = 0; i < count; i++) put((i % 1000) + ',' + (20000 + Math.floor(i / 1000)), i % 7 ? 'grass.png' : 'road.png');
console.log(`${count} tiles taken in ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(0)} ms`);

const times = [];
for (let run = 0; run < 7; run++) {
  start = process.hrtime.bigint();
  drawMinimap();
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
times.sort((a, b) => a - b);
console.log(`redraw: median ${times[3].toFixed(1)} ms, max ${times[6].toFixed(1)} ms of 7`);
