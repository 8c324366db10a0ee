// Test data for the browser tests, written through FHIR with a SMART backend-services token
// (client assertion signed ES384 with the test client's key, as fhir-server/README.md
// "Backend services" says). Two demo patients with different values, so a leak would show:
// Ana Silva deteriorating (NEWS2 high, an open alert, ECG strips), Ben Carter stable with a CGM,
// a cuff, a recommendation and a device.

import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const ANA = 'vitals-demo-ana-silva';
export const BEN = 'vitals-demo-ben-carter';
export const ANA_HR = 118;
export const BEN_HR = 64;
export const LIVE_HR = 131;

const b64url = (b) => Buffer.from(b).toString('base64url');

/** A setting the Maven IT (smart-apps/browser-tests) gives the browser tests. */
export function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run these tests from the Maven IT (smart-apps/browser-tests) or set it`);
  return v;
}

/** Debian's headless Chromium (never a downloaded browser) with a fresh profile, removed on close. */
export async function chromiumContext(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.VITALS_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
    ...options,
  });
  ctx.on('close', () => {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      /* Chromium may still be writing its profile as it exits: a temporary folder is left */
    }
  });
  return ctx;
}

/** A backend-services access token for `scope`. */
export async function backendToken(base, clientId, jwkFile, scope) {
  const jwk = JSON.parse(readFileSync(jwkFile, 'utf8'));
  const conf = await (await fetch(`${base}/fhir/.well-known/smart-configuration`)).json();
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'ES384', kid: jwk.kid, typ: 'JWT' }));
  const claims = b64url(JSON.stringify({ iss: clientId, sub: clientId, aud: conf.token_endpoint, exp: now + 240, iat: now, jti: randomUUID() }));
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  const sig = sign('sha384', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
  const res = await fetch(conf.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: `${header}.${claims}.${b64url(sig)}`,
    }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`backend token refused (${res.status}): ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A tiny FHIR client with a bearer token. */
export function fhirClient(base, token) {
  const call = async (method, path, body, headers = {}) => {
    const res = await fetch(`${base}/fhir/${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json', ...(body ? { 'Content-Type': 'application/fhir+json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 600)}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    get: (p) => call('GET', p),
    post: (p, b) => call('POST', p, b),
    put: (p, b) => call('PUT', p, b),
    transaction: (entries) => call('POST', '', { resourceType: 'Bundle', type: 'transaction', entry: entries }),
  };
}

const VS = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }];
const q = (value, unit, code) => ({ value, unit, system: 'http://unitsofmeasure.org', code });

function obs(patient, at, code, display, value, extra = {}) {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: VS,
    code: { coding: [{ system: 'http://loinc.org', code, display }], text: display },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: new Date(at).toISOString(),
    ...(value ? { valueQuantity: value } : {}),
    ...extra,
  };
}

const hr = (p, t, v, device) => obs(p, t, '8867-4', 'Heart rate', q(v, 'beats/minute', '/min'), device ? { device: { reference: device } } : {});
const rr = (p, t, v) => obs(p, t, '9279-1', 'Respiratory rate', q(v, 'breaths/minute', '/min'));
const spo2 = (p, t, v) => ({
  ...obs(p, t, '2708-6', 'Oxygen saturation in Arterial blood', q(v, '%', '%')),
  code: { coding: [{ system: 'http://loinc.org', code: '2708-6', display: 'Oxygen saturation in Arterial blood' }, { system: 'http://loinc.org', code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' }] },
});
const temp = (p, t, v) => obs(p, t, '8310-5', 'Body temperature', q(v, 'C', 'Cel'));
const bp = (p, t, s, d, device) =>
  obs(p, t, '85354-9', 'Blood pressure panel', null, {
    component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }] }, valueQuantity: q(s, 'mmHg', 'mm[Hg]') },
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' }] }, valueQuantity: q(d, 'mmHg', 'mm[Hg]') },
    ],
    ...(device ? { device: { reference: device } } : {}),
  });
const glucose = (p, t, v, device) => ({
  resourceType: 'Observation',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '2339-0', display: 'Glucose [Mass/volume] in Blood' }] },
  subject: { reference: `Patient/${p}` },
  effectiveDateTime: new Date(t).toISOString(),
  valueQuantity: q(v, 'mg/dL', 'mg/dL'),
  ...(device ? { device: { reference: device } } : {}),
});

/** A synthetic 10-s lead II strip at 250 Hz: QRS-like spikes at the given beat times (s). */
function ecgStrip(patient, startMs, beats, af) {
  const fs = 250;
  const n = 10 * fs;
  const data = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    let mv = af ? 0.05 * Math.sin(2 * Math.PI * 6.3 * t) : 0;
    for (const b of beats) {
      const d = t - b;
      if (d < -0.4 || d > 0.6) continue;
      mv += 1.1 * Math.exp(-(d * d) / (2 * 0.012 * 0.012)); // R
      mv -= 0.2 * Math.exp(-((d - 0.04) ** 2) / (2 * 0.01 * 0.01)); // S
      mv += 0.3 * Math.exp(-((d - 0.28) ** 2) / (2 * 0.05 * 0.05)); // T
      if (!af) mv += 0.12 * Math.exp(-((d + 0.16) ** 2) / (2 * 0.03 * 0.03)); // P
    }
    data[i] = Math.round(mv / 0.005);
  }
  return {
    resourceType: 'Observation',
    id: `strip-${patient}-${startMs}`,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'procedure' }] }],
    code: { coding: [{ system: 'urn:iso:std:iso:11073:10101', code: '131328', display: 'MDC_ECG_ELEC_POTL' }] },
    subject: { reference: `Patient/${patient}` },
    effectivePeriod: { start: new Date(startMs).toISOString(), end: new Date(startMs + 10e3).toISOString() },
    component: [
      {
        code: { coding: [{ system: 'urn:iso:std:iso:11073:10101', code: '131330', display: 'MDC_ECG_ELEC_POTL_II' }] },
        valueSampledData: { origin: { value: 0, unit: 'mV', system: 'http://unitsofmeasure.org', code: 'mV' }, period: 4, factor: 0.005, dimensions: 1, data: data.join(' ') },
      },
    ],
  };
}

const ANNOTATION_BASE = {
  resourceType: 'Observation',
  meta: { tag: [{ system: 'https://vitals.example.org/fhir/CodeSystem/decision-support', code: 'machine-generated' }] },
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'procedure' }] }],
  method: { coding: [{ system: 'https://vitals.example.org/fhir/CodeSystem/ecg-analysis', code: 'vitals-ecg-analyzer' }] },
  note: [{ text: 'Machine-generated decision support, not a diagnosis.' }],
};
const MDC_BEAT = { N: '663568', S: '663616', V: '663696', F: '663712', Q: '664096' };

/**
 * What the CDS monitor writes for a strip (cds-hooks EcgAnnotationResources, decision 0712): one
 * beat annotation per strip (a component per beat: AAMI class + MDC term, R-peak offset in ms),
 * or the reason it could not be analysed.
 */
function stripAnalysis(strip, beats, { af = false, absent = null } = {}) {
  const start = Date.parse(strip.effectivePeriod.start);
  const o = {
    ...ANNOTATION_BASE,
    identifier: [{ system: 'https://vitals.example.org/fhir/ecg-analysis-id', value: strip.id }],
    status: 'final',
    code: { coding: [{ system: 'https://vitals.example.org/fhir/CodeSystem/ecg-analysis', code: 'beat-annotation' }, { system: 'urn:iso:std:iso:11073:10101', code: '663552', display: 'MDC_ECG_BEAT' }] },
    subject: strip.subject,
    effectivePeriod: strip.effectivePeriod,
    derivedFrom: [{ reference: `Observation/${strip.id}` }],
    component: [],
  };
  if (absent) {
    o.dataAbsentReason = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'error' }], text: `Not analysed: ${absent}` };
    return o;
  }
  for (const [t, cls] of beats) {
    o.component.push({
      code: { coding: [{ system: 'https://vitals.example.org/fhir/CodeSystem/aami-beat-class', code: cls }, { system: 'urn:iso:std:iso:11073:10101', code: MDC_BEAT[cls] }] },
      valueQuantity: { value: Math.round(t * 10000) / 10, unit: 'ms', system: 'http://unitsofmeasure.org', code: 'ms' },
    });
  }
  if (af) o.component.push({ code: { coding: [{ system: 'http://snomed.info/sct', code: '49436004' }] }, valueRange: { low: { value: 0, code: 'ms' }, high: { value: 10000, code: 'ms' } } });
  void start;
  return o;
}

/** An AF episode as the monitor writes it (LOINC 8884-9 = SNOMED 49436004, effectivePeriod). */
function afEpisode(patient, fromMs, toMs, ongoing) {
  return {
    ...ANNOTATION_BASE,
    identifier: [{ system: 'https://vitals.example.org/fhir/ecg-af-episode-id', value: `af-${patient}-${fromMs}` }],
    status: ongoing ? 'preliminary' : 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8884-9', display: 'Heart rate rhythm' }] },
    valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '49436004', display: 'Atrial fibrillation' }] },
    subject: { reference: `Patient/${patient}` },
    effectivePeriod: { start: new Date(fromMs).toISOString(), end: new Date(toMs).toISOString() },
  };
}

/** Ana's last hour of ECG: 360 strips with their annotations; AF in the newest 40 s. */
export const ECG_STRIPS = 360;
export const ECG_AF_STRIPS = 4;

function ecgHour(now) {
  const strips = [];
  const rest = [];
  const end = Math.floor((now - 60e3) / 10e3) * 10e3;
  for (let k = 0; k < ECG_STRIPS; k++) {
    const start = end - (ECG_STRIPS - k) * 10e3;
    const af = k >= ECG_STRIPS - ECG_AF_STRIPS;
    const beats = [];
    let n = 0;
    for (let t = 0.3; t < 9.8; t += af ? 0.45 + 0.35 * Math.abs(Math.sin(t * 7.7 + k)) : 0.62) {
      // Sinus with an ectopic beat now and then: every 6th V, every 11th S (none in AF).
      const cls = af ? 'N' : n % 6 === 5 ? 'V' : n % 11 === 7 ? 'S' : 'N';
      beats.push([t, cls]);
      n++;
    }
    const strip = ecgStrip(ANA, start, beats.map(([t]) => t), af);
    strips.push(strip);
    // One strip of the hour could not be analysed (lead off): it says so instead of showing beats.
    rest.push(stripAnalysis(strip, beats, k === ECG_STRIPS - 30 ? { absent: 'only 0 beats found: flat, disconnected or noise-only signal' } : { af }));
  }
  const afFrom = end - ECG_AF_STRIPS * 10e3 + 300;
  rest.push(afEpisode(ANA, afFrom, end - 200, true));
  return { strips, rest, endMs: end, afFromMs: afFrom };
}

async function put(fhir, resources, size) {
  for (let i = 0; i < resources.length; i += size) {
    await fhir.transaction(resources.slice(i, i + size).map((r) => (r.id ? { resource: r, request: { method: 'PUT', url: `${r.resourceType}/${r.id}` } } : { resource: r, request: { method: 'POST', url: r.resourceType } })));
  }
}

async function post(fhir, resources) {
  for (let i = 0; i < resources.length; i += 500) {
    await fhir.transaction(resources.slice(i, i + 500).map((r) => ({ resource: r, request: { method: 'POST', url: r.resourceType } })));
  }
}

/** Writes the test data; returns what the tests check against. */
export async function seed(fhir, now = Date.now()) {
  const MIN = 60e3;
  const out = [];
  // Ana: an hour of 1 Hz heart rate (as a bedside monitor sends it), 6 h of the rest each minute.
  for (let s = 3600; s >= 1; s--) out.push(hr(ANA, now - s * 1000, ANA_HR + Math.round(3 * Math.sin(s / 40))));
  for (let m = 360; m >= 1; m--) {
    const t = now - m * MIN;
    out.push(rr(ANA, t, 24 + (m % 3)), spo2(ANA, t, 92 - (m % 2)));
    if (m % 15 === 0) out.push(temp(ANA, t, 38.4), bp(ANA, t, 98, 58));
  }
  // Ben: stable, every 5 min for 6 h; CGM every 15 min for 3 days; a cuff device.
  const cuff = await fhir.post('Device', { resourceType: 'Device', status: 'active', deviceName: [{ name: 'Home BP cuff', type: 'user-friendly-name' }], patient: { reference: `Patient/${BEN}` } });
  const cgm = await fhir.post('Device', { resourceType: 'Device', status: 'active', deviceName: [{ name: 'Glucose sensor', type: 'user-friendly-name' }], patient: { reference: `Patient/${BEN}` } });
  for (let m = 360; m >= 5; m -= 5) {
    const t = now - m * MIN;
    out.push(hr(BEN, t, BEN_HR, `Device/${cuff.id}`), rr(BEN, t, 14), spo2(BEN, t, 98));
    if (m % 60 === 0) out.push(temp(BEN, t, 36.8), bp(BEN, t, 134, 84, `Device/${cuff.id}`));
  }
  out.push(hr(BEN, now - 60e3, BEN_HR, `Device/${cuff.id}`));
  for (let k = 3 * 96; k >= 1; k--) {
    const g = 140 + 70 * Math.sin(k / 7) + (k % 11 === 0 ? 80 : 0);
    out.push(glucose(BEN, now - k * 15 * MIN, Math.round(g), `Device/${cgm.id}`));
  }
  await post(fhir, out);
  const ecg = ecgHour(now);
  await put(fhir, ecg.strips, 60);
  await put(fhir, ecg.rest, 120);

  // What the CDS monitor writes (cds-hooks AlertResources): NEWS2 RiskAssessments and an alert.
  const news2 = (p, score, risk) => ({
    resourceType: 'RiskAssessment',
    status: 'final',
    subject: { reference: `Patient/${p}` },
    occurrenceDateTime: new Date(now - 2 * MIN).toISOString(),
    method: { coding: [{ system: 'http://snomed.info/sct', code: '1104051000000101', display: 'Royal College of Physicians National Early Warning Score 2 (NEWS2)' }] },
    code: { text: 'NEWS2 aggregate score' },
    prediction: [{ outcome: { text: 'Acute clinical deterioration' }, qualitativeRisk: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/risk-probability', code: risk }] } }],
    extension: [{ url: 'https://vitals.example.org/fhir/StructureDefinition/news2-score', valueInteger: score }],
  });
  const anaRisk = await fhir.post('RiskAssessment', news2(ANA, 10, 'high'));
  await fhir.post('RiskAssessment', news2(BEN, 1, 'low'));
  const alert = await fhir.post('DetectedIssue', {
    resourceType: 'DetectedIssue',
    meta: { tag: [{ system: 'https://vitals.example.org/fhir/CodeSystem/alert-state', code: 'raised', display: 'raised' }] },
    identifier: [{ system: 'https://vitals.example.org/fhir/alert-id', value: `news2-deterioration-${ANA}-${now}` }],
    status: 'preliminary',
    severity: 'high',
    code: { coding: [{ system: 'https://vitals.example.org/fhir/CodeSystem/alert-kind', code: 'news2-deterioration' }], text: 'Clinical deterioration (NEWS2)' },
    patient: { reference: `Patient/${ANA}` },
    identifiedPeriod: { start: new Date(now - 30 * MIN).toISOString() },
    evidence: [{ detail: [{ reference: `RiskAssessment/${anaRisk.id}` }] }],
    detail: 'State raised, level 3 (emergency response): NEWS2 10 calls for an emergency response.',
    reference: 'https://www.rcp.ac.uk/improving-care/resources/national-early-warning-score-news-2/',
  });
  // A recommendation for Ben as the CDS service writes it (Communication, category instruction).
  await fhir.post('Communication', {
    resourceType: 'Communication',
    status: 'completed',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: 'instruction' }] }],
    subject: { reference: `Patient/${BEN}` },
    recipient: [{ reference: `Patient/${BEN}` }],
    sent: new Date(now - 3600e3).toISOString(),
    topic: { text: 'Blood pressure above target' },
    payload: [
      { contentString: 'Your blood pressure has been in the stage 1 range this week. Less salt and regular activity help; talk to your care team about it.' },
      { contentString: 'Based on your readings: average 134/84 mmHg over 6 readings.' },
      { contentAttachment: { url: 'https://www.ahajournals.org/doi/10.1161/HYP.0000000000000065', title: 'Source: 2017 ACC/AHA High Blood Pressure Guideline' } },
    ],
  });
  return { alertId: alert.id, observations: out.length, ecgEndMs: ecg.endMs, ecgAfFromMs: ecg.afFromMs };
}

/** One new heart-rate reading for Ana (the live-update check). */
export function liveReading(now = Date.now()) {
  return hr(ANA, now, LIVE_HR);
}
