// The patient app (SMART standalone launch): the patient signs in at the FHIR server's
// authorization server and is their own context; the token's patient/ scopes reach only their own
// compartment. Plain-language readings, BP category, glucose time in range, trends,
// recommendations with their sources (Communications written by the CDS service), devices.

import FHIR from 'fhirclient';
import { trendChart } from '../shared/chart.js';
import { READINGS_ONLY, searchAll, trendObservations } from '../shared/fhir.js';
import {
  VITALS, age, bpCategory, codeParam, displayName, effectiveMs, outOfRange, series, timeInRange,
  valueOf,
} from '../shared/vitals.js';

const $ = (id) => document.getElementById(id);
const SCOPE = 'launch/patient openid fhirUser patient/Patient.rs patient/Observation.rs patient/Device.rs patient/Communication.rs';
const DAY = 24 * 3600e3;

const params = new URLSearchParams(location.search);
const started = params.has('code') || params.has('error') || sessionStorage.getItem('SMART_KEY');
const ready = started
  ? FHIR.oauth2.ready()
  : FHIR.oauth2.authorize({
      clientId: 'vitals-patient-app',
      scope: SCOPE,
      redirectUri: `${location.origin}/apps/patient/`,
      iss: params.get('iss') || `${location.origin}/fhir`,
      pkceMode: 'required',
      // Opened by the launcher as a window: finish sign-in here, not in the opener.
      completeInTarget: true,
    });
Promise.resolve(ready)
  .then((c) => c && start(c))
  .catch((e) => {
    $('status').textContent = `Sign-in failed: ${e.message}`;
    $('status').className = 'error';
  });

async function start(client) {
  const me = await client.patient.read();
  $('who').textContent = displayName(me);
  $('status').hidden = true;
  $('content').hidden = false;
  const id = client.patient.id;
  await Promise.all([latest(client, id), bloodPressure(client, id), glucose(client, id), trends(client, id), recommendations(client, id), devices(client, id)]);
  document.body.dataset.ready = 'true';
}

const SAY = {
  normal: 'in the usual range',
  low: 'lower than usual',
  high: 'higher than usual',
};

async function latest(client, id) {
  const el = $('latest');
  for (const v of VITALS.filter((x) => x.key !== 'dia')) {
    const b = await client.request(`Observation?patient=${id}&code=${encodeURIComponent(codeParam(v))}&${READINGS_ONLY}&_sort=-date&_count=1`);
    const o = b.entry?.[0]?.resource;
    if (!o) continue;
    const value = valueOf(v, o);
    if (value === null) continue;
    const tile = document.createElement('div');
    tile.className = `tile${outOfRange(v, value) ? ' out' : ''}`;
    tile.dataset.vital = v.key;
    let text = `${Math.round(value * 10) / 10} ${v.unit}`;
    let where = `That is ${value < v.low ? SAY.low : value > v.high ? SAY.high : SAY.normal} (${v.low}–${v.high}).`;
    if (v.key === 'sys') {
      // Blood pressure in words is its ACC/AHA category, not the NEWS2 band.
      const dia = valueOf(VITALS.find((x) => x.key === 'dia'), o);
      text = `${value}/${dia ?? '?'} mmHg`;
      where = dia === null ? '' : `This reading: ${bpCategory(value, dia).plain.toLowerCase()}.`;
    }
    tile.innerHTML = '<div class="l"></div><div class="v"></div><div class="say"></div><div class="l"></div>';
    tile.children[0].textContent = v.key === 'sys' ? 'Blood pressure' : v.plain;
    tile.children[1].textContent = text;
    tile.children[2].textContent = where;
    tile.children[3].textContent = age(effectiveMs(o));
    el.append(tile);
  }
  if (!el.children.length) el.textContent = 'No readings yet.';
}

async function bloodPressure(client, id) {
  const bp = VITALS.find((x) => x.key === 'sys');
  const list = await searchAll(client, `Observation?patient=${id}&code=${encodeURIComponent(codeParam(bp))}&date=ge${new Date(Date.now() - 7 * DAY).toISOString()}&${READINGS_ONLY}&_sort=-date&_count=200`);
  const el = $('bp');
  if (!list.length) {
    el.textContent = 'No blood pressure readings in the last 7 days.';
    return;
  }
  // Category of the average of the week's readings (ACC/AHA 2017 classifies by averages of
  // readings on separate occasions, not by one reading).
  const sys = list.map((o) => valueOf(bp, o)).filter((x) => x !== null);
  const dia = list.map((o) => valueOf(VITALS.find((x) => x.key === 'dia'), o)).filter((x) => x !== null);
  const avg = (a) => Math.round(a.reduce((s, x) => s + x, 0) / a.length);
  const cat = bpCategory(avg(sys), avg(dia));
  el.innerHTML = '<p><span class="badge" data-testid="bp-category"></span></p><p class="say"></p><p class="muted"></p>';
  el.children[0].firstChild.textContent = cat.label;
  el.children[1].textContent = `Your average over ${sys.length} readings this week is ${avg(sys)}/${avg(dia)} mmHg: ${cat.plain.toLowerCase()}.`;
  el.children[2].textContent = 'Categories of the 2017 ACC/AHA blood pressure guideline.';
}

async function glucose(client, id) {
  const g = VITALS.find((x) => x.key === 'glucose');
  const list = await searchAll(client, `Observation?patient=${id}&code=${encodeURIComponent(codeParam(g))}&date=ge${new Date(Date.now() - 14 * DAY).toISOString()}&${READINGS_ONLY}&_count=1000&_elements=effective,value`);
  const values = list.map((o) => valueOf(g, o)).filter((x) => x !== null);
  const tir = timeInRange(values);
  const el = $('tir');
  if (!tir) {
    el.textContent = 'No blood sugar readings in the last 14 days.';
    return;
  }
  const parts = [
    ['veryLow', '#8b0000', 'very low (under 54)'],
    ['low', '#e05a4f', 'low (54–69)'],
    ['inRange', '#2a9d5c', 'in range (70–180)'],
    ['high', '#f0b400', 'high (181–250)'],
    ['veryHigh', '#d07800', 'very high (over 250)'],
  ];
  const bar = document.createElement('div');
  bar.className = 'tir';
  const ul = document.createElement('ul');
  ul.className = 'plain';
  for (const [k, color, label] of parts) {
    const s = document.createElement('span');
    s.style.width = `${tir[k]}%`;
    s.style.background = color;
    bar.append(s);
    if (tir[k] > 0) ul.append(Object.assign(document.createElement('li'), { textContent: `${tir[k]} % ${label} mg/dL` }));
  }
  const head = document.createElement('p');
  head.dataset.testid = 'tir-in-range';
  head.textContent = `${tir.inRange} % of ${tir.readings} readings were in range. The usual goal is more than 70 %.`;
  el.append(head, bar, ul, Object.assign(document.createElement('p'), { className: 'muted', textContent: 'Ranges of the International Consensus on Time in Range (Battelino et al., Diabetes Care 2019).' }));
}

async function trends(client, id) {
  const el = $('charts');
  // Seven days: minute summaries where the gateway wrote them, single readings otherwise.
  const byVital = await trendObservations(client, id, VITALS, Date.now() - 7 * DAY);
  const width = Math.min(520, el.clientWidth || 340);
  for (const v of VITALS) {
    const data = series(v, byVital.get(v));
    if (!data[0].length) continue;
    const box = document.createElement('div');
    box.dataset.testid = 'chart';
    box.dataset.vital = v.key;
    el.append(box);
    trendChart(box, { ...v, label: v.plain }, data, { width, height: 150 });
  }
  if (!el.children.length) el.textContent = 'No readings in the last 7 days.';
}

async function recommendations(client, id) {
  const list = await searchAll(client, `Communication?subject=Patient/${id}&category=instruction&_sort=-sent&_count=20`);
  const el = $('recs');
  if (!list.length) {
    el.textContent = 'No suggestions at the moment.';
    return;
  }
  for (const c of list) {
    const div = document.createElement('div');
    div.className = 'card';
    div.dataset.testid = 'recommendation';
    const h = document.createElement('h4');
    h.textContent = c.topic?.text || c.reasonCode?.[0]?.coding?.[0]?.display || 'Suggestion';
    div.append(h);
    for (const p of c.payload || []) {
      if (p.contentString) div.append(Object.assign(document.createElement('p'), { className: 'detail', textContent: p.contentString }));
      if (p.contentAttachment?.url) {
        const s = Object.assign(document.createElement('p'), { className: 'source' });
        s.append(Object.assign(document.createElement('a'), { href: p.contentAttachment.url, target: '_blank', rel: 'noopener', textContent: p.contentAttachment.title || p.contentAttachment.url }));
        div.append(s);
      }
    }
    el.append(div);
  }
}

async function devices(client, id) {
  const list = await searchAll(client, `Device?patient=${id}&_count=50`);
  const el = $('devices');
  if (!list.length) {
    el.textContent = 'No devices linked to you.';
    return;
  }
  for (const d of list) {
    const b = await client.request(`Observation?patient=${id}&device=Device/${d.id}&${READINGS_ONLY}&_sort=-date&_count=1&_elements=effective`);
    const last = b.entry?.[0]?.resource;
    const name = d.deviceName?.[0]?.name || d.type?.text || d.identifier?.[0]?.value || d.id;
    const when = last ? effectiveMs(last) : NaN;
    const quiet = !Number.isFinite(when) || Date.now() - when > 30 * 60e3; // CGMs send every 5-15 min
    const p = document.createElement('p');
    p.dataset.testid = 'device';
    p.innerHTML = '<span class="badge"></span> <strong></strong> <span class="muted"></span>';
    p.children[0].textContent = quiet ? 'not sending' : 'sending';
    p.children[0].classList.add(quiet ? 'medium' : 'low');
    p.children[1].textContent = name;
    p.children[2].textContent = Number.isFinite(when) ? `last reading ${age(when)}` : 'no readings yet';
    el.append(p);
  }
}
