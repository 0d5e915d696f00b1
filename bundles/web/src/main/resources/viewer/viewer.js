// The InfiniteMap viewer: one canvas, the map's live feed over a WebSocket (batch mode, for the
// viewport on screen only), and the compositor list from the HTTP API. window.infinitemap exposes
// the state for tests.
(function () {
  'use strict';

  const HIGHLIGHT_MS = 900;
  // With reduced motion a change is outlined, steadily, instead of fading out.
  const REDUCED_MOTION = window.matchMedia('(prefers-reduced-motion: reduce)');
  const MIN_ZOOM = 2 ** -22; // pixels per cell: the whole 32-bit plane in 1,024 pixels
  const MAX_ZOOM = 160;
  // Below this many pixels a cell (where drawing every cell starts to cost more than a frame) the
  // page draws the runtime's slippy tiles (tiles/{z}/{x}/{y}.png, a pixel a cell at zoom 24)
  // instead of every cell: the cost follows the screen, not the map.
  const TILES_BELOW_PX = 16;
  const HALF = 2 ** 31;
  // Cameras on the wire are in the old protocol's units: world pixels at 100 per cell and a scale
  // (1 = 100 screen pixels per cell); the page keeps cells and pixels per cell.
  const WIRE_PX_PER_CELL = 100;

  const canvas = document.getElementById('map');
  const ctx = canvas.getContext('2d');
  const el = (id) => document.getElementById(id);

  const state = {
    tiles: new Map(),        // "x,y" -> {brick, timestamp, changedAt}, the cells of the viewport
    revision: null,
    connection: 'connecting',
    camera: { x: 0, y: 0, zoom: 32 }, // x, y: the cell at the centre of the canvas
    messages: 0,
    camerasReceived: 0, // followed or not
  };
  window.infinitemap = {
    get revision() { return state.revision; },
    get connection() { return state.connection; },
    get tileCount() { return state.tiles.size; },
    // The cells the page asked for, and whether all of them have come.
    get viewport() { return subscribed && Object.assign({}, subscribed); },
    // The compositors the page hides (the legend's checkboxes), sorted.
    get hidden() { return Array.from(hidden).sort(); },
    get loaded() { return !awaiting && held !== null; },
    get camera() { return Object.assign({}, state.camera); },
    get messages() { return state.messages; },
    get camerasReceived() { return state.camerasReceived; },
    get mode() { return state.camera.zoom < TILES_BELOW_PX ? 'tiles' : 'cells'; },
    get frames() { return frames; },
    // How long the last frames took to draw, in ms (at most the last 1,000), for benchmarks.
    get drawTimes() { return drawTimes.slice(); },
    // Puts the camera at a cell (centre) and pixels per cell, as a permalink would.
    moveTo(x, y, zoom) {
      state.camera = { x, y, zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom)) };
      cameraMoved();
    },
    // Nothing left to draw: every slippy tile in use loaded and no frame pending.
    get idle() { return !dirty && !awaiting && (state.camera.zoom >= TILES_BELOW_PX || onScreen.every((entry) => !entry.loading && !entry.stale)); },
    tileAt(x, y) { const t = state.tiles.get(x + ',' + y); return t ? { brick: t.brick, timestamp: t.timestamp } : null; },
    // The colour the canvas shows at the centre of a cell, as [r, g, b, a].
    pixelAt(x, y) {
      const p = toScreen(x + 0.5, y + 0.5);
      const ratio = window.devicePixelRatio || 1;
      return Array.from(ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data);
    },
  };

  // ---- drawing -------------------------------------------------------------------------

  const bricks = new Map(); // name -> {image, ready, failed}
  let dirty = true;
  let frames = 0;
  let loading = null; // what the status shows while a viewport comes in parts
  const drawTimes = [];

  function brick(name) {
    let entry = bricks.get(name);
    if (!entry) {
      entry = { image: new Image(), ready: false, failed: false };
      entry.image.onload = () => { entry.ready = true; dirty = true; };
      entry.image.onerror = () => { entry.failed = true; };
      entry.image.src = 'bricks/' + encodeURIComponent(name);
      bricks.set(name, entry);
    }
    return entry;
  }

  // A steady colour per brick name while its image loads, or when it has none.
  function placeholder(name) {
    let hash = 0;
    for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) | 0;
    return 'hsl(' + (Math.abs(hash) % 360) + ', 45%, 42%)';
  }

  function resize() {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(window.innerWidth * ratio);
    canvas.height = Math.round(window.innerHeight * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.imageSmoothingEnabled = false;
    dirty = true;
  }

  function toScreen(cx, cy) {
    const z = state.camera.zoom;
    return { x: (cx - state.camera.x) * z + window.innerWidth / 2, y: (cy - state.camera.y) * z + window.innerHeight / 2 };
  }

  function toCell(sx, sy) {
    const z = state.camera.zoom;
    return { x: (sx - window.innerWidth / 2) / z + state.camera.x, y: (sy - window.innerHeight / 2) / z + state.camera.y };
  }

  // ---- slippy tiles, zoomed out --------------------------------------------------------

  const slippy = new Map(); // "z/x/y" -> {image, ready, stale}; the most recently drawn last
  const SLIPPY_KEPT = 600;
  let onScreen = []; // the slippy tiles the last frame showed

  function slippyTile(z, x, y) {
    const key = z + '/' + x + '/' + y;
    let entry = slippy.get(key);
    if (entry) {
      slippy.delete(key); // to the end: most recently used
    } else {
      entry = { image: null, ready: false, stale: true, loading: false };
      if (slippy.size >= SLIPPY_KEPT) slippy.delete(slippy.keys().next().value);
    }
    slippy.set(key, entry);
    if (entry.stale && !entry.loading) {
      entry.loading = true;
      entry.stale = false;
      const image = new Image();
      image.onload = () => { entry.image = image; entry.ready = true; entry.loading = false; dirty = true; };
      image.onerror = () => { entry.loading = false; };
      image.src = 'tiles/' + key + '.png?v=' + (state.revision === null ? 0 : state.revision) + hideQuery();
    }
    return entry;
  }

  // Marks the kept tiles a change touches (null: all) as stale: they are asked for again when next drawn.
  function staleTilesOfCells(keys) {
    if (slippy.size === 0) return;
    if (keys === null || keys.length > 4096) {
      for (const entry of slippy.values()) entry.stale = true;
      return;
    }
    const zooms = new Set();
    for (const key of slippy.keys()) zooms.add(+key.slice(0, key.indexOf('/')));
    for (const key of keys) {
      const comma = key.indexOf(',');
      const x = +key.slice(0, comma) + HALF, y = +key.slice(comma + 1) + HALF;
      for (const z of zooms) {
        const cells = 2 ** (32 - z);
        const entry = slippy.get(z + '/' + Math.floor(x / cells) + '/' + Math.floor(y / cells));
        if (entry) entry.stale = true;
      }
    }
  }

  // Marks the kept tiles that overlap a box of cells as stale.
  function staleTilesInBox(box) {
    for (const [key, entry] of slippy) {
      const [z, tx, ty] = key.split('/').map(Number);
      const cells = 2 ** (32 - z);
      const x0 = tx * cells - HALF, y0 = ty * cells - HALF;
      if (box.x1 >= x0 && box.x0 < x0 + cells && box.y1 >= y0 && box.y0 < y0 + cells) entry.stale = true;
    }
  }

  function drawSlippy(w, h) {
    const zoom = state.camera.zoom;
    const z = Math.max(0, Math.min(29, 24 + Math.ceil(Math.log2(zoom))));
    const cells = 2 ** (32 - z); // a tile's side in cells
    const last = 2 ** z - 1;
    const topLeft = toCell(0, 0), bottomRight = toCell(w, h);
    const tx0 = Math.max(0, Math.floor((topLeft.x + HALF) / cells)), tx1 = Math.min(last, Math.floor((bottomRight.x + HALF) / cells));
    const ty0 = Math.max(0, Math.floor((topLeft.y + HALF) / cells)), ty1 = Math.min(last, Math.floor((bottomRight.y + HALF) / cells));
    onScreen = [];
    for (let ty = ty0; ty <= ty1; ty++) {
      for (let tx = tx0; tx <= tx1; tx++) {
        const p = toScreen(tx * cells - HALF, ty * cells - HALF);
        const q = toScreen((tx + 1) * cells - HALF, (ty + 1) * cells - HALF);
        const sx = Math.floor(p.x), sy = Math.floor(p.y), size = Math.floor(q.x) - sx;
        const entry = slippyTile(z, tx, ty);
        onScreen.push(entry);
        if (entry.ready) {
          ctx.drawImage(entry.image, sx, sy, size, size);
          continue;
        }
        // Not loaded yet: the part of a coarser kept tile that covers it, if any.
        for (let up = 1; up <= 4 && z - up >= 0; up++) {
          const parent = slippy.get((z - up) + '/' + (tx >> up) + '/' + (ty >> up));
          if (parent && parent.ready) {
            const part = 256 >> up;
            ctx.drawImage(parent.image, (tx % (1 << up)) * part, (ty % (1 << up)) * part, part, part, sx, sy, size, size);
            break;
          }
        }
      }
    }
  }

  // Cells changed in the last moments, to flash them at zooms where cells are not drawn one by one.
  let recent = [];
  // Cells removed in the last moments, faded out where cells are drawn: {key, brick, at}.
  let fading = [];

  // Each a box of cells {x0, y0, x1, y1, at}: a cell, or the bounding box of a change outside the viewport.
  function drawRecent(now) {
    recent = recent.filter((r) => now - r.at < HIGHLIGHT_MS);
    ctx.lineWidth = 2;
    for (const r of recent) {
      const p = toScreen(r.x0, r.y0), q = toScreen(r.x1 + 1, r.y1 + 1);
      const cx = (p.x + q.x) / 2, cy = (p.y + q.y) / 2;
      const hw = Math.max(6, (q.x - p.x) / 2), hh = Math.max(6, (q.y - p.y) / 2);
      ctx.strokeStyle = 'rgba(255, 214, 102, ' + fade(now - r.at) + ')';
      ctx.strokeRect(Math.round(cx - hw), Math.round(cy - hh), Math.round(2 * hw), Math.round(2 * hh));
    }
    return recent.length > 0;
  }

  const fade = (age) => (REDUCED_MOTION.matches ? 1 : 1 - age / HIGHLIGHT_MS).toFixed(3);

  function flash(x0, y0, x1, y1, now) {
    if (recent.length < 2000) recent.push({ x0, y0, x1, y1, at: now });
  }

  function draw(now) {
    const w = window.innerWidth;
    const h = window.innerHeight;
    const z = state.camera.zoom;
    ctx.fillStyle = '#0d1117';
    ctx.fillRect(0, 0, w, h);

    const topLeft = toCell(0, 0);
    const bottomRight = toCell(w, h);
    const x0 = Math.floor(topLeft.x), y0 = Math.floor(topLeft.y);
    const x1 = Math.floor(bottomRight.x), y1 = Math.floor(bottomRight.y);

    if (z >= 12) {
      ctx.strokeStyle = 'rgba(139, 148, 158, 0.08)';
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let x = x0; x <= x1 + 1; x++) { const sx = Math.round(toScreen(x, 0).x) + 0.5; ctx.moveTo(sx, 0); ctx.lineTo(sx, h); }
      for (let y = y0; y <= y1 + 1; y++) { const sy = Math.round(toScreen(0, y).y) + 0.5; ctx.moveTo(0, sy); ctx.lineTo(w, sy); }
      ctx.stroke();
    }
    const origin = toScreen(0, 0);
    ctx.strokeStyle = 'rgba(88, 166, 255, 0.25)';
    ctx.beginPath();
    ctx.moveTo(Math.round(origin.x) + 0.5, 0); ctx.lineTo(Math.round(origin.x) + 0.5, h);
    ctx.moveTo(0, Math.round(origin.y) + 0.5); ctx.lineTo(w, Math.round(origin.y) + 0.5);
    ctx.stroke();

    if (z < TILES_BELOW_PX) {
      drawSlippy(w, h);
      return drawRecent(now);
    }

    let highlighting = false;
    const drawTile = (x, y, tile) => {
      const p = toScreen(x, y);
      const sx = Math.floor(p.x), sy = Math.floor(p.y);
      const size = Math.floor(p.x + z) - sx;
      const b = brick(tile.brick);
      if (b.ready) {
        ctx.drawImage(b.image, sx, sy, size, size);
      } else {
        ctx.fillStyle = placeholder(tile.brick);
        ctx.fillRect(sx, sy, size, size);
      }
      const age = now - tile.changedAt;
      if (age < HIGHLIGHT_MS) {
        highlighting = true;
        ctx.strokeStyle = 'rgba(255, 214, 102, ' + fade(age) + ')';
        ctx.lineWidth = Math.max(1, Math.min(3, z / 10));
        ctx.strokeRect(sx + 1, sy + 1, size - 2, size - 2);
      }
    };
    // A removed cell fades out (with reduced motion it is simply gone).
    fading = fading.filter((f) => now - f.at < HIGHLIGHT_MS && !state.tiles.has(f.key));
    if (!REDUCED_MOTION.matches) {
      for (const f of fading) {
        const comma = f.key.indexOf(',');
        ctx.globalAlpha = 1 - (now - f.at) / HIGHLIGHT_MS;
        drawTile(+f.key.slice(0, comma), +f.key.slice(comma + 1), { brick: f.brick, changedAt: -Infinity });
        highlighting = true;
      }
      ctx.globalAlpha = 1;
    }
    const visible = (x1 - x0 + 1) * (y1 - y0 + 1);
    if (visible < state.tiles.size) {
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const tile = state.tiles.get(x + ',' + y);
          if (tile) drawTile(x, y, tile);
        }
      }
    } else {
      for (const [key, tile] of state.tiles) {
        const comma = key.indexOf(',');
        const x = +key.slice(0, comma), y = +key.slice(comma + 1);
        if (x >= x0 && x <= x1 && y >= y0 && y <= y1) drawTile(x, y, tile);
      }
    }
    return highlighting;
  }

  function frame(now) {
    if (dirty) {
      frames++;
      const started = performance.now();
      dirty = draw(now);
      if (drawTimes.push(performance.now() - started) > 1000) drawTimes.shift();
      const zoom = state.camera.zoom;
      el('zoom').textContent = zoom >= 1 ? zoom.toFixed(zoom < 10 ? 1 : 0) + ' px' : '1 px : ' + Math.round(1 / zoom).toLocaleString('en');
      // The cells around the screen; zoomed out the page holds none.
      el('tiles').textContent = loading || (zoom < TILES_BELOW_PX ? '–' : state.tiles.size.toLocaleString('en'));
      el('revision').textContent = state.revision === null ? '–' : state.revision;
    }
    requestAnimationFrame(frame);
  }

  // ---- camera ---------------------------------------------------------------------------

  // Zooms by a factor, keeping the cell under the screen point (sx, sy) in place.
  function zoomAt(factor, sx, sy) {
    const before = toCell(sx, sy);
    state.camera.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, state.camera.zoom * factor));
    const after = toCell(sx, sy);
    state.camera.x += before.x - after.x;
    state.camera.y += before.y - after.y;
    cameraMoved();
  }

  // One pointer drags; two (a pinch on a touch screen) zoom around their midpoint and pan with it.
  const pointers = new Map(); // pointerId -> {x, y}
  let drag = null;
  function gesture() {
    const [a, b] = [...pointers.values()];
    return b ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, span: Math.hypot(a.x - b.x, a.y - b.y) } : { x: a.x, y: a.y, span: 0 };
  }
  function startGesture() {
    drag = pointers.size ? gesture() : null;
    canvas.classList.toggle('dragging', drag !== null);
  }
  let tap = null; // where a touch went down, to tell a tap from a drag
  canvas.addEventListener('pointerdown', (e) => {
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    tap = pointers.size === 1 && e.pointerType !== 'mouse' ? { x: e.clientX, y: e.clientY } : null;
    try { canvas.setPointerCapture(e.pointerId); } catch (err) { /* a pointer already gone */ }
    startGesture();
  });
  canvas.addEventListener('pointermove', (e) => {
    const cell = toCell(e.clientX, e.clientY);
    el('cursor').textContent = Math.floor(cell.x) + ',' + Math.floor(cell.y);
    if (!pointers.has(e.pointerId)) {
      if (e.pointerType === 'mouse') inspect(Math.floor(cell.x), Math.floor(cell.y));
      return;
    }
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const now = gesture();
    state.camera.x -= (now.x - drag.x) / state.camera.zoom;
    state.camera.y -= (now.y - drag.y) / state.camera.zoom;
    if (drag.span > 0 && now.span > 0) zoomAt(now.span / drag.span, now.x, now.y);
    drag = now;
    cameraMoved();
  });
  const endPointer = (e) => { pointers.delete(e.pointerId); startGesture(); };
  canvas.addEventListener('pointerup', (e) => {
    if (tap && Math.hypot(e.clientX - tap.x, e.clientY - tap.y) < 8) {
      const cell = toCell(e.clientX, e.clientY);
      inspect(Math.floor(cell.x), Math.floor(cell.y));
    }
    tap = null;
    endPointer(e);
  });
  canvas.addEventListener('pointercancel', endPointer);
  canvas.addEventListener('pointerleave', (e) => {
    el('cursor').textContent = '–';
    if (e.pointerType === 'mouse') inspect(null);
  });
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    zoomAt(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)), e.clientX, e.clientY);
  }, { passive: false });
  canvas.addEventListener('dblclick', (e) => zoomAt(e.shiftKey ? 0.5 : 2, e.clientX, e.clientY));
  const centre = () => [window.innerWidth / 2, window.innerHeight / 2];
  el('zoom-in').addEventListener('click', () => zoomAt(2, ...centre()));
  el('zoom-out').addEventListener('click', () => zoomAt(0.5, ...centre()));
  el('home').addEventListener('click', () => { state.camera.x = 0; state.camera.y = 0; cameraMoved(); });
  // Puts an inclusive rectangle of cells on the screen with a margin.
  function fitTo(bounds) {
    const w = bounds.x1 - bounds.x0 + 1, h = bounds.y1 - bounds.y0 + 1;
    window.infinitemap.moveTo(bounds.x0 + w / 2, bounds.y0 + h / 2, 0.9 * Math.min(window.innerWidth / w, window.innerHeight / h));
  }
  // Fit all: the map's bounds, as the runtime reports them.
  el('fit').addEventListener('click', async () => {
    try {
      const bounds = (await fetch('api/bounds', { cache: 'no-store' }).then((r) => r.json())).bounds;
      if (bounds) fitTo(bounds);
    } catch (e) {
      // Offline: nothing to fit to.
    }
  });
  window.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return;
    const step = Math.min(window.innerWidth, window.innerHeight) / 4 / state.camera.zoom;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[e.key]) {
      state.camera.x += moves[e.key][0];
      state.camera.y += moves[e.key][1];
      cameraMoved();
    } else if (e.key === '+' || e.key === '=') {
      zoomAt(2, ...centre());
    } else if (e.key === '-' || e.key === '_') {
      zoomAt(0.5, ...centre());
    } else {
      return;
    }
    e.preventDefault();
  });

  // Jump to a cell typed as "x,y".
  el('jump').addEventListener('submit', (e) => {
    e.preventDefault();
    const m = /^\s*(-?\d+)\s*[, ]\s*(-?\d+)\s*$/.exec(el('jump-to').value);
    el('jump-to').setCustomValidity(m ? '' : 'two whole numbers: x,y');
    if (!m) { el('jump-to').reportValidity(); return; }
    state.camera.x = +m[1] + 0.5;
    state.camera.y = +m[2] + 0.5;
    if (state.camera.zoom < 16) state.camera.zoom = 32;
    cameraMoved();
  });

  // The permalink: #x,y,zoom (the centre cell and pixels a cell), kept in the address as the camera moves.
  // #x,y,zoom, and ;hide=name,... when compositors are hidden.
  function fromHash() {
    const m = /^#(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?(?:e-?\d+)?)(?:;hide=([^;]*))?$/.exec(location.hash);
    if (!m) return false;
    state.camera = { x: +m[1], y: +m[2], zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, +m[3])) };
    const names = m[4] ? m[4].split(',').filter((n) => n).map(decodeURIComponent) : [];
    if (names.slice().sort().join(',') !== Array.from(hidden).sort().join(',')) setHidden(names);
    dirty = true;
    return true;
  }
  window.addEventListener('hashchange', () => { if (fromHash()) cameraMoved(); });
  let hashTimer = null;
  function toHash() {
    if (hashTimer) return;
    hashTimer = setTimeout(() => {
      hashTimer = null;
      const c = state.camera;
      const digits = c.zoom >= 1 ? 2 : 8;
      history.replaceState(null, '', '#' + Math.floor(c.x) + ',' + Math.floor(c.y) + ',' + +c.zoom.toPrecision(digits)
        + (hidden.size ? ';hide=' + Array.from(hidden).sort().map(encodeURIComponent).join(',') : ''));
    }, 250);
  }

  // Sharing the camera is the user's choice, off until ticked, and remembered by the browser.
  const cameraSync = el('camera-sync');
  cameraSync.checked = localStorage.getItem('infinitemap.shareCamera') === 'yes';
  cameraSync.addEventListener('change', () => {
    localStorage.setItem('infinitemap.shareCamera', cameraSync.checked ? 'yes' : 'no');
    if (cameraSync.checked) cameraMoved();
  });

  let cameraTimer = null;
  function cameraMoved() {
    dirty = true;
    toHash();
    follow();
    if (!cameraSync.checked || cameraTimer) return;
    cameraTimer = setTimeout(() => {
      cameraTimer = null;
      send({ type: 'camera_update', x: state.camera.x * WIRE_PX_PER_CELL, y: state.camera.y * WIRE_PX_PER_CELL,
        zoom: state.camera.zoom / WIRE_PX_PER_CELL });
    }, 100);
  }

  // ---- live feed ------------------------------------------------------------------------

  let socket = null;
  let retryMs = 500;

  // ---- the viewport: the page asks only for the cells around the screen ----------------------

  const LIMIT = 2 ** 31 - 1;
  let subscribed = null; // the cells asked for: {x0, y0, x1, y1}
  let held = null; // the cells state.tiles holds, once a viewport has come whole
  let incoming = null; // a viewport on its way, part by part: {box, tiles}
  let awaiting = true; // a viewport asked for has not come whole yet
  let outsideUnknown = true; // after connecting or falling behind: kept slippy tiles may be out of date
  // Compositors hidden from the map: the runtime sends the viewport and draws the slippy tiles
  // as the map shows without them, so what they cover shows through.
  let hidden = new Set();
  let viewportHidden = ''; // the hidden set the cells held were sent for, as in hideQuery

  function hideQuery() {
    return hidden.size === 0 ? '' : '&hide=' + Array.from(hidden).sort().map(encodeURIComponent).join(',');
  }

  function askForViewport() {
    awaiting = true;
    send(Object.assign({ type: 'viewport', hide: Array.from(hidden).sort() }, subscribed));
  }

  // Shows only the compositors not in the set: the cells come again, and the slippy tiles.
  function setHidden(names) {
    hidden = new Set(names);
    slippy.clear();
    dirty = true;
    toHash();
    if (socket && socket.readyState === WebSocket.OPEN) askForViewport();
    compositorsChanged();
  }

  const clamp = (v) => Math.max(-LIMIT - 1, Math.min(LIMIT, v));

  function screenCells(margin) {
    const w = window.innerWidth, h = window.innerHeight;
    const a = toCell(-w * margin, -h * margin), b = toCell(w * (1 + margin), h * (1 + margin));
    return { x0: clamp(Math.floor(a.x)), y0: clamp(Math.floor(a.y)), x1: clamp(Math.floor(b.x)), y1: clamp(Math.floor(b.y)) };
  }

  const area = (b) => (b.x1 - b.x0 + 1) * (b.y1 - b.y0 + 1);
  const same = (a, b) => a.x0 === b.x0 && a.y0 === b.y0 && a.x1 === b.x1 && a.y1 === b.y1;
  const inside = (b, outer) => b.x0 >= outer.x0 && b.y0 >= outer.y0 && b.x1 <= outer.x1 && b.y1 <= outer.y1;

  // The screen and half a screen around it, so a pan asks again only now and then. Zoomed out no
  // cell is drawn (the slippy tiles are), so only the centre cell: the feed then says where things change.
  function wantedViewport() {
    if (state.camera.zoom < TILES_BELOW_PX) {
      const x = clamp(Math.floor(state.camera.x)), y = clamp(Math.floor(state.camera.y));
      return { x0: x, y0: y, x1: x, y1: y };
    }
    const wide = screenCells(0.5);
    return area(wide) <= 1000000 ? wide : screenCells(0); // the runtime's bound on a viewport
  }

  // Asks for another viewport when the screen has left the one asked for.
  function follow() {
    if (state.camera.zoom < TILES_BELOW_PX || (subscribed && inside(screenCells(0), subscribed))) return;
    subscribed = wantedViewport();
    if (socket && socket.readyState === WebSocket.OPEN) askForViewport();
  }

  function setConnection(name, text) {
    state.connection = name;
    el('connection').className = 'connection ' + name;
    el('connection-text').textContent = text;
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    subscribed = wantedViewport();
    outsideUnknown = true;
    incoming = null;
    awaiting = true;
    const box = [subscribed.x0, subscribed.y0, subscribed.x1, subscribed.y1].join(',');
    socket = new WebSocket(scheme + location.host + location.pathname.replace(/[^/]*$/, '') + 'ws?mode=batch&viewport=' + box + hideQuery());
    socket.onopen = () => {
      retryMs = 500;
      setConnection('live', 'live');
      document.body.classList.remove('offline');
      el('stale').hidden = true;
    };
    socket.onmessage = (event) => receive(JSON.parse(event.data));
    socket.onclose = () => {
      if (!document.body.classList.contains('offline')) {
        document.body.classList.add('offline'); // the last map stays, greyed, until the runtime is back
        el('stale').textContent = 'Offline since ' + new Date().toLocaleTimeString('en') + ': the map and this list are as they were then.';
        el('stale').hidden = false;
      }
      setConnection('offline', 'reconnecting in ' + (retryMs / 1000).toFixed(1) + ' s');
      setTimeout(connect, retryMs);
      retryMs = Math.min(5000, retryMs * 2);
    };
  }

  function receive(message) {
    state.messages++;
    const now = performance.now();
    switch (message.type) {
      case 'viewport': {
        // In parts of at most 10,000 cells; the cells replace what the page held once all have come.
        if (message.part === 1) {
          incoming = { box: { x0: message.x0, y0: message.y0, x1: message.x1, y1: message.y1 }, tiles: new Map(),
            hide: message.hide ? '&hide=' + message.hide.map(encodeURIComponent).join(',') : '' };
        }
        if (!incoming) break;
        for (const key in message.tiles) {
          const t = message.tiles[key];
          const before = state.tiles.get(key); // a cell on screen before and after keeps its flash
          incoming.tiles.set(key, { brick: t.brick, timestamp: t.timestamp,
            changedAt: before && before.brick === t.brick ? before.changedAt : -Infinity });
        }
        loading = message.part < message.parts ? 'loading ' + message.part + '/' + message.parts : null;
        if (message.part < message.parts) { dirty = true; break; }
        state.tiles = incoming.tiles;
        held = incoming.box;
        viewportHidden = incoming.hide;
        incoming = null;
        // An older viewport, or one for another hidden set, overtaken by one asked for since.
        awaiting = !same(held, subscribed) || viewportHidden !== hideQuery();
        state.revision = message.revision;
        if (outsideUnknown) { staleTilesOfCells(null); outsideUnknown = false; }
        compositorsChanged();
        dirty = true;
        break;
      }
      case 'manifest_update': {
        const keys = Object.keys(message.tiles);
        for (const key of keys) {
          const t = message.tiles[key];
          state.tiles.set(key, { brick: t.brick, timestamp: t.timestamp, changedAt: now });
        }
        for (const key of message.removed) {
          const gone = state.tiles.get(key);
          if (gone && fading.length < 2000) fading.push({ key, brick: gone.brick, at: now });
          state.tiles.delete(key);
        }
        state.revision = message.revision;
        const changed = message.removed.length ? keys.concat(message.removed) : keys;
        if (changed.length === 0) break; // an empty delta (a compositor that ticked without a change): nothing to draw
        staleTilesOfCells(changed);
        for (const key of changed.slice(0, 2000)) {
          const comma = key.indexOf(',');
          const x = +key.slice(0, comma), y = +key.slice(comma + 1);
          flash(x, y, x, y, now);
        }
        if (!dirty) dirty = changed.length > 2000 || changed.some(inView);
        compositorsChanged();
        break;
      }
      case 'area_changed': // a change reaching outside the viewport: its box
        state.revision = message.revision;
        staleTilesInBox(message);
        flash(message.x0, message.y0, message.x1, message.y1, now);
        if (!dirty) dirty = boxInView(message);
        compositorsChanged();
        break;
      case 'resync': // fell behind: the viewport follows again, and what happened outside is unknown
        outsideUnknown = true;
        break;
      case 'camera_update':
        state.camerasReceived++;
        if (cameraSync.checked && !drag) {
          state.camera = { x: message.x / WIRE_PX_PER_CELL, y: message.y / WIRE_PX_PER_CELL,
            zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, message.zoom * WIRE_PX_PER_CELL)) };
          dirty = true;
          follow();
        }
        break;
      case 'heartbeat':
        send({ type: 'heartbeat', timestamp: Date.now() / 1000 });
        break;
      case 'error':
        console.warn('InfiniteMap server:', message.message);
        break;
      default:
        break;
    }
  }

  function boxInView(box) {
    const view = screenCells(0);
    return box.x1 >= view.x0 - 1 && box.x0 <= view.x1 + 1 && box.y1 >= view.y0 - 1 && box.y0 <= view.y1 + 1;
  }

  // Whether a cell "x,y" is on screen (with a margin for the highlight).
  function inView(key) {
    const comma = key.indexOf(',');
    const p = toScreen(+key.slice(0, comma), +key.slice(comma + 1));
    return p.x > -state.camera.zoom - 8 && p.y > -state.camera.zoom - 8 && p.x < window.innerWidth + 8 && p.y < window.innerHeight + 8;
  }

  // ---- the inspector: what is at the cell under the pointer, or the one tapped ------------

  let inspected = null; // "x,y" asked about, or null
  let inspectTimer = null;

  // Asks the map about a cell once the pointer rests on it (null: hide the card). The map
  // answers at every zoom, also where the page holds no cells, with the tiles the shown one covers.
  function inspect(x, y) {
    const key = x === null ? null : x + ',' + y;
    if (key === inspected) return;
    inspected = key;
    clearTimeout(inspectTimer);
    if (key === null) { el('inspector').hidden = true; return; }
    inspectTimer = setTimeout(async () => {
      try {
        const response = await fetch('api/cell?x=' + x + '&y=' + y, { cache: 'no-store' });
        const answer = await response.json();
        if (inspected === key) showInspector(x, y, answer.stack);
      } catch (e) {
        // Offline: the card keeps what it said.
      }
    }, 120);
  }

  // A brick's swatch: its image over its placeholder colour, which shows while the image loads
  // and stays when it has none.
  function swatchOf(name) {
    const swatch = text('span', 'swatch', '');
    swatch.style.backgroundColor = placeholder(name);
    swatch.style.backgroundImage = 'url("bricks/' + encodeURIComponent(name) + '")';
    return swatch;
  }

  function showInspector(x, y, stack) {
    const rows = [text('div', 'where', 'cell ' + x + ',' + y)];
    const tile = stack[0];
    if (tile) {
      const name = text('div', 'brick', tile.brick);
      name.prepend(swatchOf(tile.brick));
      rows.push(name, text('div', 'meta', tile.compositor + ' · layer ' + tile.layer));
      const when = tile.timestamp > 1e9 ? ' (' + new Date(tile.timestamp * 1000).toLocaleString('en') + ')' : '';
      rows.push(text('div', 'meta', 'timestamp ' + tile.timestamp + when));
      if (stack.length > 1) {
        const covered = text('div', 'covers', 'covers ' + (stack.length - 1) + (stack.length === 2 ? ' tile:' : ' tiles:'));
        const list = document.createElement('ul');
        for (const under of stack.slice(1, 6)) {
          const item = text('li', '', under.brick + ' · ' + under.compositor + ' · layer ' + under.layer);
          item.prepend(swatchOf(under.brick));
          list.appendChild(item);
        }
        if (stack.length > 6) list.appendChild(text('li', 'meta', 'and ' + (stack.length - 6) + ' more'));
        covered.appendChild(list);
        rows.push(covered);
      }
    } else {
      rows.push(text('div', 'meta', 'empty'));
    }
    el('inspector').replaceChildren(...rows);
    el('inspector').hidden = false;
  }

  // ---- compositors ----------------------------------------------------------------------

  let compositorsTimer = null;
  function compositorsChanged() {
    if (compositorsTimer) return;
    compositorsTimer = setTimeout(() => { compositorsTimer = null; loadCompositors(); }, 500);
  }

  function text(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = content;
    return node;
  }

  // The compositor list is the map's legend: per compositor its state, its most used bricks as
  // swatches, and a button that fits its tiles on the screen (from api/layers).
  async function loadCompositors() {
    try {
      const [list, layers, unusable] = await Promise.all([
        fetch('api/compositors', { cache: 'no-store' }).then((r) => r.json()),
        fetch('api/layers', { cache: 'no-store' }).then((r) => r.json()),
        fetch('api/unusable', { cache: 'no-store' }).then((r) => r.json())]);
      const legend = new Map(layers.map((l) => [l.compositor, l]));
      list.sort((a, b) => b.layer - a.layer || a.name.localeCompare(b.name));
      const items = list.map((c) => {
        const li = document.createElement('li');
        li.dataset.compositor = c.name;
        const name = text('div', 'name', '');
        const title = text('span', 'title', c.name);
        const drawn = legend.get(c.name);
        const swatches = text('span', 'swatches', '');
        for (const b of drawn ? drawn.bricks : []) {
          const swatch = swatchOf(b.brick);
          swatch.title = b.brick + ': ' + b.tiles.toLocaleString('en') + ' tiles';
          swatches.appendChild(swatch);
        }
        title.prepend(swatches);
        const shown = document.createElement('input');
        shown.type = 'checkbox';
        shown.className = 'show-layer';
        shown.checked = !hidden.has(c.name);
        shown.setAttribute('aria-label', 'Show ' + c.name);
        shown.title = 'Show ' + c.name + ' on the map';
        shown.addEventListener('change', () => {
          const names = new Set(hidden);
          if (shown.checked) names.delete(c.name); else names.add(c.name);
          setHidden(names);
        });
        title.prepend(shown);
        name.appendChild(title);
        const side = text('span', 'side', '');
        // Solo: only this one shows; pressed again, all show.
        const alone = list.every((other) => other.name === c.name || hidden.has(other.name)) && !hidden.has(c.name) && list.length > 1;
        const solo = text('button', 'solo-layer', 'Solo');
        solo.type = 'button';
        solo.setAttribute('aria-pressed', String(alone));
        solo.title = alone ? 'Show every compositor again' : 'Show only ' + c.name;
        solo.addEventListener('click', () => setHidden(alone ? [] : list.map((other) => other.name).filter((n) => n !== c.name)));
        side.appendChild(solo);
        if (drawn && drawn.bounds) {
          const fit = text('button', 'fit-layer', 'Fit');
          fit.type = 'button';
          fit.title = 'Fit the tiles of ' + c.name + ' on the screen';
          fit.addEventListener('click', () => fitTo(drawn.bounds));
          side.appendChild(fit);
        }
        side.appendChild(text('span', 'state ' + c.state, c.state));
        name.appendChild(side);
        li.classList.toggle('hidden-layer', hidden.has(c.name));
        li.appendChild(name);
        const source = c.kind === 'bundle' ? c.bundle.symbolicName + ' ' + c.bundle.version : c.file;
        li.appendChild(text('div', 'meta', c.tiles.toLocaleString('en') + ' tiles · layer ' + c.layer + ' · ' + source));
        if (c.lastError) li.appendChild(text('div', 'error', c.lastError));
        return li;
      });
      // A file in deploy/ that is no bundle at all is listed too, with why, not only in the log.
      for (const u of unusable) {
        const li = document.createElement('li');
        li.className = 'unusable';
        li.dataset.file = u.file;
        const name = text('div', 'name', '');
        name.append(text('span', 'title', u.file), text('span', 'state failed', 'not installed'));
        li.append(name, text('div', 'error', u.reason));
        items.push(li);
      }
      el('compositors').replaceChildren(...items);
      el('compositor-count').textContent = list.length;
    } catch (e) {
      // The connection state already says when the runtime is away; the list refreshes on the next change.
    }
  }

  // The compositor panel: open on a wide screen, closed by default on a phone.
  function showPanel(open) {
    el('panel').classList.toggle('closed', !open);
    el('panel-toggle').setAttribute('aria-expanded', String(open));
  }
  showPanel(window.innerWidth > 600);
  el('panel-toggle').addEventListener('click', () => showPanel(el('panel').classList.contains('closed')));

  window.addEventListener('resize', () => { resize(); follow(); });
  resize();
  fromHash();
  connect();
  loadCompositors();
  setInterval(loadCompositors, 5000); // errors and states change without a map change too
  requestAnimationFrame(frame);
})();
