// The supervisor dashboard's script (index.html); a file of its own: the page's Content-Security-Policy allows
// no inline script (script-src 'self'), so an escaping bug could not run one.
const tokenInput = document.getElementById('token');
const params = new URLSearchParams(location.search);
// The API token is kept for this tab only (sessionStorage: gone when the tab closes, never on disk).
// One in the address (/?token=…, as older links have it) is taken once and removed from the address
// bar and this entry of the history, so it is not left there, in bookmarks or in shared screenshots.
const TOKEN = 'forumdeskToken';
if (params.has('token')) {
  sessionStorage.setItem(TOKEN, params.get('token'));
  params.delete('token');
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
}
if (localStorage.getItem(TOKEN) !== null) { // where earlier versions kept it, on disk: moved to this tab
  if (sessionStorage.getItem(TOKEN) === null) sessionStorage.setItem(TOKEN, localStorage.getItem(TOKEN));
  localStorage.removeItem(TOKEN);
}
function token() { return sessionStorage.getItem(TOKEN) || ''; }
tokenInput.value = token();
document.getElementById('login').addEventListener('submit', e => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN, tokenInput.value);
  load();
});
// what the API showed: taken off the page at Sign out, and when the API refuses the token (a wrong
// one typed after a good one), so nothing is left on screen looking live (audit 18b, F5)
function clearShown() {
  document.getElementById('tickets').replaceChildren();
  closeDetail();
  ['counts', 'agents', 'sla', 'page'].forEach(id => { document.getElementById(id).textContent = ''; });
}
document.getElementById('logout').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN);
  tokenInput.value = '';
  clearShown();
  load();
});
const actorInput = document.getElementById('actor');
actorInput.value = localStorage.getItem('forumdeskActor') || '';
actorInput.addEventListener('change', () => localStorage.setItem('forumdeskActor', actorInput.value));
// one page of the list at a time: ?limit= (default 200, the API's most is 1000) and ?offset= in the
// page's URL pick the first one shown, the buttons the others
const pageSize = Math.min(1000, Math.max(1, parseInt(params.get('limit'), 10) || 200));
let offset = Math.max(0, parseInt(params.get('offset'), 10) || 0);
document.getElementById('status').addEventListener('change', () => { offset = 0; load(); });
// the status chosen is in the address bar too, as ?status= (all, or a status such as CLOSED; several
// as NEW,ON_HOLD; the default, open, leaves it out), so a shared or reloaded link shows the same list
const statusSelect = document.getElementById('status');
if (params.has('status')) {
  const asked = params.get('status').trim();
  if (asked === '' || asked.toLowerCase() === 'all') {
    statusSelect.value = '';
  } else if (asked.toLowerCase() !== 'open') {
    const wanted = asked.toUpperCase().split(',').map(x => x.trim()).filter(x => x).join(',');
    if (![...statusSelect.options].some(o => o.value === wanted)) statusSelect.add(new Option(wanted, wanted));
    statusSelect.value = wanted;
  }
}
function statusInAddress() {
  const chosen = statusSelect.selectedOptions[0];
  return !chosen || chosen.defaultSelected ? null : chosen.value === '' ? 'all' : chosen.value;
}
// the list's other filters (GET /api/tickets takes them): an agent from /api/agents, a customer by
// Telegram id or @username; both in the address bar as ?assignee= and ?customer=, as the page is
const assigneeSelect = document.getElementById('assignee');
const customerInput = document.getElementById('customer');
let assigneeWanted = params.get('assignee') || '';
customerInput.value = params.get('customer') || '';
assigneeSelect.addEventListener('change', () => { assigneeWanted = assigneeSelect.value; offset = 0; load(); });
customerInput.addEventListener('change', () => { offset = 0; load(); });
function filters() {
  const q = new URLSearchParams();
  if (assigneeWanted) q.set('assignee', assigneeWanted);
  if (customerInput.value.trim()) q.set('customer', customerInput.value.trim());
  return q;
}
document.getElementById('newer').addEventListener('click', () => { offset = Math.max(0, offset - pageSize); load(); });
document.getElementById('older').addEventListener('click', () => { offset += pageSize; load(); });
// the page shown is written into the address bar (?offset=, beside ?limit=), so a reload or a shared
// link shows the same page; replaceState, as for the token: no history entry per page
function inAddress(shown) {
  const q = new URLSearchParams(location.search);
  if (shown > 0) q.set('offset', shown); else q.delete('offset');
  const f = filters();
  for (const k of ['assignee', 'customer']) { if (f.has(k)) q.set(k, f.get(k)); else q.delete(k); }
  const status = statusInAddress();
  if (status) q.set('status', status); else q.delete('status');
  const rest = q.toString();
  if (rest !== location.search.replace(/^\?/, '')) {
    history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
  }
}
const number = new Intl.NumberFormat('en-US');
// the SLA line's day, as the supervisor's browser counts days: today, unless ?date=YYYY-MM-DD in the
// page's URL, the date field or its buttons pick another (GET /api/reports/sla?date=)
function isoDay(d) {
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
}
const slaDate = document.getElementById('slaDate');
slaDate.value = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') || '') ? params.get('date') : isoDay(new Date());
// a page showing today follows the clock: past midnight (a wall screen left open) its next refresh
// shows the new day (audit 19a, F2); a day picked (?date=, the field, ‹ ›) other than today stays
let slaFollowsToday = slaDate.value === isoDay(new Date());
function slaDay(days) {
  const d = new Date(slaDate.value + 'T12:00:00');
  d.setDate(d.getDate() + days);
  slaDate.value = isoDay(d);
  slaFollowsToday = slaDate.value === isoDay(new Date());
  loadSla();
}
slaDate.addEventListener('change', () => {
  if (slaDate.value) { slaFollowsToday = slaDate.value === isoDay(new Date()); loadSla(); }
});
document.getElementById('slaPrev').addEventListener('click', () => slaDay(-1));
document.getElementById('slaNext').addEventListener('click', () => slaDay(1));

function text(v) { return v === null || v === undefined ? '' : String(v); }
function cell(row, value, cls) { const td = row.insertCell(); td.textContent = text(value); if (cls) td.className = cls; return td; }

// times as the supervisor's browser reads them ("4 Dec, 14:43"), the API's instant (UTC) on hover
const clock = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
function minutes(ms) {
  const min = Math.floor(ms / 60000);
  return min < 1 ? 'under a minute' : min < 60 ? min + ' min' : Math.floor(min / 60) + ' h ' + (min % 60) + ' min';
}
// an instant the browser's Date cannot hold (past the year 275760: a ticket opened at an update's
// odd date) is shown as the API has it; formatting it threw "Invalid time value" and took the whole
// list down (audit 21a, F2)
function local(format, iso) {
  const d = new Date(iso);
  return isNaN(d.getTime()) ? text(iso) : format.format(d);
}
function timeCell(row, iso, title) {
  const td = cell(row, iso ? local(clock, iso) : '');
  if (iso) td.title = title + ' ' + iso;
  return td;
}
// an open ticket still owing what a due measures keeps the due past it (sla.firstResponseDue until
// answered, sla.nextResponseDue until an agent replies, sla.resolutionDue until resolved): overdue
function dueCell(row, t, due, what, owed) {
  const left = due ? Date.parse(due) - Date.now() : 0;
  const open = owed && t.status !== 'RESOLVED' && t.status !== 'CLOSED';
  if (open && left < 0) {
    const td = cell(row, 'overdue ' + minutes(-left), 'overdue');
    td.title = what + ' was due ' + due;
    return td;
  }
  const td = timeCell(row, due, what + ' due');
  if (open && left > 0 && left < 3600000) td.textContent += ' (in ' + minutes(left) + ')';
  return td;
}
// an ISO-8601 duration of the API (Java's: "PT49.5S", "PT29M50.123S", "PT23H59M"; no days) as
// "49 s", "29 min 50 s", "23 h 59 min": its two largest units that are not zero, as /status says it
function span(iso) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.\d+)?S)?$/.exec(text(iso));
  if (!m) return text(iso);
  return humanSeconds((parseInt(m[1] || '0', 10) * 60 + parseInt(m[2] || '0', 10)) * 60 + parseInt(m[3] || '0', 10));
}
// a number of seconds as the rest of the desk says a duration: "24 s", "4 min", "1 h 15 min"
function humanSeconds(seconds) {
  const parts = [[Math.floor(seconds / 86400), 'd'], [Math.floor(seconds / 3600) % 24, 'h'],
    [Math.floor(seconds / 60) % 60, 'min'], [seconds % 60, 's']].filter(p => p[0] > 0).slice(0, 2);
  return parts.length ? parts.map(p => p[0] + ' ' + p[1]).join(' ') : '0 s';
}
// on hold a paused clock has no due: the cell says what it has left, which the resume starts from
// (sla.firstResponseRemaining…; business time with business hours), the API's duration on hover
function slaCell(row, t, due, left, what, owed) {
  if (!left) return dueCell(row, t, due, what, owed);
  const td = cell(row, span(left) + ' left (paused)', 'paused');
  td.title = what + ': ' + left + ' left, SLA paused on hold';
  return td;
}
function slaCells(row, t) {
  const sla = t.sla || {};
  slaCell(row, t, sla.firstResponseDue, sla.firstResponseRemaining, 'first response', !t.firstResponseAt);
  slaCell(row, t, sla.nextResponseDue, sla.nextResponseRemaining, 'next response', true);
  slaCell(row, t, sla.resolutionDue, sla.resolutionRemaining, 'resolution', true);
}

// help-desk.kind request-tracker or zammad: each listed ticket carries its twin there (helpDesk);
// builtin: none does, and the column stays hidden. Only text and attributes are set, never markup:
// the error is the help desk's own words.
const HELP_DESKS = { 'request-tracker': 'RT', zammad: 'Zammad' };
function deskName(kind) { return HELP_DESKS[kind] || text(kind) || 'the help desk'; }
function helpDeskCell(row, hd) {
  const td = cell(row, '', 'helpdesk');
  if (hd.externalId) {
    const name = '#' + hd.externalId + ' (' + deskName(hd.kind) + ')';
    if (/^https?:\/\//i.test(text(hd.url))) {
      const a = document.createElement('a');
      a.href = hd.url; a.textContent = name; a.target = '_blank'; a.rel = 'noopener noreferrer';
      a.addEventListener('click', e => e.stopPropagation()); // opens the help desk, not the ticket's detail
      td.appendChild(a);
    } else {
      td.textContent = name;
    }
  } else if (hd.sync !== 'FAILED') {
    const p = document.createElement('span'); p.className = 'pending'; p.textContent = 'pending';
    p.title = 'not in ' + deskName(hd.kind) + ' yet'; td.appendChild(p);
  }
  if (hd.sync === 'FAILED') {
    const w = document.createElement('span'); w.className = 'syncfailed'; w.textContent = '⚠ sync failed';
    w.title = text(hd.error) || 'the help desk refused or could not be reached';
    if (td.firstChild) td.appendChild(document.createTextNode(' '));
    td.appendChild(w);
  }
  return td;
}

// a routed open ticket without an agent is in the waiting line (no capable agent has a slot): said so,
// with routing's reason as the tooltip, rather than '—' as for a ticket routing has not reached yet
function assigneeCell(row, t) {
  const waiting = !t.assignee && t.status !== 'RESOLVED' && t.status !== 'CLOSED' && t.routing
    ? (t.routing.reasons || []).filter(r => text(r).startsWith('waiting:')).pop() : undefined;
  const td = cell(row, t.assignee ? t.assignee.name : waiting ? '' : '—');
  if (waiting) {
    const w = document.createElement('span'); w.className = 'status waiting'; w.textContent = 'waiting';
    w.title = text(waiting); td.appendChild(w);
  }
  return td;
}

// the queue the ticket was routed to (billing…), which stays when an escalation moves it to the
// level2 queue, with its level beside once past 1
function queueCell(row, t) {
  const td = cell(row, t.routedQueue || t.queue);
  if (t.level > 1) {
    const l = document.createElement('span'); l.className = 'status level'; l.textContent = 'Level ' + t.level;
    l.title = 'escalated to Level ' + t.level + ' (queue ' + text(t.queue) + ')';
    td.appendChild(document.createTextNode(' ')); td.appendChild(l);
  }
  return td;
}

async function api(path) {
  return (await answer(path)).json();
}

async function answer(path) {
  const r = await fetch(path, { headers: { Authorization: 'Bearer ' + token() } });
  if (!r.ok) {
    const e = new Error(path + ': ' + r.status + (r.status === 401 ? ' (enter the API token printed at start)' : ''));
    e.status = r.status;
    throw e;
  }
  return r;
}

async function load() {
  const status = document.getElementById('status').value;
  if (!token()) { // nothing to ask the API with: say what is missing, send nothing
    document.getElementById('error').textContent = 'Sign in with the API token printed at start (FORUMDESK_API_TOKEN)';
    return;
  }
  try {
    // first: the assignee menu names the agent the list is filtered by; a failing /api/agents
    // leaves the list shown all the same (the agents' line says it could not load them)
    try {
      await loadAgents();
    } catch (e) {
      if (e.status === 401) throw e; // a refused token: the list's figures go, as for any call
      fillAssignees(lastAgents); // the menu as it was (the filter's agent still named)
      document.getElementById('agents').textContent = 'Agents: could not load (' + e.message + ')';
    }
    const f = filters();
    const list = (status ? 'status=' + status + '&' : '') + (f.toString() ? f.toString() + '&' : '') + 'limit=' + pageSize;
    let page = await answer('/api/tickets?' + list + '&offset=' + offset);
    let total = Number(page.headers.get('X-Total-Count'));
    let tickets = await page.json();
    if (tickets.length === 0 && offset > 0) { // fewer tickets than when this page was picked: the last page
      offset = Math.max(0, Math.floor((total - 1) / pageSize) * pageSize);
      page = await answer('/api/tickets?' + list + '&offset=' + offset);
      total = Number(page.headers.get('X-Total-Count'));
      tickets = await page.json();
    }
    document.getElementById('error').textContent = '';
    const chosen = document.getElementById('status').selectedOptions[0];
    const narrowed = [assigneeWanted ? 'assigned to ' + text(assigneeSelect.selectedOptions[0] && assigneeSelect.selectedOptions[0].textContent) : '',
      f.has('customer') ? 'customer ' + f.get('customer') : ''].filter(x => x);
    const which = [status ? (chosen.defaultSelected ? 'open' : chosen.textContent) : ''].concat(narrowed).filter(x => x).join(', ');
    document.getElementById('page').textContent = tickets.length === 0 // the default view included: no "with this status" nobody chose
      ? (status && chosen.defaultSelected ? 'no open tickets' : status ? 'no tickets with status ' + status : 'no tickets')
        + (narrowed.length ? ' (' + narrowed.join(', ') + ')' : '')
      : 'showing ' + number.format(offset + 1) + '–' + number.format(offset + tickets.length) + ' of ' + number.format(total)
        + (which ? ' (' + which + ')' : '') + ', newest first';
    document.getElementById('newer').disabled = offset === 0;
    document.getElementById('older').disabled = offset + tickets.length >= total;
    inAddress(offset);
    const helpDesk = tickets.some(t => t.helpDesk);
    document.getElementById('helpDeskHead').hidden = !helpDesk;
    const body = document.getElementById('tickets');
    body.replaceChildren();
    for (const t of tickets) {
      const row = body.insertRow();
      row.className = 'ticket';
      row.dataset.id = t.id;
      cell(row, '#' + t.threadId).title = t.id; // as the acknowledgement names it
      cell(row, t.title);
      cell(row, t.customer ? t.customer.name : '');
      const s = cell(row, ''); const badge = document.createElement('span');
      badge.className = 'status ' + t.status; badge.textContent = t.status; s.appendChild(badge);
      if (t.waitingInInbox) { // acknowledged; its workflow has not taken it yet (backlog, Temporal down)
        const q = document.createElement('span'); q.className = 'status queued'; q.textContent = 'queued';
        q.title = 'waiting in the inbox for its workflow'; s.appendChild(document.createTextNode(' ')); s.appendChild(q);
      }
      cell(row, t.priority);
      queueCell(row, t);
      assigneeCell(row, t);
      timeCell(row, t.createdAt, 'created');
      slaCells(row, t);
      if (helpDesk) helpDeskCell(row, t.helpDesk || {});
      row.addEventListener('click', () => show(t.id, true));
    }
    // every ticket, counted by the API, not only the page shown
    const counts = await api('/api/tickets/counts');
    document.getElementById('counts').textContent = [number.format(counts.total) + ' tickets']
      .concat(Object.entries(counts.byStatus).filter(([k, v]) => v > 0).map(([k, v]) => k + ' ' + number.format(v))).join(' · ');
    await loadSla();
    // the open ticket's detail follows the list: its status, routing and audit as they are now (audit 18b, F4)
    if (shownId) await show(shownId, false);
  } catch (e) {
    failed(e);
  }
}

// an API call that failed: said in the error line; a refused token takes the API's figures off the page
function failed(e) {
  document.getElementById('error').textContent = e.message;
  if (e.status === 401) clearShown();
}

// GET /api/agents: each agent's open tickets against their cap, and whether they can take one now
// (at cap, away, off shift until …); names are the configuration's, set as text
function agentState(a) {
  if (a.shift === 'away') return ['away', 'away'];
  if (a.shift === 'off-shift') {
    return ['off_shift', 'off shift' + (a.shiftUntil ? ' until ' + text(a.shiftUntil).slice(0, 16).replace('T', ' ') : '')];
  }
  return a.openTickets >= a.cap ? ['at_cap', 'at cap'] : ['available', 'available'];
}
let lastAgents = []; // the agents the assignee menu was last built from
async function loadAgents() {
  const agents = await api('/api/agents');
  lastAgents = agents;
  fillAssignees(agents);
  const p = document.getElementById('agents');
  p.replaceChildren();
  if (agents.length === 0) return;
  p.appendChild(document.createTextNode('Agents: '));
  for (const a of agents) {
    const [cls, state] = agentState(a);
    const span = document.createElement('span');
    span.className = 'agent ' + cls;
    span.textContent = text(a.name) + ' ' + a.openTickets + '/' + a.cap + ' ' + state;
    span.title = 'weighted load ' + a.weightedLoad + (a.shiftHours ? ' · shift ' + text(a.shiftHours) : '');
    p.appendChild(span);
  }
}

// the assignee menu: anyone, then each agent by name (the API's assignee= takes their id)
// (built again only when that changed: a menu built again at each reload closes under the pointer)
function fillAssignees(agents) {
  const options = [['', 'anyone']].concat(agents.map(a => [String(a.id), text(a.name)]));
  if (assigneeWanted && !options.some(o => o[0] === assigneeWanted)) { // an id in the address that is no agent now
    options.push([assigneeWanted, 'agent ' + assigneeWanted]);
  }
  const now = [...assigneeSelect.options].map(o => o.value + '\u0000' + o.textContent).join('\u0001');
  if (now !== options.map(o => o[0] + '\u0000' + o[1]).join('\u0001')) {
    assigneeSelect.replaceChildren(...options.map(([v, n]) => { const o = document.createElement('option'); o.value = v; o.textContent = n; return o; }));
  }
  assigneeSelect.value = assigneeWanted;
}

async function loadSla() {
  const today = isoDay(new Date());
  if (slaFollowsToday && slaDate.value !== today) slaDate.value = today; // midnight passed: the new day
  const day = slaDate.value;
  slaDate.setAttribute('max', today);
  document.getElementById('slaNext').disabled = day >= today;
  try {
    // the day in the supervisor's zone, not the UTC day
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const report = await api('/api/reports/sla?zone=' + encodeURIComponent(zone) + '&date=' + encodeURIComponent(day));
    const r = report.total;
    const next = r.nextResponseBreached || 0;
    const sla = document.getElementById('sla');
    // the breaches of every deadline, each named (audit 18b, F3); the median as durations read elsewhere
    sla.textContent = (day === today ? 'Today' : day) + ': ' + r.tickets + ' new · first-response SLA ' +
      (r.firstResponseCompliancePercent === null ? '—' : r.firstResponseCompliancePercent + ' %') +
      ' · median first response ' + (r.medianFirstResponseSeconds === null ? '—'
        : humanSeconds(r.medianFirstResponseSeconds) + (report.measure ? ' (' + report.measure + ')' : '')) +
      ' · breaches ' + (r.firstResponseBreached + next + r.resolutionBreached) + ' (' + r.firstResponseBreached +
      ' first response, ' + next + ' next response, ' + r.resolutionBreached + ' resolution)' +
      ' · escalated ' + r.escalated +
      (r.resolvedWithoutReply ? ' · resolved without a reply ' + r.resolvedWithoutReply : '');
    sla.title = 'breaches: the tickets whose first response or resolution came late, and every customer message'
      + ' no agent answered within the next-response time';
  } catch (e) {
    failed(e);
  }
}

// the ticket whose detail is open: reloaded with the list every 5 s
let shownId = null;
// what the last action in the open detail answered, kept across its reloads
let lastResult = '';
function closeDetail() {
  shownId = null;
  lastResult = '';
  const d = document.getElementById('detail');
  d.style.display = 'none';
  d.replaceChildren();
}
const secondClock = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });

// @param reveal a click on its row: brought into view, wherever the row was in a long list
async function show(id, reveal) {
  let t;
  try {
    t = await api('/api/tickets/' + encodeURIComponent(id));
  } catch (e) {
    if (reveal) failed(e); else throw e;
    return;
  }
  if (reveal && shownId !== id) lastResult = '';
  if (!reveal && shownId !== id) return; // another row was clicked, or signed out, meanwhile
  shownId = id;
  const d = document.getElementById('detail');
  d.style.display = 'block';
  d.replaceChildren();
  const h = document.createElement('h2'); h.textContent = t.title + ' (' + t.status + ')'; d.appendChild(h);
  const age = document.createElement('p'); age.className = 'age'; age.id = 'detailAge';
  age.textContent = 'as of ' + secondClock.format(new Date()) + ', refreshed with the list';
  d.appendChild(age);
  const p = document.createElement('p'); p.textContent = 'Routing: ' + (t.routing.reasons || []).join('; '); d.appendChild(p);
  const actions = document.createElement('p');
  for (const action of ['hold', 'resume', 'resolve', 'reopen', 'escalate']) {
    const b = document.createElement('button'); b.textContent = action; b.dataset.action = action;
    b.addEventListener('click', () => act(t.id, action));
    actions.appendChild(b);
  }
  const result = document.createElement('span'); result.id = 'action-result'; result.textContent = lastResult;
  actions.appendChild(result);
  d.appendChild(actions);
  const table = document.createElement('table');
  const head = table.createTHead().insertRow(); ['At', 'Event', 'Reason', 'Actor'].forEach(x => { const th = document.createElement('th'); th.textContent = x; head.appendChild(th); });
  const tb = table.createTBody();
  for (const a of t.audit) { // the browser's time, as the list's, the API's instant on hover
    const r = tb.insertRow();
    const at = cell(r, a.at ? local(secondClock, a.at) : ''); if (a.at) at.title = a.at;
    cell(r, a.event); cell(r, a.reason); cell(r, a.actor);
  }
  d.appendChild(table);
  if (reveal) d.scrollIntoView({ block: 'start' });
}

async function act(id, action) {
  if (!/^\d+$/.test(actorInput.value.trim())) { // nothing sent: the API would only say actor 0 is nobody
    lastResult = ' enter your agent id in \u2018Acting as\u2019 (in the header) first';
    document.getElementById('action-result').textContent = lastResult;
    actorInput.focus();
    return;
  }
  const r = await fetch('/api/tickets/' + encodeURIComponent(id) + '/actions', {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + token(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ action: action, actor: Number(actorInput.value.trim()) })
  });
  const body = await r.json();
  lastResult = ' ' + (r.ok ? body.message : body.error);
  document.getElementById('action-result').textContent = lastResult;
  load();
  if (r.ok) { // the ticket changed: its heading and audit too, with the answer kept beside the buttons
    await show(id, false);
  }
}

load();
setInterval(load, 5000);
