// The InfiniteMap Web Console tab: status, compositors and latest deltas refreshed on every
// change of the map (and every 5 s), and a minimap drawn from the live WebSocket feed.
(function () {
  'use strict';
  const el = (id) => document.getElementById(id);
  const tiles = new Map();
  let revision = null;

  function cell(text, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    return td;
  }

  async function json(path) {
    // From the origin: a page opened as http://user:password@host/... cannot fetch relative URLs.
    const response = await fetch(location.origin + path, { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) throw new Error(path + ': ' + response.status);
    return response.json();
  }

  async function refresh() {
    try {
      const [status, compositors, deltas] = await Promise.all([
        json('/infinitemap/api/status'), json('/infinitemap/api/compositors'), json('/infinitemap/api/deltas?limit=15')]);
      el('im-ready').textContent = status.ready ? 'ready' : 'starting';
      el('im-ready').className = 'im-value ' + (status.ready ? 'im-ok' : 'im-bad');
      el('im-revision').textContent = status.revision;
      el('im-tiles').textContent = status.tiles.toLocaleString('en');
      el('im-compositors').textContent = status.compositors;
      el('im-uptime').textContent = Math.round(status.uptimeMs / 1000) + ' s';

      compositors.sort((a, b) => b.layer - a.layer || a.name.localeCompare(b.name));
      el('im-compositor-rows').replaceChildren(...compositors.map((c) => {
        const tr = document.createElement('tr');
        const state = document.createElement('span');
        state.className = 'im-state ' + c.state;
        state.textContent = c.state;
        const stateCell = document.createElement('td');
        stateCell.appendChild(state);
        tr.append(cell(c.name), cell(c.kind),
          cell(c.kind === 'bundle' ? c.bundle.symbolicName + ' ' + c.bundle.version + ' (#' + c.bundle.id + ')' : c.file),
          cell(c.layer), cell(c.tiles.toLocaleString('en')), stateCell,
          cell(c.lastUpdate ? new Date(c.lastUpdate).toLocaleTimeString() : '–'), cell(c.lastError || '', 'im-error'));
        return tr;
      }));
      el('im-delta-rows').replaceChildren(...deltas.deltas.map((d) => {
        const tr = document.createElement('tr');
        // A removal can uncover another compositor's tiles: name those beside the delta's own.
        tr.append(cell(d.revision), cell(d.compositor + (d.uncovered.length ? ' (uncovers ' + d.uncovered.join(', ') + ')' : '')),
          cell(d.put), cell(d.removed));
        return tr;
      }));
    } catch (e) {
      el('im-ready').textContent = 'unreachable';
      el('im-ready').className = 'im-value im-bad';
    }
  }

  // A tile as the minimap needs it: its cell and a steady colour for its brick name (the
  // viewer's stand-in hue rule), worked out once when it arrives, not on every redraw.
  function put(key, brick) {
    const comma = key.indexOf(',');
    let hash = 0;
    for (let i = 0; i < brick.length; i++) hash = (hash * 31 + brick.charCodeAt(i)) | 0;
    tiles.set(key, { x: +key.slice(0, comma), y: +key.slice(comma + 1), rgb: hslToRgb(Math.abs(hash) % 360, 0.55, 0.55) });
  }

  function hslToRgb(h, s, l) {
    const a = s * Math.min(l, 1 - l);
    const f = (n) => {
      const k = (n + h / 30) % 12;
      return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
    };
    return [f(0), f(8), f(4)];
  }

  // Pixels written straight into one image: a map of a million tiles redraws in milliseconds.
  function drawMinimap() {
    const canvas = el('im-minimap');
    const w = canvas.width, h = canvas.height;
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(w, h);
    const px = image.data;
    for (let i = 0; i < px.length; i += 4) { px[i] = 13; px[i + 1] = 17; px[i + 2] = 23; px[i + 3] = 255; }
    if (tiles.size > 0) {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (const t of tiles.values()) {
        if (t.x < x0) x0 = t.x;
        if (t.x > x1) x1 = t.x;
        if (t.y < y0) y0 = t.y;
        if (t.y > y1) y1 = t.y;
      }
      const fit = Math.min((w - 16) / (x1 - x0 + 1), (h - 16) / (y1 - y0 + 1), 12);
      // Big cells get whole pixels and a one-pixel gap, so tiles stay apart evenly; small ones fill their space.
      const scale = fit >= 4 ? Math.floor(fit) : fit;
      const size = fit >= 4 ? scale - 1 : Math.max(1, Math.ceil(scale));
      const offsetX = Math.floor((w - (x1 - x0 + 1) * scale) / 2), offsetY = Math.floor((h - (y1 - y0 + 1) * scale) / 2);
      for (const t of tiles.values()) {
        const sx = Math.floor(offsetX + (t.x - x0) * scale), sy = Math.floor(offsetY + (t.y - y0) * scale);
        for (let y = sy; y < Math.min(sy + size, h); y++) {
          for (let x = sx; x < Math.min(sx + size, w); x++) {
            const at = (y * w + x) * 4;
            px[at] = t.rgb[0]; px[at + 1] = t.rgb[1]; px[at + 2] = t.rgb[2];
          }
        }
      }
    }
    ctx.putImageData(image, 0, 0);
  }

  let pending = null;
  function changed() {
    if (pending) return;
    pending = setTimeout(() => { pending = null; drawMinimap(); refresh(); }, 300);
  }

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const socket = new WebSocket(scheme + location.host + '/infinitemap/ws?mode=batch&since=' + (revision === null ? 0 : revision));
    socket.onopen = () => { el('im-feed').textContent = 'live'; el('im-feed').className = 'im-value im-ok'; };
    socket.onclose = () => {
      el('im-feed').textContent = 'reconnecting';
      el('im-feed').className = 'im-value im-bad';
      setTimeout(connect, 2000);
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'snapshot') {
        tiles.clear();
        for (const key in message.tiles) put(key, message.tiles[key].brick);
      } else if (message.type === 'manifest_update') {
        for (const key in message.tiles) put(key, message.tiles[key].brick);
        for (const key of message.removed) tiles.delete(key);
      } else if (message.type === 'heartbeat') {
        socket.send(JSON.stringify({ type: 'heartbeat', timestamp: Date.now() / 1000 }));
        return;
      } else {
        return;
      }
      revision = message.revision;
      changed();
    };
  }

  refresh();
  connect();
  setInterval(refresh, 5000);
})();
