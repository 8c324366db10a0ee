// The doctor app (SMART EHR launch). One page handles both the launch (?iss&launch: fhirclient
// sends the browser to the authorize endpoint with PKCE S256) and the redirect (?code&state).
// Ward: in-progress Encounters' patients ordered by their latest NEWS2 RiskAssessment (written by
// the CDS monitor) with their open DetectedIssue alerts; per patient: latest values, trends,
// ECG, CDS cards, alert acknowledgement; live refresh through a websocket Subscription.

import FHIR from 'fhirclient';
import { cdsBase, patientViewCards, relativeRef, renderCards } from '../shared/cds.js';
import { trendChart } from '../shared/chart.js';
import { decodeStrip, drawStrips, leadName, stripAnnotations } from '../shared/ecg.js';
import { ecgStrips, latestVitals, searchAll, trendObservations } from '../shared/fhir.js';
import { subscribe, throttle } from '../shared/live.js';
import {
  ALERT_STATE, VITALS, acknowledged, alertState, displayName, effectiveMs, mergeColumns, news2Band, news2Of,
  isSummary, outOfRange, readingsCovered, series, valueOf, wardOrder, withAcknowledgement,
} from '../shared/vitals.js';

const $ = (id) => document.getElementById(id);
const OPEN_STATES = ['raised', 'escalated', 'acknowledged'].map((c) => `${ALERT_STATE}|${c}`).join(',');
const SCOPE = 'launch openid fhirUser user/*.rs user/DetectedIssue.u user/Subscription.cd';
const RANGES = [
  ['1 h', 3600e3],
  ['6 h', 6 * 3600e3],
  ['24 h', 24 * 3600e3],
];

let client;
let selected;
let rangeMs = 6 * 3600e3;
let charts = [];
let liveSub;

cdsBase(); // remembers ?cds= across the authorization redirect
FHIR.oauth2
  .init({
    clientId: 'vitals-doctor-app',
    scope: SCOPE,
    redirectUri: `${location.origin}/apps/doctor/`,
    pkceMode: 'required',
    // Opened by the launcher in a frame (or by an EHR in a window): finish sign-in here.
    completeInTarget: true,
  })
  .then(start)
  .catch((e) => fail(`Sign-in failed: ${e.message}`));

function fail(message) {
  $('status').textContent = message;
  $('status').className = 'error';
}

async function start(c) {
  client = c;
  $('status').hidden = true;
  $('main').hidden = false;
  $('user').textContent = relativeRef(client.user.fhirUser) || '';
  document.body.dataset.ready = 'true';
  renderRangeButtons();
  selected = client.patient.id;
  await loadWard();
  await selectPatient(selected);
}

async function loadWard() {
  const me = relativeRef(client.user.fhirUser);
  // The clinician's patients: in-progress Encounters they take part in; the whole ward if none.
  let enc = await searchAll(client, `Encounter?status=in-progress&participant=${encodeURIComponent(me)}&_include=Encounter:subject&_count=200`);
  if (!enc.some((r) => r.resourceType === 'Patient')) {
    enc = await searchAll(client, 'Encounter?status=in-progress&_include=Encounter:subject&_count=200');
  }
  const patients = new Map(enc.filter((r) => r.resourceType === 'Patient').map((p) => [p.id, p]));
  if (selected && !patients.has(selected)) patients.set(selected, await client.request(`Patient/${selected}`));
  const ids = [...patients.keys()];
  const rows = await Promise.all(
    ids.map(async (id) => {
      const [risk, alerts] = await Promise.all([
        client.request(`RiskAssessment?patient=${id}&_sort=-date&_count=1`),
        openAlerts(id),
      ]);
      const ra = risk.entry?.[0]?.resource;
      return { id, name: displayName(patients.get(id)), news2: news2Of(ra), alerts: alerts.filter((a) => !acknowledged(a)).length };
    }),
  );
  rows.sort(wardOrder);
  const body = $('ward');
  body.replaceChildren();
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.dataset.patient = r.id;
    tr.className = r.id === selected ? 'sel' : '';
    const band = news2Band(r.news2);
    tr.innerHTML = `<td></td><td><span class="badge ${band.code}">${r.news2 ?? '–'}</span></td><td>${r.alerts ? `<span class="badge high">${r.alerts} open</span>` : ''}</td>`;
    tr.firstChild.textContent = r.name;
    tr.addEventListener('click', () => selectPatient(r.id));
    body.append(tr);
  }
}

async function openAlerts(patientId) {
  const [issues, flags] = await Promise.all([
    // Open alerts only (the monitor keeps resolved ones): the lifecycle state is a meta.tag.
    searchAll(client, `DetectedIssue?patient=${patientId}&_tag=${encodeURIComponent(OPEN_STATES)}&_count=50`),
    searchAll(client, `Flag?patient=${patientId}&_count=50`), // R4 Flag has no status search
  ]);
  const open = issues.filter((d) => ['raised', 'escalated', 'acknowledged'].includes(alertState(d)));
  return [...open, ...flags.filter((f) => f.status === 'active')];
}

async function selectPatient(id) {
  selected = id;
  for (const tr of $('ward').children) tr.className = tr.dataset.patient === id ? 'sel' : '';
  const patient = await client.request(`Patient/${id}`);
  $('patient-name').textContent = displayName(patient);
  await Promise.all([renderAlerts(), renderLatest(), renderTrends(), renderEcg(), renderCds()]);
  document.body.dataset.patient = id;
  if (liveSub) liveSub.close();
  liveSub = null;
  goLive(id).catch((e) => ($('live').textContent = `live: off (${e.message})`));
}

async function renderAlerts() {
  const el = $('alerts');
  const alerts = await openAlerts(selected);
  el.replaceChildren();
  for (const a of alerts) {
    const div = document.createElement('div');
    const acked = a.resourceType === 'DetectedIssue' && acknowledged(a);
    div.className = `alert${acked ? ' acked' : ''}`;
    div.dataset.testid = 'alert';
    const title = document.createElement('strong');
    title.textContent = a.code?.text || a.code?.coding?.[0]?.display || 'Alert';
    const detail = document.createElement('div');
    detail.textContent = a.detail || '';
    div.append(title, ' ', Object.assign(document.createElement('span'), { className: 'badge', textContent: a.resourceType === 'Flag' ? 'flag' : alertState(a) }), detail);
    if (a.resourceType === 'DetectedIssue' && !acked) {
      const b = Object.assign(document.createElement('button'), { textContent: 'Acknowledge' });
      b.dataset.testid = 'ack';
      b.addEventListener('click', async () => {
        b.disabled = true;
        try {
          await acknowledge(a);
          await Promise.all([renderAlerts(), loadWard()]);
        } catch (e) {
          b.disabled = false;
          detail.textContent = `Could not acknowledge: ${e.message}`;
        }
      });
      div.append(b);
    } else if (acked) {
      div.append(Object.assign(document.createElement('div'), { className: 'muted', textContent: 'Acknowledged' }));
    }
    el.append(div);
  }
}

/** A FHIR update with If-Match: a concurrent write by the monitor makes us re-read and retry. */
async function acknowledge(alert) {
  let current = alert;
  for (let attempt = 0; attempt < 3; attempt++) {
    const updated = withAcknowledgement(current, relativeRef(client.user.fhirUser));
    try {
      return await client.update(updated, { headers: { 'If-Match': `W/"${current.meta.versionId}"` } });
    } catch (e) {
      if (!/412|409/.test(String(e.message)) || attempt === 2) throw e;
      current = await client.request(`DetectedIssue/${alert.id}`);
    }
  }
  return null;
}

async function renderLatest() {
  const latest = await latestVitals(client, selected);
  const el = $('latest');
  el.replaceChildren();
  for (const v of VITALS) {
    const o = latest[v.component ? 'sys' : v.key];
    if (!o) continue;
    const value = valueOf(v, o);
    if (value === null) continue;
    const tile = document.createElement('div');
    tile.className = `tile${outOfRange(v, value) ? ' out' : ''}`;
    tile.dataset.vital = v.key;
    tile.innerHTML = '<div class="l"></div><div class="v"></div><div class="l"></div>';
    tile.children[0].textContent = v.label;
    tile.children[1].textContent = `${Math.round(value * 10) / 10} ${v.unit}`;
    tile.children[2].textContent = new Date(effectiveMs(o)).toLocaleTimeString();
    el.append(tile);
  }
}

function renderRangeButtons() {
  const el = $('range');
  for (const [label, ms] of RANGES) {
    const b = Object.assign(document.createElement('button'), { className: `secondary${ms === rangeMs ? ' on' : ''}`, textContent: label });
    b.addEventListener('click', () => {
      rangeMs = ms;
      for (const x of el.children) x.classList.toggle('on', x === b);
      renderTrends();
    });
    el.append(b);
  }
}

async function renderTrends() {
  const el = $('charts');
  for (const c of charts) c.plot.destroy();
  charts = [];
  el.replaceChildren();
  // Per-vital [seconds[], values[]] columns, merged chunk by chunk (windows arrive in any order).
  const cols = new Map(VITALS.map((v) => [v, [[], [], [], []]]));
  let readings = 0; // single readings drawn
  let summaries = 0; // minute summaries drawn
  let covered = 0; // readings those stand for
  const counted = new Set(); // an Observation of two vitals (BP) counts once
  let dirty = new Set();
  const generation = (renderTrends.generation = (renderTrends.generation || 0) + 1);
  const t0 = performance.now();
  const width = Math.max(360, Math.min(640, el.clientWidth / (el.clientWidth > 1100 ? 2 : 1) - 12));
  let drawMs = 0;
  const redraw = () => {
    const d0 = performance.now();
    for (const v of dirty) {
      const data = cols.get(v);
      let c = charts.find((x) => x.vital === v);
      if (!c && data[0].length) {
        const box = document.createElement('div');
        box.dataset.testid = 'chart';
        box.dataset.vital = v.key;
        // Charts keep the order of VITALS whatever order the data arrives in.
        const later = [...el.children].find((x) => VITALS.findIndex((w) => w.key === x.dataset.vital) > VITALS.indexOf(v));
        el.insertBefore(box, later || null);
        c = { vital: v, plot: trendChart(box, v, data, { width }) };
        charts.push(c);
      } else if (c) {
        c.plot.setData(data);
      }
    }
    dirty = new Set();
    drawMs += performance.now() - d0;
  };
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      if (generation === renderTrends.generation) redraw();
    });
  };
  await trendObservations(client, selected, VITALS, Date.now() - rangeMs, {
    onChunk: (obs, v) => {
      if (generation !== renderTrends.generation) return; // another range or patient was chosen
      const d0 = performance.now();
      const fresh = obs.filter((o) => !counted.has(o) && counted.add(o));
      const sums = fresh.filter(isSummary);
      summaries += sums.length;
      readings += fresh.length - sums.length;
      covered += readingsCovered(fresh);
      const add = series(v, obs);
      if (add[0].length) {
        cols.set(v, mergeColumns(cols.get(v), add));
        dirty.add(v);
      }
      drawMs += performance.now() - d0;
      schedule();
    },
  });
  if (generation !== renderTrends.generation) return;
  redraw();
  for (const c of charts) {
    const [x, , lo] = cols.get(c.vital);
    const box = c.plot.root.parentElement;
    box.dataset.points = String(x.length);
    box.dataset.summaries = String(lo.filter((m) => m !== null).length);
    box.dataset.fromMs = String(Math.round(x[0] * 1000));
    box.dataset.toMs = String(Math.round(x[x.length - 1] * 1000));
  }
  const ms = Math.round(performance.now() - t0);
  $('points').textContent = summaries
    ? `${readings} readings and ${summaries} minute summaries (of ${covered} readings) in ${ms} ms (charts ${Math.round(drawMs)} ms)`
    : `${readings} readings in ${ms} ms (charts ${Math.round(drawMs)} ms)`;
  document.body.dataset.trendsMs = String(ms);
  if (!charts.length) el.append(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'No vital signs in this period.' }));
}

async function renderEcg() {
  const obs = await ecgStrips(client, selected, 30);
  const strips = obs.map(decodeStrip).filter(Boolean);
  const canvas = $('ecg');
  if (!strips.length) {
    $('ecg-info').textContent = '(no ECG recorded)';
    canvas.width = 0;
    return;
  }
  const annotations = [];
  obs.forEach((o, i) => {
    for (const a of stripAnnotations(o)) {
      const s = decodeStrip(o);
      if (s) annotations.push({ ...a, atMs: s.start, endMs: s.start + s.mv.length * s.periodMs });
    }
    void i;
  });
  drawStrips(canvas, strips, { annotations });
  const secs = strips.reduce((n, s) => n + (s.mv.length * s.periodMs) / 1000, 0);
  $('ecg-info').textContent = `(lead ${leadName(strips[0].lead)}, ${Math.round(secs)} s, 25 mm/s, 10 mm/mV${annotations.length ? `, ${annotations.length} AF strip(s)` : ''})`;
  const box = $('ecg-scroll');
  box.scrollLeft = box.scrollWidth; // newest at the right, scroll back in time
}

async function renderCds() {
  const el = $('cards');
  try {
    const cards = await patientViewCards(client, selected);
    renderCards(el, cards);
    // The local EHR launcher that opened this window shows the cards beside it (same origin only).
    const ehr = window.opener || (window.parent !== window ? window.parent : null);
    try {
      ehr?.postMessage({ type: 'vitals-cds-cards', patient: selected, cards }, location.origin);
    } catch {
      /* another origin: not our launcher */
    }
  } catch (e) {
    el.replaceChildren(Object.assign(document.createElement('p'), { className: 'error', textContent: e.message }));
  }
}

async function goLive(patientId) {
  const refresh = throttle(() => {
    if (selected !== patientId) return;
    Promise.all([renderLatest(), renderAlerts()]).then(() => {
      $('live').textContent = `live: updated ${new Date().toLocaleTimeString()}`;
      document.body.dataset.liveUpdates = String(Number(document.body.dataset.liveUpdates || 0) + 1);
    });
  }, 2000);
  const sub = await subscribe(client, `Observation?patient=${patientId}`, refresh);
  liveSub = sub;
  sub.events.addEventListener('bound', () => { $('live').textContent = 'live: on'; document.body.dataset.live = 'bound'; });
  sub.events.addEventListener('close', () => ($('live').textContent = 'live: reconnecting…'));
}
