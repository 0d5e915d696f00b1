// The map in Leaflet, as any web-map client would show it: the runtime's slippy tiles
// (tiles/{z}/{x}/{y}.png) on a plane where a point's latitude is a cell's row and its longitude
// the cell's column, kept live by the socket: a tile a change touches is asked for again. The
// page holds no cells: it subscribes to a viewport of one corner cell, so the socket sends of
// every change only its bounding box (area_changed), a few dozen bytes however big the change.
(() => {
  'use strict';

  const ONE_PIXEL_ZOOM = 24; // a cell is a pixel at zoom 24, 32 pixels at 29
  const MAX_NATIVE_ZOOM = 29;
  const HALF = 2 ** 31;

  // Tile (0/0/0) is the whole 32-bit plane; pixel = 2^zoom * (cell * 2^-24 + 128).
  const scale = 2 ** -ONE_PIXEL_ZOOM;
  const crs = L.extend({}, L.CRS.Simple, { transformation: new L.Transformation(scale, 128, scale, 128) });
  const plane = L.latLngBounds([[-HALF, -HALF], [HALF, HALF]]);

  const state = { connection: 'connecting', revision: null, refreshed: 0 };
  window.infinitemapLeaflet = state;

  const map = L.map('map', { crs, minZoom: 0, maxZoom: 31, zoomSnap: 1, maxBounds: plane, attributionControl: true });
  map.attributionControl.setPrefix('<a href="leaflet/LICENSE">Leaflet</a>');
  state.map = map;

  // A tile layer whose images can be asked for again by tile key: Leaflet's own keeps them private.
  const shown = new Map(); // "x:y:z" -> img
  const Tiles = L.GridLayer.extend({
    createTile(coords, done) {
      const img = document.createElement('img');
      img.alt = '';
      img.onload = () => done(null, img);
      img.onerror = () => done(new Error('tile ' + img.src), img);
      img.src = url(coords, state.revision);
      shown.set(coords.x + ':' + coords.y + ':' + coords.z, img);
      return img;
    }
  });
  const layer = new Tiles({ tileSize: 256, minZoom: 0, maxZoom: 31, maxNativeZoom: MAX_NATIVE_ZOOM, bounds: plane, noWrap: true,
    attribution: '<a href="./">InfiniteMap</a>' });
  layer.on('tileunload', (e) => shown.delete(e.coords.x + ':' + e.coords.y + ':' + e.coords.z));
  layer.addTo(map);
  state.layer = layer;

  function url(coords, revision) {
    return 'tiles/' + coords.z + '/' + coords.x + '/' + coords.y + '.png' + (revision === null ? '' : '?v=' + revision);
  }

  // Permalink: #x,y,zoom as the viewer writes it (the centre cell and pixels a cell), so a link opens either page.
  function fromHash() {
    const m = /^#(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?(?:e-?\d+)?)$/.exec(location.hash);
    const zoom = m ? Math.round(ONE_PIXEL_ZOOM + Math.log2(+m[3])) : 27;
    map.setView(m ? [+m[2] + 0.5, +m[1] + 0.5] : [0.5, 0.5], Math.max(0, Math.min(31, zoom)));
  }
  fromHash();
  window.addEventListener('hashchange', fromHash);
  map.on('moveend', () => {
    const c = map.getCenter();
    history.replaceState(null, '', '#' + Math.floor(c.lng) + ',' + Math.floor(c.lat) + ',' + 2 ** (map.getZoom() - ONE_PIXEL_ZOOM));
  });
  map.on('mousemove', (e) => {
    document.getElementById('cursor').textContent = Math.floor(e.latlng.lng) + ',' + Math.floor(e.latlng.lat);
  });

  // Which shown tiles a batch of changed cells touches, at the zoom the tiles are drawn for.
  function touched(keys) {
    const z = Math.min(map.getZoom(), MAX_NATIVE_ZOOM);
    const shift = 32 - z;
    const hit = new Set();
    for (const key of keys) {
      const comma = key.indexOf(',');
      const x = Math.floor((+key.slice(0, comma) + HALF) / 2 ** shift);
      const y = Math.floor((+key.slice(comma + 1) + HALF) / 2 ** shift);
      hit.add(x + ':' + y + ':' + z);
    }
    return hit;
  }

  // Which shown tiles a box of cells overlaps.
  function overlapped(box) {
    const z = Math.min(map.getZoom(), MAX_NATIVE_ZOOM);
    const side = 2 ** (32 - z);
    const x0 = Math.floor((box.x0 + HALF) / side), x1 = Math.floor((box.x1 + HALF) / side);
    const y0 = Math.floor((box.y0 + HALF) / side), y1 = Math.floor((box.y1 + HALF) / side);
    const hit = new Set();
    for (const key of shown.keys()) {
      const [x, y, tz] = key.split(':').map(Number);
      if (tz === z && x >= x0 && x <= x1 && y >= y0 && y <= y1) hit.add(key);
    }
    return hit;
  }

  function refresh(hit) {
    for (const [key, img] of shown) {
      if (hit === null || hit.has(key)) {
        const [x, y, z] = key.split(':').map(Number);
        img.src = url({ x, y, z }, state.revision);
        state.refreshed++;
      }
    }
  }

  function receive(message) {
    if (message.type === 'area_changed') {
      state.revision = message.revision;
      refresh(overlapped(message));
    } else if (message.type === 'manifest_update') { // a change at the corner cell itself
      state.revision = message.revision;
      refresh(touched(Object.keys(message.tiles).concat(message.removed)));
    } else if (message.type === 'viewport' && message.revision !== state.revision) {
      // Connected (again): the map's revision now; tiles asked for before it are asked for again.
      state.revision = message.revision;
      refresh(null);
    }
  }

  function setConnection(name, text) {
    state.connection = name;
    document.getElementById('connection').className = 'connection ' + name;
    document.getElementById('connection-text').textContent = text;
  }

  let retryMs = 500;
  let socket = null;
  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const corner = -HALF + ',' + -HALF;
    socket = new WebSocket(scheme + location.host + location.pathname.replace(/[^/]*$/, '') + 'ws?mode=batch&viewport=' + corner + ',' + corner);
    socket.onopen = () => { retryMs = 500; setConnection('live', 'live'); };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'heartbeat') socket.send(JSON.stringify({ type: 'heartbeat', timestamp: Date.now() / 1000 }));
      else receive(message);
    };
    socket.onclose = retry;
  }
  function retry() {
    setConnection('offline', 'reconnecting in ' + (retryMs / 1000).toFixed(1) + ' s');
    setTimeout(connect, retryMs);
    retryMs = Math.min(5000, retryMs * 2);
  }
  connect();
})();
