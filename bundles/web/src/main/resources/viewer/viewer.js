// The InfiniteMap viewer: one canvas, the map's live feed over a WebSocket (batch mode), and
// the compositor list from the HTTP API. window.infinitemap exposes the state for tests.
(function () {
  'use strict';

  const HIGHLIGHT_MS = 900;
  const MIN_ZOOM = 2;   // pixels per cell
  const MAX_ZOOM = 160;
  // Cameras on the wire are in the old protocol's units: world pixels at 100 per cell and a scale
  // (1 = 100 screen pixels per cell); the page keeps cells and pixels per cell.
  const WIRE_PX_PER_CELL = 100;

  const canvas = document.getElementById('map');
  const ctx = canvas.getContext('2d');
  const el = (id) => document.getElementById(id);

  const state = {
    tiles: new Map(),        // "x,y" -> {brick, timestamp, changedAt}
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
    get camera() { return Object.assign({}, state.camera); },
    get messages() { return state.messages; },
    get camerasReceived() { return state.camerasReceived; },
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
        ctx.strokeStyle = 'rgba(255, 214, 102, ' + (1 - age / HIGHLIGHT_MS).toFixed(3) + ')';
        ctx.lineWidth = Math.max(1, Math.min(3, z / 10));
        ctx.strokeRect(sx + 1, sy + 1, size - 2, size - 2);
      }
    };
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
      dirty = draw(now);
      el('zoom').textContent = state.camera.zoom.toFixed(state.camera.zoom < 10 ? 1 : 0) + ' px';
      el('tiles').textContent = state.tiles.size.toLocaleString('en');
      el('revision').textContent = state.revision === null ? '–' : state.revision;
    }
    requestAnimationFrame(frame);
  }

  // ---- camera ---------------------------------------------------------------------------

  let drag = null;
  canvas.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, camera: Object.assign({}, state.camera) };
    canvas.setPointerCapture(e.pointerId);
    canvas.classList.add('dragging');
  });
  canvas.addEventListener('pointermove', (e) => {
    const cell = toCell(e.clientX, e.clientY);
    el('cursor').textContent = Math.floor(cell.x) + ',' + Math.floor(cell.y);
    if (drag) {
      state.camera.x = drag.camera.x - (e.clientX - drag.x) / state.camera.zoom;
      state.camera.y = drag.camera.y - (e.clientY - drag.y) / state.camera.zoom;
      cameraMoved();
    }
  });
  const endDrag = () => { drag = null; canvas.classList.remove('dragging'); };
  canvas.addEventListener('pointerup', endDrag);
  canvas.addEventListener('pointercancel', endDrag);
  canvas.addEventListener('pointerleave', () => { el('cursor').textContent = '–'; });
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const before = toCell(e.clientX, e.clientY);
    const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
    state.camera.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, state.camera.zoom * factor));
    const after = toCell(e.clientX, e.clientY);
    state.camera.x += before.x - after.x; // keep the cell under the cursor in place
    state.camera.y += before.y - after.y;
    cameraMoved();
  }, { passive: false });
  el('home').addEventListener('click', () => { state.camera.x = 0; state.camera.y = 0; cameraMoved(); });

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
  let quietUntil = 0; // the first load replays history: no highlight for it

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
    const since = state.revision === null ? 0 : state.revision;
    socket = new WebSocket(scheme + location.host + location.pathname.replace(/[^/]*$/, '') + 'ws?mode=batch&since=' + since);
    socket.onopen = () => {
      retryMs = 500;
      if (state.revision === null) quietUntil = performance.now() + 500;
      setConnection('live', 'live');
    };
    socket.onmessage = (event) => receive(JSON.parse(event.data));
    socket.onclose = () => {
      setConnection('offline', 'reconnecting in ' + (retryMs / 1000).toFixed(1) + ' s');
      setTimeout(connect, retryMs);
      retryMs = Math.min(5000, retryMs * 2);
    };
  }

  function receive(message) {
    state.messages++;
    const now = performance.now();
    switch (message.type) {
      case 'snapshot':
        state.tiles.clear();
        for (const key in message.tiles) {
          const t = message.tiles[key];
          state.tiles.set(key, { brick: t.brick, timestamp: t.timestamp, changedAt: -Infinity });
        }
        state.revision = message.revision;
        compositorsChanged();
        break;
      case 'manifest_update':
        for (const key in message.tiles) {
          const t = message.tiles[key];
          state.tiles.set(key, { brick: t.brick, timestamp: t.timestamp, changedAt: now < quietUntil ? -Infinity : now });
        }
        for (const key of message.removed) state.tiles.delete(key);
        state.revision = message.revision;
        compositorsChanged();
        break;
      case 'camera_update':
        state.camerasReceived++;
        if (cameraSync.checked && !drag) {
          state.camera = { x: message.x / WIRE_PX_PER_CELL, y: message.y / WIRE_PX_PER_CELL,
            zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, message.zoom * WIRE_PX_PER_CELL)) };
          dirty = true;
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
    dirty = true;
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

  async function loadCompositors() {
    try {
      const response = await fetch('api/compositors', { cache: 'no-store' });
      const list = await response.json();
      list.sort((a, b) => b.layer - a.layer || a.name.localeCompare(b.name));
      const items = list.map((c) => {
        const li = document.createElement('li');
        const name = text('div', 'name', c.name);
        name.appendChild(text('span', 'state ' + c.state, c.state));
        li.appendChild(name);
        const source = c.kind === 'bundle' ? c.bundle.symbolicName + ' ' + c.bundle.version : c.file;
        li.appendChild(text('div', 'meta', c.tiles.toLocaleString('en') + ' tiles · layer ' + c.layer + ' · ' + source));
        if (c.lastError) li.appendChild(text('div', 'error', c.lastError));
        return li;
      });
      el('compositors').replaceChildren(...items);
      el('compositor-count').textContent = list.length;
    } catch (e) {
      // The connection state already says when the runtime is away; the list refreshes on the next change.
    }
  }

  window.addEventListener('resize', resize);
  resize();
  connect();
  loadCompositors();
  setInterval(loadCompositors, 5000); // errors and states change without a map change too
  requestAnimationFrame(frame);
})();
