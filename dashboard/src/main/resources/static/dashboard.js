// The Weft dashboard's pages. Everything shown comes from the server as JSON and is put into the
// page with textContent or as canvas drawing: nothing the cluster or a user typed is ever parsed as
// HTML or run as code. No libraries, no CDN.
'use strict';

const page = document.body.dataset.page;
const state = { update: null, spans: [], workerLanes: new Map(), sort: { key: 'name', up: true }, topic: null };
const STREAM_WINDOW_MILLIS = 20000;
// Bars kept for drawing. The server joins the tasks a worker thread runs back to back with the same
// key prefix into one bar (its tasks counted), so a busy cluster sends a few bars a second per thread,
// and at most 1 000 a second (an even sample beyond that): this holds the whole window.
const MAX_SPANS = 5000;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    if (c instanceof Node) td.appendChild(c); else td.textContent = c === null || c === undefined ? '' : String(c);
    tr.appendChild(td);
  }
  return tr;
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows);
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0; let v = Number(n) || 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

// ------------------------------------------------------------------ navigation

function markCurrent() {
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === page) a.classList.add('current');
  }
}

async function addExtraPages() {
  try {
    const pages = await (await fetch('/api/pages')).json();
    const nav = document.getElementById('nav');
    for (const p of pages) {
      if (typeof p.path !== 'string' || !/^\/[^/\\]/.test(p.path)) continue; // only paths on this server, never //host
      const a = el('a', p.title);
      a.href = p.path;
      nav.appendChild(a);
    }
  } catch (e) { /* the menu stays as it is */ }
}

// ------------------------------------------------------------------ live updates

// How often the page asks for an update, in milliseconds: the address's ?every=, else the choice last
// made in this browser, else twice a second. Each update that changes something shown costs the
// browser a frame, several milliseconds of CPU whatever it draws: on the machine the cluster runs on,
// that is CPU the cluster does not get.
const EVERY_CHOICES = [[250, '4 a second'], [500, '2 a second'], [1000, '1 a second'], [2000, 'every 2 s']];
const EVERY_DEFAULT = 500;

function everyAsked() {
  const valid = (v) => (/^[0-9]+$/.test(v || '') && Number(v) >= 250 && Number(v) <= 10000 ? Number(v) : null);
  const asked = valid(new URLSearchParams(location.search).get('every'));
  if (asked !== null) return asked;
  let saved = null;
  try { saved = valid(localStorage.getItem('weft-every')); } catch (e) { /* no storage: the default */ }
  return saved !== null ? saved : EVERY_DEFAULT;
}

function rateChooser(reconnect) {
  const select = document.getElementById('every');
  const choices = EVERY_CHOICES.some(([ms]) => ms === state.every) ? EVERY_CHOICES
    : EVERY_CHOICES.concat([[state.every, 'every ' + state.every + ' ms']]);
  select.replaceChildren(...choices.map(([ms, label]) => {
    const o = el('option', label);
    o.value = String(ms);
    o.selected = ms === state.every;
    return o;
  }));
  select.addEventListener('change', () => {
    state.every = Number(select.value);
    try { localStorage.setItem('weft-every', select.value); } catch (e) { /* kept for this page only */ }
    reconnect();
  });
}

// The live feed is open only while the page is shown: a page in a background tab, or left for
// another one (and kept by the browser's back/forward cache), closes it, so the scheduler neither
// records nor sends for a page nobody sees; shown again, the page connects anew and the server
// sends its recent task bars again.
function connect() {
  const status = document.getElementById('connection');
  let source = null;
  const open = () => {
    if (source !== null) return;
    document.body.dataset.every = String(state.every);
    source = new EventSource('/api/stream?every=' + state.every);
    source.onopen = () => {
      status.textContent = 'live'; status.classList.add('live');
      // a new connection starts with the server's recent bars: the ones drawn so far would be drawn twice
      state.spans = []; state.received = 0; state.notDrawn = 0;
    };
    source.onerror = () => { status.textContent = 'reconnecting…'; status.classList.remove('live'); };
    source.onmessage = receive;
  };
  const close = (why = 'paused while hidden') => {
    if (source === null) return;
    source.close();
    source = null;
    status.textContent = why; status.classList.remove('live');
  };
  state.every = everyAsked();
  rateChooser(() => { close('connecting…'); if (document.visibilityState !== 'hidden') open(); });
  document.addEventListener('visibilitychange', () => (document.visibilityState === 'hidden' ? close() : open()));
  window.addEventListener('pagehide', () => close());
  window.addEventListener('pageshow', () => { if (document.visibilityState !== 'hidden') open(); });
  if (document.visibilityState !== 'hidden') open();
}

// The parts of the snapshot each page draws (the summary, on every page, is compared as text): a
// part that changed but is not drawn here asks for no frame. The scheduler's process figures, its
// plugins' counts and the workers' CPU change every second or so on an idle cluster.
const DRAWN = {
  status: new Set(['prefixes', 'workers']),
  workers: new Set(['workers', 'schedulerProcess']),
  tasks: new Set(['prefixes']),
  events: new Set(['events']),
  plugins: new Set(['plugins']),
};

// What the status page shows of the workers: their lanes and bars, not their CPU or memory.
function statusWorkers(workers) {
  return JSON.stringify(workers.map((w) => [w.address, w.name, w.nthreads, w.nbytes, w.processing]));
}

function receive(message) {
  const update = JSON.parse(message.data);
  // the server sends only the parts of the snapshot that changed since this page's last update
  state.changed = state.changed || new Set();
  const drawn = DRAWN[page] || new Set();
  for (const k of Object.keys(update.snapshot)) {
    if (!drawn.has(k)) continue;
    if (page === 'status' && k === 'workers') {
      const shown = statusWorkers(update.snapshot.workers);
      if (shown === state.statusWorkers) continue; // only figures this page does not show moved
      state.statusWorkers = shown;
    }
    state.changed.add(k);
  }
  if (update.spans.length > 0) state.changed.add('spans');
  state.snapshot = Object.assign(state.snapshot || {}, update.snapshot);
  update.snapshot = state.snapshot;
  state.update = update;
  let tasks = 0;
  for (const s of update.spans) {
    state.spans.push({ key: s[0], worker: s[1], start: s[2], stop: s[3], erred: s[4], tasks: s[5] });
    tasks += s[5];
  }
  if (state.spans.length > MAX_SPANS) state.spans.splice(0, state.spans.length - MAX_SPANS);
  state.notDrawn = (state.notDrawn || 0) + update.spansNotDrawn;
  state.received = (state.received || 0) + tasks;
  document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
  // a frame costs the browser several milliseconds even when nothing in it moved: none is asked for
  // an update that changes nothing shown (an idle cluster's)
  state.summaryNext = summaryText(update);
  if (state.changed.size > 0 || state.summaryNext !== state.summary) renderSoon();
}

// Draws at most once per frame the browser shows, and not at all while the page is hidden: updates
// that come faster are drawn together.
function renderSoon() {
  if (state.renderPending) return;
  state.renderPending = true;
  requestAnimationFrame(() => { state.renderPending = false; render(); });
}

// The status page redraws only what changed since it last drew: the browser's work is part of what
// an open dashboard costs the machine the cluster runs on.
function render() {
  const u = state.update;
  if (!u) return;
  const changed = state.changed || new Set();
  state.changed = new Set();
  state.renders = (state.renders || 0) + 1;
  renderSummary();
  if (page === 'status') {
    if (changed.has('spans') || changed.has('workers') || changed.has('prefixes')) renderStream(u);
    if (changed.has('prefixes')) renderProgress(u);
    if (changed.has('workers')) renderWorkerBars(u);
  }
  if (page === 'workers') renderWorkers(u);
  if (page === 'tasks') renderPrefixes(u);
  if (page === 'events') renderTopics(u);
  if (page === 'plugins') renderPlugins(u);
}

function summaryText(u) {
  const s = u.snapshot;
  const threads = s.workers.reduce((n, w) => n + w.nthreads, 0);
  const tasks = Object.entries(s.tasks).map(([k, v]) => k + ' ' + v).join(', ') || 'none';
  return s.workers.length + ' workers (' + threads + ' threads), ' + s.clients + ' clients; tasks: ' + tasks + '; '
    + u.transitionsPerSecond.toFixed(0) + ' transitions/s; scheduler loop ' + busyText(u.loopBusyFraction) + ' busy';
}

// An idle loop's share moves between 0 and 1 % from one update to the next (the snapshots themselves,
// heartbeats): shown as one text, so that an idle cluster's page has nothing to redraw.
function busyText(fraction) {
  const percent = 100 * fraction;
  return percent < 5 ? 'under 5%' : percent.toFixed(0) + '%';
}

// The summary of the latest update, worked out once as it came (see receive).
function renderSummary() {
  const text = state.summaryNext;
  if (text === state.summary) return;
  state.summary = text;
  document.getElementById('summary').textContent = text;
}

// ------------------------------------------------------------------ status: task stream

function prefixOf(key, prefixes) {
  let best = null;
  for (const p of prefixes) if (key.startsWith(p) && (best === null || p.length > best.length)) best = p;
  if (best !== null) return best;
  const dash = key.lastIndexOf('-');
  return dash > 0 ? key.substring(0, dash) : key;
}

// Ten distinct colours (Tableau 10), in the order of the scheduler's prefixes; more reuse them.
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

function colour(prefix, prefixes) {
  const i = prefixes.indexOf(prefix);
  if (i >= 0) return PALETTE[i % PALETTE.length];
  let h = 0;
  for (let j = 0; j < prefix.length; j++) h = (h * 31 + prefix.charCodeAt(j)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

// Each worker gets as many lanes as it has threads; a span goes to the first lane free at its start.
function lanes(workers, spans) {
  const order = new Map();
  let next = 0;
  for (const w of workers) { order.set(w.address, { first: next, n: Math.max(1, w.nthreads), name: w.name }); next += Math.max(1, w.nthreads); }
  const ends = new Map();
  const placed = [];
  const sorted = spans.slice().sort((a, b) => a.start - b.start);
  for (const s of sorted) {
    const w = order.get(s.worker);
    if (!w) continue;
    if (!ends.has(s.worker)) ends.set(s.worker, new Array(w.n).fill(-Infinity));
    const laneEnds = ends.get(s.worker);
    let lane = laneEnds.findIndex((end) => end <= s.start);
    if (lane < 0) lane = laneEnds.indexOf(Math.min(...laneEnds));
    laneEnds[lane] = s.stop;
    placed.push({ span: s, row: w.first + lane });
  }
  return { placed, rows: next, order };
}

function renderStream(u) {
  const canvas = document.getElementById('task-stream');
  const ctx = canvas.getContext('2d');
  const prefixes = Object.keys(u.snapshot.prefixes);
  const latest = state.spans.reduce((m, s) => Math.max(m, s.stop), 0);
  const earliest = state.spans.reduce((m, s) => Math.min(m, s.start), latest);
  const shown = Math.max(1000, Math.min(STREAM_WINDOW_MILLIS, latest - earliest));
  const from = latest - shown;
  const visible = state.spans.filter((s) => s.stop >= from);
  const { placed, rows, order } = lanes(u.snapshot.workers, visible);
  const labelWidth = 140;
  const rowHeight = Math.max(4, Math.min(24, Math.floor((canvas.height - 20) / Math.max(1, rows))));
  const width = canvas.width - labelWidth;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.font = '11px sans-serif';
  ctx.fillStyle = '#555';
  for (const w of order.values()) ctx.fillText(w.name.length > 22 ? '…' + w.name.slice(-21) : w.name, 4, w.first * rowHeight + rowHeight - 2);
  for (const p of placed) {
    const x0 = labelWidth + Math.max(0, (p.span.start - from) / shown * width);
    const x1 = labelWidth + (p.span.stop - from) / shown * width;
    ctx.fillStyle = p.span.erred ? '#000' : colour(prefixOf(p.span.key, prefixes), prefixes);
    ctx.fillRect(x0, p.row * rowHeight + 1, Math.max(1, x1 - x0), rowHeight - 2);
  }
  ctx.fillStyle = '#777';
  ctx.fillText('last ' + (shown / 1000).toFixed(1) + ' s of task computes, one row per worker thread, coloured by key prefix'
    + ' (black: failed; tasks run back to back make one bar)', labelWidth, canvas.height - 4);
  canvas.dataset.drawn = String(placed.length);
  canvas.dataset.total = String(state.received);
  document.getElementById('stream-note').textContent = state.notDrawn ? '(a sample: more than 1 000 bars a second are '
    + 'thinned out evenly; ' + state.notDrawn + ' tasks not drawn since this page opened)' : '';
}

// ------------------------------------------------------------------ status: progress and workers

const SEGMENTS = [['memory', ['memory']], ['processing', ['processing']], ['waiting', ['waiting', 'queued', 'no-worker', 'released']], ['erred', ['erred']]];

// A bar row: its label, one segment per part (width its share of total) and a count. An existing row
// (same label, same parts) is updated in place, and only where a value changed, rather than built
// anew at each update.
function bar(label, parts, total, count, row) {
  const r = row && row.dataset.label === label && row.dataset.parts === parts.map((p) => p[0]).join(' ') ? row : null;
  if (!r) {
    const made = el('div', null, 'bar-row');
    made.dataset.label = label;
    made.dataset.parts = parts.map((p) => p[0]).join(' ');
    made.appendChild(el('span', label, 'bar-label'));
    const b = el('div', null, 'bar');
    for (const [cls] of parts) b.appendChild(el('span', null, 'seg-' + cls));
    b.addEventListener('mouseover', (e) => { if (e.target !== b) e.target.title = e.target.className.slice(4) + ': ' + e.target.weftCount; });
    made.appendChild(b);
    made.appendChild(el('span', null, 'bar-count'));
    return bar(label, parts, total, count, made);
  }
  const segs = r.children[1].children;
  parts.forEach(([cls, n], i) => {
    const width = (total > 0 ? 100 * n / total : 0) + '%';
    if (segs[i].style.width !== width) segs[i].style.width = width;
    segs[i].weftCount = n; // a plain property, not an attribute: its tooltip is written when the pointer comes
  });
  const text = String(count);
  if (r.children[2].textContent !== text) r.children[2].textContent = text;
  return r;
}

// Puts rows into a container, keeping those already there in place (no new elements, no new layout
// of the whole list) unless the rows themselves are other ones.
function keepRows(container, rows) {
  const now = container.children;
  if (now.length !== rows.length || rows.some((r, i) => now[i] !== r)) container.replaceChildren(...rows);
}

function renderProgress(u) {
  const container = document.getElementById('progress');
  const old = new Map();
  for (const r of container.querySelectorAll('.prefix-row')) old.set(r.dataset.prefix, r);
  const rows = [];
  for (const [prefix, states] of Object.entries(u.snapshot.prefixes)) {
    const parts = SEGMENTS.map(([cls, names]) => [cls, names.reduce((n, s) => n + (states[s] || 0), 0)]);
    const total = parts.reduce((n, p) => n + p[1], 0);
    const r = bar(prefix, parts, total, parts.map(([c, n]) => c + ' ' + n).join(' · '), old.get(prefix));
    r.classList.add('prefix-row');
    r.dataset.prefix = prefix;
    for (const [cls, n] of parts) if (r.dataset[cls] !== String(n)) r.dataset[cls] = String(n);
    rows.push(r);
  }
  if (rows.length === 0) rows.push(container.querySelector('p.none') || el('p', 'no tasks', 'none'));
  keepRows(container, rows);
}

function renderWorkerBars(u) {
  const ws = u.snapshot.workers;
  const maxBytes = Math.max(1, ...ws.map((w) => w.nbytes));
  const container = document.getElementById('worker-bars');
  const old = container.children;
  const rows = [];
  for (const w of ws) {
    rows.push(bar(w.name + ' memory', [['memory', w.nbytes]], maxBytes, bytes(w.nbytes), old[rows.length]));
    rows.push(bar(w.name + ' processing', [['processing', w.processing]], Math.max(1, w.nthreads * 2),
      w.processing + ' tasks, ' + w.nthreads + ' threads', old[rows.length]));
  }
  keepRows(container, rows);
}

// ------------------------------------------------------------------ workers page

function renderWorkers(u) {
  const key = state.sort.key;
  // a worker process's own figures (its heartbeats): CPU in cores, resident memory. Workers inside the
  // scheduler's process have none of their own: they show that process's (the resource monitor's
  // latest sample), marked as shared, or '-' while the monitor does not record.
  const shared = u.snapshot.schedulerProcess || null;
  const ws = u.snapshot.workers.map((w) => {
    const inside = w.remote === false && !w.process;
    const figures = w.process ? { cpu: w.process.cpu, rss: w.process.rssBytes } : inside && shared
      ? { cpu: shared.cpu, rss: shared.rssBytes } : { cpu: -1, rss: -1 };
    return Object.assign({}, w, figures, {
      shared: inside && shared !== null,
      executing: w.process && w.process.tasks ? (w.process.tasks.executing || 0) : -1,
    });
  }).sort((a, b) => {
    const x = key === 'resources' ? JSON.stringify(a[key]) : a[key];
    const y = key === 'resources' ? JSON.stringify(b[key]) : b[key];
    const c = x < y ? -1 : x > y ? 1 : 0;
    return state.sort.up ? c : -c;
  });
  const mark = (text, w) => (w.shared && text !== '-' ? text + ' (process)' : text);
  fill(document.querySelector('#workers-table tbody'), ws.map((w) => {
    const tr = row([w.name, w.nthreads, Object.entries(w.resources).map(([k, v]) => k + '=' + v).join(',') || '-',
      w.processing, w.occupancy.toFixed(2), w.inMemory, bytes(w.nbytes), w.load,
      w.executing < 0 ? '-' : w.executing, mark(w.cpu < 0 ? '-' : (100 * w.cpu).toFixed(0) + ' %', w),
      mark(w.rss < 0 ? '-' : bytes(w.rss), w)]);
    tr.dataset.worker = w.address;
    tr.dataset.shared = String(w.shared);
    if (w.shared) tr.title = 'CPU and memory: the scheduler\'s whole process, which this worker shares';
    return tr;
  }));
  const inside = ws.filter((w) => w.remote === false && !w.process).length;
  document.getElementById('workers-note').textContent = inside === 0 ? ''
    : shared !== null
      ? inside + (inside === 1 ? ' worker runs' : ' workers run') + ' inside the scheduler\'s process: CPU and memory '
        + 'marked (process) are that whole process\'s, shared by ' + (inside === 1 ? 'it' : 'all of them')
        + ', not each worker\'s (the resource monitor\'s latest sample).'
      : inside + (inside === 1 ? ' worker runs' : ' workers run') + ' inside the scheduler\'s process and '
        + (inside === 1 ? 'has' : 'have') + ' no CPU or memory of ' + (inside === 1 ? 'its' : 'their')
        + ' own: start the resource monitor (weft:profile start in the console, or autostart=true in '
        + 'etc/org.weft.plugins.resourcemonitor.cfg) to see that process\'s here.';
  for (const th of document.querySelectorAll('#workers-table th')) {
    th.classList.toggle('sorted', th.dataset.key === key);
    th.classList.toggle('up', th.dataset.key === key && state.sort.up);
  }
}

function sortable() {
  for (const th of document.querySelectorAll('#workers-table th')) {
    th.addEventListener('click', () => {
      state.sort = { key: th.dataset.key, up: state.sort.key === th.dataset.key ? !state.sort.up : true };
      renderSoon();
    });
  }
}

// ------------------------------------------------------------------ tasks page

function renderPrefixes(u) {
  fill(document.querySelector('#prefix-table tbody'), Object.entries(u.snapshot.prefixes).map(([p, states]) =>
    row([p, Object.entries(states).map(([k, v]) => k + ' ' + v).join(', ')])));
}

async function showStory(key) {
  const note = document.getElementById('story-note');
  const tbody = document.querySelector('#story-table tbody');
  const response = await fetch('/api/story?key=' + encodeURIComponent(key));
  if (!response.ok) { note.textContent = 'cannot get the story: HTTP ' + response.status; fill(tbody, []); return; }
  const entries = await response.json();
  note.textContent = entries.length === 0 ? 'no story for ' + key + ' (unknown key, or older than the story log)'
    : entries.length + ' transitions of ' + key;
  fill(tbody, entries.map((e) => row([new Date(e.timestampMillis).toISOString(), e.where, e.start, e.finish, e.stimulusId])));
}

// ------------------------------------------------------------------ events page

function renderTopics(u) {
  fill(document.querySelector('#topics-table tbody'), Object.entries(u.snapshot.events).map(([topic, n]) => {
    const a = el('a', topic);
    a.href = '#';
    a.addEventListener('click', (e) => { e.preventDefault(); state.topic = topic; showEvents(); });
    return row([a, n]);
  }));
  if (state.topic !== null && document.body.dataset.eventsShown !== String(u.snapshot.events[state.topic])) showEvents();
}

async function showEvents() {
  const topic = state.topic;
  document.getElementById('events-topic').textContent = '(' + topic + ')';
  const response = await fetch('/api/events?topic=' + encodeURIComponent(topic));
  if (!response.ok) return;
  const events = await response.json();
  document.body.dataset.eventsShown = String(state.update ? state.update.snapshot.events[topic] : '');
  fill(document.querySelector('#events-table tbody'), events.slice(-100).reverse().map((e) =>
    row([new Date(e.timestampMillis).toISOString(), typeof e.message === 'string' ? e.message : JSON.stringify(e.message)])));
}

// ------------------------------------------------------------------ plugins page

function delivery(p) {
  if (p.async === undefined) return 'sync';
  return 'async ' + p.queueCapacity + ' ' + p.overflow;
}

function renderPlugins(u) {
  fill(document.querySelector('#plugins-table tbody'), u.snapshot.plugins.map((p) => {
    const tr = row([p.name, p.kind, p.where, p.bundle, p.version, p.state, p.calls, p.errors,
      (p.meanNanos / 1000).toFixed(1), (p.maxNanos / 1000).toFixed(1), delivery(p), p.dropped, p.failure]);
    tr.dataset.plugin = p.name;
    tr.dataset.state = p.state;
    return tr;
  }));
}

function token() {
  return document.getElementById('token').value.trim();
}

function say(message, ok) {
  const m = document.getElementById('admin-message');
  m.textContent = message;
  m.className = 'message ' + (ok ? 'ok' : 'refused');
}

async function admin(path, body) {
  const headers = {};
  if (token()) headers.Authorization = 'Bearer ' + token();
  const response = await fetch('/api/plugins/' + path, { method: 'POST', headers, body });
  let message;
  try { message = (await response.json()).message; } catch (e) { message = 'HTTP ' + response.status; }
  say(message, response.ok);
  loadBundles();
}

function fileButton(label, onFile) {
  const span = el('span');
  const input = el('input');
  input.type = 'file';
  input.accept = '.jar';
  const b = el('button', label);
  b.type = 'button';
  b.addEventListener('click', () => { if (input.files.length === 1) onFile(input.files[0]); else say('choose a jar first', false); });
  span.append(input, b);
  return span;
}

async function loadBundles() {
  const response = await fetch('/api/bundles');
  if (!response.ok) return;
  const bundles = await response.json();
  fill(document.querySelector('#bundles-table tbody'), bundles.filter((b) => b.managedHere).map((b) => {
    const actions = el('span');
    actions.appendChild(fileButton('Update', (file) => admin('update?bundle=' + b.id, file)));
    const remove = el('button', 'Remove');
    remove.type = 'button';
    remove.className = 'remove';
    remove.addEventListener('click', () => admin('remove?bundle=' + b.id, null));
    actions.appendChild(remove);
    const tr = row([b.id, b.name, b.version, b.state, actions]);
    tr.dataset.bundle = b.name;
    return tr;
  }));
}

function pluginForms() {
  const saved = sessionStorage.getItem('weft-token');
  if (saved) document.getElementById('token').value = saved;
  document.getElementById('token').addEventListener('change', () => sessionStorage.setItem('weft-token', token()));
  document.getElementById('token-form').addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('install-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const files = document.getElementById('install-file').files;
    if (files.length !== 1) { say('choose a jar first', false); return; }
    admin('install', files[0]);
  });
  loadBundles();
}

// ------------------------------------------------------------------ start

markCurrent();
addExtraPages();
if (page === 'workers') sortable();
if (page === 'tasks') {
  document.getElementById('story-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const key = document.getElementById('story-key').value.trim();
    if (key) showStory(key);
  });
}
if (page === 'plugins') pluginForms();
connect();
