// The InfiniteMap Web Console tab: status, compositors and latest deltas refreshed on every
// change of the map (and every 5 s), and a minimap of the whole map drawn from the runtime's
// slippy tiles, so opening the tab costs a few tile images whatever the size of the map.
(function () {
  'use strict';
  const el = (id) => document.getElementById(id);
  const HALF = 2 ** 31;
  let revision = null;
  let fitted = null; // how the minimap shows the map: {z, ppc, left, top} (cells to canvas pixels)
  let camera = null; // the latest camera a viewer shared, in cells

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

  // A table cell with a compositor's state as a coloured pill.
  function statePill(kind, label) {
    const state = document.createElement('span');
    state.className = 'im-state ' + kind;
    state.textContent = label;
    const td = document.createElement('td');
    td.appendChild(state);
    return td;
  }

  async function refresh() {
    try {
      // One compositor's deltas: the latest 15 of it among the last 1,000 of the map.
      const only = el('im-delta-filter').value;
      const [status, compositors, deltas, bounds, unusable] = await Promise.all([json('/infinitemap/api/status'), json('/infinitemap/api/compositors'),
        json('/infinitemap/api/deltas?limit=' + (only ? 1000 : 15)), json('/infinitemap/api/bounds'), json('/infinitemap/api/unusable')]);
      revision = bounds.revision;
      drawMinimap(bounds.bounds);
      el('im-ready').textContent = status.ready ? 'ready' : 'starting';
      el('im-ready').className = 'im-value ' + (status.ready ? 'im-ok' : 'im-bad');
      el('im-revision').textContent = status.revision;
      el('im-tiles').textContent = status.tiles.toLocaleString('en');
      el('im-compositors').textContent = status.compositors;
      el('im-uptime').textContent = Math.round(status.uptimeMs / 1000) + ' s';

      showCluster(status.cluster, compositors);
      compositors.sort((a, b) => b.layer - a.layer || a.name.localeCompare(b.name));
      el('im-compositor-rows').replaceChildren(...compositors.map((c) => {
        const tr = document.createElement('tr');
        tr.append(cell(c.name), cell(c.kind),
          cell(c.kind === 'bundle' ? c.bundle.symbolicName + ' ' + c.bundle.version + ' (#' + c.bundle.id + ')'
            : c.kind === 'remote' ? 'runtime ' + c.runtime : c.file),
          cell(c.layer), cell(c.tiles.toLocaleString('en')), statePill(c.state, c.state),
          cell(c.lastUpdate ? new Date(c.lastUpdate).toLocaleTimeString() : '–'), cell(c.lastError || '', 'im-error'));
        return tr;
      }), ...unusable.map((u) => {
        // A file in deploy/ that is no bundle at all: listed with why, not only in the log.
        const tr = document.createElement('tr');
        tr.append(cell(u.file), cell('file'), cell(u.file), cell('–'), cell('–'), statePill('failed', 'not installed'),
          cell(new Date(u.since).toLocaleTimeString()), cell(u.reason, 'im-error'));
        return tr;
      }));
      filterChoices(compositors.map((c) => c.name));
      const shown = (only ? deltas.deltas.filter((d) => d.compositor === only) : deltas.deltas).slice(0, 15);
      el('im-delta-rows').replaceChildren(...shown.map((d) => {
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

  // Shown only when the runtime shares its map: its own state, then each other runtime.
  function showCluster(cluster, compositors) {
    el('im-cluster-card').hidden = !cluster;
    el('im-cluster-section').hidden = !cluster;
    if (!cluster) return;
    const good = cluster.state === 'caught-up';
    el('im-cluster').textContent = cluster.state;
    el('im-cluster').className = 'im-value ' + (good ? 'im-ok' : 'im-bad');
    el('im-cluster-summary').textContent = 'runtime ' + cluster.runtime + ' on map "' + cluster.map + '" at ' + cluster.bootstrap
      + ', ' + cluster.lag.toLocaleString('en') + ' records not read yet' + (cluster.problem ? ': ' + cluster.problem : '');
    el('im-cluster-rows').replaceChildren(...cluster.runtimes.map((r) => {
      const its = compositors.filter((c) => c.kind === 'remote' && c.runtime === r.runtime);
      const tr = document.createElement('tr');
      tr.append(cell(r.runtime), statePill(r.state, r.state), cell(new Date(r.lastHeard).toLocaleTimeString()), cell(its.length),
        cell(its.reduce((sum, c) => sum + c.tiles, 0).toLocaleString('en')));
      return tr;
    }));
  }

  function filterChoices(names) {
    const select = el('im-delta-filter');
    const wanted = [''].concat(names.slice().sort());
    if ([...select.options].map((o) => o.value).join('\n') === wanted.join('\n')) return;
    const chosen = select.value;
    select.replaceChildren(...wanted.map((name) => {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = name || 'all compositors';
      return option;
    }));
    select.value = wanted.includes(chosen) ? chosen : '';
  }

  // The map's bounds fitted into the canvas at the deepest slippy zoom that holds them (at most 8
  // pixels a cell), drawn from the few tiles that cover them once all have come, so a redraw
  // never flickers.
  let drawing = 0; // the latest drawing asked for; an older one that ends late is dropped
  let repaint = null; // paints the latest drawing's tiles again
  function drawMinimap(bounds) {
    const canvas = el('im-minimap');
    const w = canvas.width, h = canvas.height;
    const ctx = canvas.getContext('2d');
    const mine = ++drawing;
    const paint = (tiles) => {
      if (mine !== drawing) return;
      ctx.fillStyle = '#0d1117';
      ctx.fillRect(0, 0, w, h);
      ctx.imageSmoothingEnabled = false; // cells stay crisp squares
      for (const t of tiles) if (t.img.naturalWidth) ctx.drawImage(t.img, Math.floor(t.x), Math.floor(t.y), Math.ceil(t.side), Math.ceil(t.side));
      drawCamera();
    };
    if (!bounds) { fitted = null; repaint = null; paint([]); return; }
    const cellsW = bounds.x1 - bounds.x0 + 1, cellsH = bounds.y1 - bounds.y0 + 1;
    const fit = Math.min((w - 16) / cellsW, (h - 16) / cellsH, 8);
    const z = Math.max(0, Math.min(27, 24 + Math.floor(Math.log2(fit))));
    const ppc = Math.max(fit, 2 ** (z - 24)); // canvas pixels a cell: the tiles' own, stretched up to 2x to fill
    const side = 256 * ppc / 2 ** (z - 24); // a tile's side on the canvas
    const left = Math.floor((w - cellsW * ppc) / 2) - (bounds.x0 + HALF) * ppc; // canvas x of the plane's edge
    const top = Math.floor((h - cellsH * ppc) / 2) - (bounds.y0 + HALF) * ppc;
    const last = 2 ** z - 1;
    const tx0 = Math.max(0, Math.floor(-left / side)), tx1 = Math.min(last, Math.floor((w - left) / side));
    const ty0 = Math.max(0, Math.floor(-top / side)), ty1 = Math.min(last, Math.floor((h - top) / side));
    const tiles = [];
    for (let ty = ty0; ty <= ty1; ty++) {
      for (let tx = tx0; tx <= tx1; tx++) {
        const img = new Image();
        img.src = location.origin + '/infinitemap/tiles/' + z + '/' + tx + '/' + ty + '.png?v=' + revision;
        tiles.push({ img, x: left + tx * side, y: top + ty * side, side });
      }
    }
    Promise.all(tiles.map((t) => t.img.decode().catch(() => null))).then(() => {
      if (mine !== drawing) return;
      fitted = { z, ppc, left, top };
      repaint = () => paint(tiles);
      repaint();
    });
  }

  // Where a viewer that shares its camera is looking: a cross on the minimap.
  function drawCamera() {
    if (!camera || !fitted) return;
    const ctx = el('im-minimap').getContext('2d');
    const x = Math.round(fitted.left + (camera.x + HALF) * fitted.ppc), y = Math.round(fitted.top + (camera.y + HALF) * fitted.ppc);
    ctx.strokeStyle = '#ffd666';
    ctx.lineWidth = 2;
    ctx.strokeRect(x - 6, y - 6, 12, 12);
  }

  // A click on the minimap opens the viewer at that cell.
  el('im-minimap').addEventListener('click', (e) => {
    if (!fitted) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const sx = (e.clientX - rect.left) * e.currentTarget.width / rect.width, sy = (e.clientY - rect.top) * e.currentTarget.height / rect.height;
    const x = Math.floor((sx - fitted.left) / fitted.ppc - HALF), y = Math.floor((sy - fitted.top) / fitted.ppc - HALF);
    window.open('/infinitemap/#' + x + ',' + y + ',32', '_blank', 'noopener');
  });
  el('im-delta-filter').addEventListener('change', () => refresh());

  let pending = null;
  function changed() {
    if (pending) return;
    pending = setTimeout(() => { pending = null; refresh(); }, 300);
  }

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    // A viewport of one corner cell: of each change only its box comes (area_changed), never the map.
    const corner = -HALF + ',' + -HALF;
    const socket = new WebSocket(scheme + location.host + '/infinitemap/ws?mode=batch&viewport=' + corner + ',' + corner);
    socket.onopen = () => { el('im-feed').textContent = 'live'; el('im-feed').className = 'im-value im-ok'; };
    socket.onclose = () => {
      el('im-feed').textContent = 'reconnecting';
      el('im-feed').className = 'im-value im-bad';
      setTimeout(connect, 2000);
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'area_changed' || message.type === 'manifest_update') {
        changed();
      } else if (message.type === 'camera_update') {
        camera = { x: message.x / 100, y: message.y / 100 }; // the old protocol's units: 100 per cell
        if (repaint) repaint();
      } else if (message.type === 'heartbeat') {
        socket.send(JSON.stringify({ type: 'heartbeat', timestamp: Date.now() / 1000 }));
      }
    };
  }

  refresh();
  connect();
  setInterval(refresh, 5000);
})();
