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

  function drawMinimap() {
    const canvas = el('im-minimap');
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#0d1117';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (tiles.size === 0) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const key of tiles.keys()) {
      const [x, y] = key.split(',').map(Number);
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
    const scale = Math.min((canvas.width - 16) / (x1 - x0 + 1), (canvas.height - 16) / (y1 - y0 + 1), 12);
    const offsetX = (canvas.width - (x1 - x0 + 1) * scale) / 2, offsetY = (canvas.height - (y1 - y0 + 1) * scale) / 2;
    const size = Math.max(1, scale);
    for (const [key, brick] of tiles) {
      const [x, y] = key.split(',').map(Number);
      let hash = 0;
      for (let i = 0; i < brick.length; i++) hash = (hash * 31 + brick.charCodeAt(i)) | 0;
      ctx.fillStyle = 'hsl(' + (Math.abs(hash) % 360) + ', 55%, 55%)';
      ctx.fillRect(offsetX + (x - x0) * scale, offsetY + (y - y0) * scale, size, size);
    }
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
        for (const key in message.tiles) tiles.set(key, message.tiles[key].brick);
      } else if (message.type === 'manifest_update') {
        for (const key in message.tiles) tiles.set(key, message.tiles[key].brick);
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
