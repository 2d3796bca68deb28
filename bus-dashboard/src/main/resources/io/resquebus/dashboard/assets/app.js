// The bus dashboard. Every value from Redis is rendered as text (append/textContent), never as HTML.
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content || '';
const BASE = meta('base');
const READ_ONLY = meta('read-only') === 'true';
const POLL = Number(meta('poll')) || 5000;
const main = document.querySelector('main');
const samples = [];
let delay = POLL;
let timer = 0;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'testid') e.dataset.testid = v;
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c != null) e.append(c instanceof Node ? c : String(c));
  return e;
}
const table = (head, rows, testid) => el('table', { testid },
  el('thead', {}, el('tr', {}, head.map((h) => el('th', {}, h)))), el('tbody', {}, rows));
const card = (label, value, testid) => el('div', { class: 'card' }, el('b', { testid }, value ?? '–'), el('span', {}, label));
const num = (n) => (n == null ? '–' : Number(n).toLocaleString('en'));
const age = (s) => (s == null ? '–' : s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${(s / 3600).toFixed(1)}h`);
const when = (epoch) => (epoch ? new Date(epoch * 1000).toISOString().replace('.000', '') : '–');
const json = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
const parse = (text) => { try { return JSON.parse(text); } catch { return null; } };
// A job or delayed item larger than the server's read limit arrives cut, with its full size.
const cut = (v) => (v.truncated ? el('span', { class: 'mute', testid: 'cut' }, ` (cut, ${num(v.bytes)} bytes)`) : null);

function banner(text) {
  const b = document.querySelector('[data-testid=banner]');
  b.hidden = !text;
  b.textContent = text || '';
}
function flash(text, error) {
  const f = document.querySelector('[data-testid=flash]');
  f.hidden = !text;
  f.textContent = text || '';
  f.className = error ? 'flash err' : 'flash';
}

async function api(path) {
  const response = await fetch(`${BASE}/api${path}`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (response.status === 503) banner(body.error || 'Redis is unavailable');
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  banner('');
  document.querySelector('[data-testid=updated]').textContent = `updated ${new Date().toLocaleTimeString()}`;
  return body;
}

async function act(path, body, question) {
  if (question && !window.confirm(question)) return null;
  const headers = { 'Content-Type': 'application/json', 'X-ResqueBus-Dashboard': '1' };
  if (meta('csrf-header')) headers[meta('csrf-header')] = meta('csrf-token');
  const response = await fetch(`${BASE}/api${path}`, { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(body || {}) });
  const result = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) flash(result.error || `HTTP ${response.status}`, true);
  else flash(`Done: ${JSON.stringify(result)}`);
  await render();
  return result;
}
const button = (label, testid, onclick, danger) => (READ_ONLY ? null : el('button', { testid, onclick, class: danger ? 'danger' : null }, label));

function graph() {
  const w = 600, h = 110, points = samples.slice(1).map((s, i) => ({ p: s.processed - samples[i].processed, f: s.failed - samples[i].failed }));
  const max = Math.max(1, ...points.map((p) => Math.max(p.p, p.f)));
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('class', 'graph');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.dataset.testid = 'graph';
  for (const [key, cls] of [['p', 'p'], ['f', 'f']]) {
    const line = document.createElementNS(svg.namespaceURI, 'polyline');
    line.setAttribute('class', cls);
    line.setAttribute('points', points.map((p, i) => `${(i * w) / Math.max(1, points.length - 1)},${h - 5 - ((h - 10) * p[key]) / max}`).join(' '));
    svg.append(line);
  }
  return svg;
}

async function overview() {
  const o = await api('/overview');
  if (!samples.length || samples[samples.length - 1].readAt !== o.readAt) samples.push({ processed: o.processed, failed: o.failedTotal, readAt: o.readAt });
  if (samples.length > 60) samples.shift();
  const w = o.workers;
  const runners = Object.entries(o.runners || {}).map(([name, state]) => el('tr', {},
    el('td', {}, name), el('td', { testid: `runner-${name}` }, state),
    el('td', {}, state === 'paused' ? button('Resume', `resume-${name}`, () => act(`/runners/${name}/resume`, {}, `Resume the ${name} in this app?`))
      : button('Pause', `pause-${name}`, () => act(`/runners/${name}/pause`, {}, `Pause the ${name} in this app?`)))));
  return el('div', {},
    el('div', { class: 'cards' },
      card('processed', num(o.processed), 'processed'), card('failed (ever)', num(o.failedTotal), 'failed-total'),
      card('in failed list', num(o.failed), 'failed-count'),
      card(`workers busy / idle${w.sampled < w.total ? ` (sample of ${w.sampled})` : ''}`, `${num(w.busy)} / ${num(w.idle)}`, 'workers'),
      card('bus_incoming lag', age(o.incomingLagSeconds), 'lag'),
      card(`scheduled, next ${when(o.scheduled.next)}`, num(o.scheduled.timestamps), 'scheduled'),
      card('heartbeat minute', o.heartbeatMinute ? when(o.heartbeatMinute * 60) : '–', 'heartbeat'),
      card(`Redis ${o.redis.version}`, o.redis.usedMemory, 'redis')),
    el('h2', {}, 'Processed and failed per poll'), graph(),
    el('h2', {}, `Queues (${o.queueCount})`),
    table(['Queue', 'Jobs', 'Oldest', ''], o.queues.map((q) => el('tr', { testid: `queue-${q.name}` },
      el('td', {}, el('a', { href: `#/queues/${encodeURIComponent(q.name)}` }, q.name)),
      el('td', { class: 'num', testid: `depth-${q.name}` }, num(q.depth)), el('td', { class: 'num' }, age(q.oldestAgeSeconds)),
      el('td', {}, q.depth ? button('Clear', `clear-${q.name}`, () => act('/queues/clear', { queue: q.name }, `Delete all ${q.depth} jobs of ${q.name}?`), true) : null))), 'queues'),
    el('h2', {}, 'Runners in this app'),
    runners.length ? table(['Runner', 'State', ''], runners) : el('p', { class: 'mute' }, 'No runners in this app.'),
    el('p', {}, `All workers (Resque pause-all-workers): `, el('b', { testid: 'paused-all' }, o.pausedAll ? 'paused' : 'running'), ' ',
      o.pausedAll ? button('Resume all workers', 'resume-all', () => act('/pause-all', { paused: false }, 'Resume every worker, Ruby and Java, on this Redis?'))
        : button('Pause all workers', 'pause-all', () => act('/pause-all', { paused: true }, 'Pause every worker, Ruby and Java, on this Redis?'))));
}

function pager(total, offset, size, go) {
  return el('div', { class: 'pager' },
    offset > 0 ? el('button', { testid: 'prev', onclick: () => go(Math.max(0, offset - size)) }, '‹ Newer') : null,
    el('span', { class: 'mute' }, `${total ? offset + 1 : 0}–${Math.min(total, offset + size)} of ${num(total)}`),
    offset + size < total ? el('button', { testid: 'next', onclick: () => go(offset + size) }, 'Older ›') : null);
}

async function queues() {
  const page = await api('/queues?size=100');
  return el('div', {}, el('h2', {}, 'Queues'), table(['Queue', 'Jobs', 'Oldest'], page.items.map((q) => el('tr', {},
    el('td', {}, el('a', { href: `#/queues/${encodeURIComponent(q.name)}` }, q.name)), el('td', { class: 'num' }, num(q.depth)),
    el('td', { class: 'num' }, age(q.oldestAgeSeconds))))));
}

async function queue(name, offset = 0) {
  const page = await api(`/queues/${encodeURIComponent(name)}?offset=${offset}&size=20`);
  return el('div', {}, el('h2', {}, `Queue ${name}`), pager(page.total, offset, 20, (o) => show(queue(name, o))),
    table(['#', 'Class', 'Arguments'], page.items.map((v, i) => {
      const job = (!v.truncated && parse(v.text)) || {};
      return el('tr', { testid: 'job' }, el('td', { class: 'num' }, offset + i), el('td', {}, job.class ?? ''),
        el('td', {}, el('code', {}, json(job.args ?? v.text)), cut(v)));
    }), 'jobs'));
}

async function workers(cursor = '0') {
  const page = await api(`/workers?size=100&cursor=${encodeURIComponent(cursor)}`);
  return el('div', {}, el('h2', {}, 'Workers'),
    table(['Worker', 'Queues', 'Started', 'Heartbeat', 'Working on'], page.items.map((w) => {
      const [host, pid, qs] = w.id.split(':');
      const job = w.job && typeof w.job === 'object' ? w.job : null;
      return el('tr', { testid: 'worker' }, el('td', {}, `${host}:${pid}`), el('td', {}, (qs || '').split(',').map((q) => el('span', { class: 'tag' }, q))),
        el('td', {}, w.started ?? '–'), el('td', {}, w.heartbeat ?? '–'),
        el('td', {}, job ? [el('b', {}, job.queue ?? ''), ' ', job.payload?.class ?? '', ' ', el('span', { class: 'mute' }, job.run_at ?? ''),
          el('pre', {}, json(job.payload?.args ?? ''))] : el('span', { class: 'mute' }, w.job ? json(w.job) : 'idle')));
    }), 'workers'),
    page.nextCursor ? el('button', { testid: 'next', onclick: () => show(workers(page.nextCursor)) }, 'More ›') : null);
}

const filters = { queue: '', class: '', text: '' };
async function failed(offset = 0, before = null) {
  const filtered = filters.queue || filters.class || filters.text;
  const query = new URLSearchParams({ size: 20, offset, ...filters });
  if (before != null) query.set('before', before);
  const [page, groups] = await Promise.all([api(`/failed?${query}`), api('/failed/groups')]);
  const input = (name) => el('input', { name, placeholder: name === 'text' ? 'exception or text' : name, value: filters[name], testid: `filter-${name}` });
  const form = el('form', { class: 'bar', testid: 'filter', onsubmit: (e) => {
    e.preventDefault();
    for (const k of Object.keys(filters)) filters[k] = form.elements[k].value.trim();
    show(failed());
  } }, input('queue'), input('class'), input('text'), el('button', { testid: 'filter-apply' }, 'Filter'),
  filtered ? el('button', { type: 'button', onclick: () => { Object.keys(filters).forEach((k) => (filters[k] = '')); show(failed()); } }, 'Clear filter') : null);
  const rows = page.items.map((f) => {
    const payload = parse(f.payload) || {};
    const event = Array.isArray(payload.args) && typeof payload.args[0] === 'string' ? parse(payload.args[0]) : null;
    return el('tr', { testid: 'failure' },
      el('td', {}, el('div', {}, f.failedAt), el('div', { class: 'mute' }, f.worker)),
      el('td', {}, el('b', {}, f.queue), el('div', {}, payload.class ?? ''), event?.bus_event_type ? el('div', { class: 'tag' }, event.bus_event_type) : null),
      el('td', {}, el('b', { testid: 'exception' }, f.exception), el('div', { testid: 'error' }, f.error),
        el('details', {}, el('summary', {}, 'arguments and backtrace'), el('pre', { testid: 'args' }, json(payload.args ?? f.payload)), el('pre', {}, f.backtrace.join('\n')))),
      el('td', {}, button('Retry', `retry-${f.index}`, () => act('/failed/retry', { index: f.index, digest: f.digest }, 'Retry this failed job on its queue?')), ' ',
        button('Remove', `remove-${f.index}`, () => act('/failed/remove', { index: f.index, digest: f.digest }, 'Remove this failed job?'), true)));
  });
  return el('div', {}, el('h2', {}, `Failed jobs (${num(page.total)})`),
    el('div', { class: 'bar' }, button('Retry all', 'retry-all', () => act('/failed/retry-all', {}, `Retry all ${page.total} failed jobs?`)), ' ',
      button('Clear all', 'clear-failed', () => act('/failed/clear', {}, `Delete all ${page.total} failed jobs?`), true)),
    el('h3', {}, `By exception (newest ${num(groups.window)})`),
    el('p', { testid: 'groups' }, groups.groups.map((g) => el('span', { class: 'tag', testid: 'group' }, `${g.exception}: ${g.count}`))),
    form,
    filtered ? el('p', { class: 'mute', testid: 'scanned' }, `${page.items.length} matches in ${num(page.scanned)} entries scanned`,
      page.next != null ? el('button', { testid: 'next', onclick: () => show(failed(0, page.next)) }, 'Search older ›') : null)
      : pager(page.total, offset, 20, (o) => show(failed(o))),
    table(['Failed at', 'Queue / class', 'Error', ''], rows, 'failures'));
}

async function scheduled(offset = 0) {
  const page = await api(`/scheduled?offset=${offset}&size=50`);
  return el('div', {}, el('h2', {}, `Scheduled (${num(page.total)} due times)`), pager(page.total, offset, 50, (o) => show(scheduled(o))),
    table(['Due', 'Items', 'First items', ''], page.items.map((s) => el('tr', { testid: 'slot' }, el('td', {}, when(Number(s.timestamp))),
      el('td', { class: 'num' }, num(s.size)),
      el('td', {}, s.items.map((v, i) => el('div', {}, el('pre', {}, v.text), cut(v),
        // a cut item cannot be named whole, so it is cancelled from resque-web or Ruby instead
        v.truncated ? null : button('Cancel', `cancel-${s.timestamp}-${i}`, () => act('/scheduled/cancel', { timestamp: s.timestamp, item: v.text }, 'Cancel this delayed item?'), true)))),
      el('td', {}, button('Enqueue now', `enqueue-${s.timestamp}`, () => act('/scheduled/enqueue-now', { timestamp: s.timestamp }, `Enqueue the ${s.size} item(s) due ${when(Number(s.timestamp))} now?`)))))));
}

// Matchers the way Ruby's Bus tab shows them: special values as (present), regexes as /…/.
function matcherValue(v) {
  if (v.startsWith('bus_special_value_')) return `(${v.slice(18)})`;
  const m = /^\(\?([mix]*)-?[mix]*:(.*)\)$/s.exec(v);
  return m ? `/${m[2]}/${m[1]}` : v;
}
const matcher = (m) => Object.entries(m).map(([k, v]) => el('div', {}, el('span', { class: 'mute' }, `${k}: `), el('code', {}, matcherValue(v))));
const subscriptionRows = (items) => items.map((s) => el('tr', { testid: 'subscription' },
  el('td', { testid: 'app' }, s.app), el('td', {}, s.key), el('td', {}, s.queue), el('td', {}, s.class), el('td', {}, matcher(s.matcher))));

async function bus() {
  const page = await api('/subscriptions?size=100');
  const apps = [...new Set(page.items.map((s) => s.app))];
  const result = el('div', { testid: 'listeners' });
  const box = el('textarea', { testid: 'listen-input', placeholder: 'user_created   or   {"bus_event_type":"user_created","tier":"gold"}' });
  const ask = async (e) => {
    e.preventDefault();
    try {
      const found = await api(`/listeners?event=${encodeURIComponent(box.value)}`);
      result.replaceChildren(found.items.length
        ? table(['App', 'Subscription', 'Queue', 'Class', 'Matcher'], subscriptionRows(found.items))
        : el('p', { testid: 'nobody' }, 'Nobody listens to that.'));
    } catch (err) { result.replaceChildren(el('p', { class: 'mute' }, err.message)); }
  };
  return el('div', {}, el('h2', {}, 'Who listens to …?'),
    el('form', { onsubmit: ask }, box, el('button', { testid: 'listen' }, 'Who listens?')), result,
    el('h2', {}, `Apps (${apps.length}), subscriptions (${page.total})`),
    apps.map((app) => el('section', { testid: `app-${app}` }, el('h3', {}, app, ' ',
      button('Unsubscribe', `unsubscribe-${app}`, () => act('/apps/unsubscribe', { app }, `Remove every subscription of ${app}?`), true)),
    table(['App', 'Subscription', 'Queue', 'Class', 'Matcher'], subscriptionRows(page.items.filter((s) => s.app === app))))));
}

async function show(view) {
  try {
    main.replaceChildren(await view);
  } catch (err) {
    if (document.querySelector('[data-testid=banner]').hidden) flash(err.message, true);
  }
}

function route() {
  const [name, arg] = location.hash.replace(/^#\/?/, '').split('/');
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('on', a.getAttribute('href') === `#/${name || 'overview'}`));
  if (name === 'queues' && arg) return queue(decodeURIComponent(arg));
  return ({ queues, workers, failed, scheduled, bus }[name] || overview)();
}
const render = () => show(route());

// Only the overview polls; paused while the tab is hidden, backing off while Redis is down.
async function poll() {
  clearTimeout(timer);
  const onOverview = !location.hash || location.hash === '#/overview';
  if (!document.hidden && onOverview) {
    try {
      main.replaceChildren(await overview());
      delay = POLL;
    } catch (err) {
      delay = Math.min(delay * 2, 60000);
    }
  }
  timer = setTimeout(poll, delay);
}
window.addEventListener('hashchange', () => { flash(''); render(); });
document.addEventListener('visibilitychange', () => { if (!document.hidden) poll(); });
render().then(() => { timer = setTimeout(poll, POLL); });
