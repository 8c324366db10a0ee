// The doctor app (SMART EHR launch). One page handles both the launch (?iss&launch: fhirclient
// sends the browser to the authorize endpoint with PKCE S256) and the redirect (?code&state).
// Ward: in-progress Encounters' patients ordered by their latest NEWS2 RiskAssessment (written by
// the CDS monitor) with their open DetectedIssue alerts; per patient: latest values, trends,
// ECG, CDS cards, alert acknowledgement; live refresh through a websocket Subscription.

import FHIR from 'fhirclient';
import { cdsBase, patientViewCards, relativeRef, renderCards } from '../shared/cds.js';
import { trendChart } from '../shared/chart.js';
import { AF_EPISODE_CODE, ANALYSIS_CODE, EcgViewer, decodeAfEpisode, decodeAnalysis, decodeStrip, leadName, legend, stripAnnotations } from '../shared/ecg.js';
import { SUMMARIES_FROM_MS, latestVitals, searchAll, searchPage, trendObservations, vitalObservations } from '../shared/fhir.js';
import { MDC } from '../shared/vitals.js';
import { subscribe, throttle } from '../shared/live.js';
import {
  ALERT_STATE, VITALS, acknowledged, alertState, displayName, effectiveMs, mergeColumns, news2Band, news2Of,
  isSummary, isVital, outOfRange, readingsCovered, series, summaryRange, valueOf, wardOrder, withAcknowledgement,
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
  if (rangeMs <= SUMMARIES_FROM_MS) {
    // With the gateway's minute-summary storage (decisions 0209, 0711, 0803) a short window's
    // single readings are only the exceptions. A summarised minute with fewer single readings than
    // it summarises adds its min-max band (no median: the line stays the readings'), so the normal
    // stretches between exceptions show; a minute that has all its readings adds nothing.
    const sums = await vitalObservations(client, selected, VITALS, Date.now() - rangeMs, { windows: 1, summaries: true });
    if (generation !== renderTrends.generation) return;
    for (const v of VITALS) {
      const [x] = cols.get(v);
      const perMinute = new Map();
      for (const t of x) perMinute.set(Math.floor(t / 60), (perMinute.get(Math.floor(t / 60)) || 0) + 1);
      const missing = sums.filter((o) => {
        if (!isSummary(o) || !isVital(v, o) || valueOf(v, o) === null) return false;
        const held = perMinute.get(Math.floor(Date.parse(o.effectivePeriod?.start) / 60e3)) || 0;
        return held < (summaryRange(o).count ?? 1);
      });
      if (!missing.length) continue;
      const band = series(v, missing);
      band[1] = band[1].map(() => null);
      cols.set(v, mergeColumns(cols.get(v), band));
      dirty.add(v);
      const fresh = missing.filter((o) => !counted.has(o) && counted.add(o));
      summaries += fresh.length;
      covered += readingsCovered(fresh);
    }
  }
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

const STRIP_CODE = `${MDC}|131328`;
/** The longest stretch of ECG the viewer spans (older strips stay in the record). */
const ECG_SPAN_MS = 24 * 3600e3;
let ecgViewer;

/** One minute of a patient's ECG: strips, their annotations and the AF episodes reaching into it. */
async function ecgChunk(patientId, fromMs, toMs) {
  const q = (code, extra = '') =>
    `Observation?patient=${encodeURIComponent(patientId)}&code=${encodeURIComponent(code)}` +
    `&date=ge${encodeURIComponent(new Date(fromMs).toISOString())}&date=lt${encodeURIComponent(new Date(toMs).toISOString())}${extra}`;
  const [stripObs, analysisObs, episodeObs] = await Promise.all([
    searchAll(client, q(STRIP_CODE, '&_count=50')),
    searchAll(client, q(ANALYSIS_CODE, '&_count=50')),
    searchAll(client, q(AF_EPISODE_CODE, '&_count=20')),
  ]);
  const strips = [];
  const episodes = episodeObs.map(decodeAfEpisode).filter(Boolean);
  for (const o of stripObs) {
    const s = decodeStrip(o);
    if (!s) continue;
    strips.push({ ...s, id: o.id });
    // Strips an EHR marked AF itself (interpretation) are shaded as before.
    if (stripAnnotations(o).some((a) => a.kind === 'af')) episodes.push({ id: `strip-${o.id}`, atMs: s.start, endMs: s.start + s.mv.length * s.periodMs });
  }
  return { strips, analyses: analysisObs.map(decodeAnalysis), episodes };
}

async function renderEcg() {
  const patientId = selected;
  const t0 = performance.now();
  ecgViewer?.close();
  ecgViewer = null;
  const newest = (order) =>
    searchPage(client, `Observation?patient=${encodeURIComponent(patientId)}&code=${encodeURIComponent(STRIP_CODE)}&_sort=${order}date&_count=1&_elements=effective`);
  const [[last], [first]] = await Promise.all([newest('-'), newest('')]);
  const canvas = $('ecg');
  const box = $('ecg-scroll');
  if (!last) {
    $('ecg-info').textContent = '(no ECG recorded)';
    canvas.width = 0;
    $('ecg-track').style.width = '0';
    return;
  }
  const end = last.effectivePeriod?.end ? Date.parse(last.effectivePeriod.end) : Date.parse(last.effectivePeriod?.start || last.effectiveDateTime) + 10_000;
  const start = Math.max(Date.parse(first.effectivePeriod?.start || first.effectiveDateTime), end - ECG_SPAN_MS);
  if (!$('ecg-legend').childElementCount) $('ecg-legend').append(legend());
  let lead = null;
  ecgViewer = new EcgViewer({
    scroller: box,
    track: $('ecg-track'),
    canvas,
    fetchChunk: (from, to) => ecgChunk(patientId, from, to),
    onDraw: ({ t0: from, t1: to, drawn, strips, loading, errors }) => {
      if (selected !== patientId) return;
      lead = lead || strips[0]?.lead;
      const classes = Object.entries(drawn.classes).map(([k, n]) => `${n} ${k}`).join(', ');
      const span = Math.round((end - start) / 60e3);
      $('ecg-info').textContent =
        `(lead ${leadName(lead || '131330')}, ${new Date(from).toLocaleTimeString()}–${new Date(to).toLocaleTimeString()} of ${span} min recorded, 25 mm/s, 10 mm/mV` +
        `${drawn.beats ? `; beats ${classes}` : ''}${drawn.af ? `; AF in view` : ''}${drawn.absent ? `; ${drawn.absent} strip(s) not analysable` : ''}${loading ? '; loading…' : ''})` +
        (errors.length ? ` ${errors[0]}` : '');
      Object.assign(canvas.dataset, {
        origin: String(start), from: String(Math.round(from)), to: String(Math.round(to)), beats: String(drawn.beats), classes: JSON.stringify(drawn.classes),
        af: String(drawn.af), absent: String(drawn.absent), loading: String(loading), chunks: String(ecgViewer.fetched),
      });
      if (!loading) document.body.dataset.ecgMs = String(Math.round(performance.now() - t0));
    },
  });
  ecgViewer.setExtent(start, end); // newest at the right, scroll back in time
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
