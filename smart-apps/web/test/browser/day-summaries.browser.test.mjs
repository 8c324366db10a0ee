// Browser test: a day of vitals charted from the gateway's minute summaries (decision 0803).
// Seeds, through the FHIR API, 1,440 minute summaries each of heart rate and SpO2 for Chen Wei
// (24 h ending two minutes ago), the two newest minutes as 1 Hz single readings (not summarised
// yet) and 1 Hz heart-rate readings of the last five summarised minutes (which the summaries stand
// for, so the 24 h view must not draw them again). Then the doctor app's 24 h view must span the
// day from the summaries plus the unsummarised tail, and the 1 h view must draw the single readings
// with the min-max bands of the summarised minutes whose readings are missing. Same environment as smart-apps.browser.test.mjs; the load time is printed (recorded in
// docs/benchmarks.md, not asserted).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { AGGREGATION } from '../../src/shared/vitals.js';
import { backendToken, chromiumContext, env, fhirClient } from './seed.mjs';

const BASE = env('VITALS_BASE');
const SHOTS = env('VITALS_SCREENSHOTS');
const CHEN = 'vitals-demo-chen-wei';
const MIN = 60e3;
const TAIL_S = 120; // the newest two minutes: single readings only
const BAIT_S = 300; // single readings inside summarised minutes

const VS = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }];
const METRICS = [
  { code: '8867-4', display: 'Heart rate', unit: 'beats/minute', ucum: '/min', at: (k) => 72 + Math.round(10 * Math.sin(k / 90)) },
  { code: '2708-6', display: 'Oxygen saturation in Arterial blood', unit: '%', ucum: '%', at: (k) => 96 + (k % 3) },
];
const qty = (m, value) => ({ value, unit: m.unit, system: 'http://unitsofmeasure.org', code: m.ucum });

/** A minute summary in the gateway's shape. */
function summary(m, startMs, median) {
  return {
    resourceType: 'Observation',
    meta: { tag: [{ system: AGGREGATION, code: 'minute', display: 'Minute summary' }] },
    status: 'final',
    category: VS,
    code: { coding: [{ system: 'http://loinc.org', code: m.code, display: m.display }] },
    subject: { reference: `Patient/${CHEN}` },
    effectivePeriod: { start: new Date(startMs).toISOString(), end: new Date(startMs + MIN).toISOString() },
    valueQuantity: qty(m, median),
    component: [
      { code: { coding: [{ system: AGGREGATION, code: 'minimum' }] }, valueQuantity: qty(m, median - 3) },
      { code: { coding: [{ system: AGGREGATION, code: 'maximum' }] }, valueQuantity: qty(m, median + 2) },
      { code: { coding: [{ system: AGGREGATION, code: 'count' }] }, valueInteger: 60 },
    ],
  };
}

function reading(m, atMs, value) {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: VS,
    code: { coding: [{ system: 'http://loinc.org', code: m.code, display: m.display }] },
    subject: { reference: `Patient/${CHEN}` },
    effectiveDateTime: new Date(atMs).toISOString(),
    valueQuantity: qty(m, value),
  };
}

let cutoff; // end of the newest summarised minute

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const token = await backendToken(BASE, env('VITALS_SEED_CLIENT'), env('VITALS_SEED_KEY'), 'system/*.cruds');
  const fhir = fhirClient(BASE, token);
  cutoff = Math.floor(Date.now() / MIN) * MIN - 2 * MIN;
  const out = [];
  for (const m of METRICS) {
    for (let k = 1440; k >= 1; k--) out.push(summary(m, cutoff - k * MIN, m.at(k)));
    for (let s = 0; s < TAIL_S; s++) out.push(reading(m, cutoff + s * 1000, m.at(0)));
  }
  for (let s = BAIT_S; s >= 1; s--) out.push(reading(METRICS[0], cutoff - s * 1000, 200)); // far off, would show
  const t0 = performance.now();
  for (let i = 0; i < out.length; i += 500) {
    await fhir.transaction(out.slice(i, i + 500).map((r) => ({ resource: r, request: { method: 'POST', url: 'Observation' } })));
  }
  console.log(`# seeded ${out.length} Observations (2 x 1,440 minute summaries) in ${Math.round(performance.now() - t0)} ms`);
});

test('the doctor app charts a day from minute summaries plus the unsummarised newest minutes, and the last hour from single readings', async () => {
  const ctx = await chromiumContext();
  try {
    await dayAndHour(ctx);
  } finally {
    await ctx.close(); // also when an assertion failed: a browser left open keeps node running
  }
});

async function dayAndHour(ctx) {
  const problems = [];
  ctx.on('weberror', (e) => problems.push(String(e.error())));
  const page = ctx.pages()[0] || (await ctx.newPage());
  await page.goto(`${BASE}/apps/launcher/`);
  await page.fill('#username', 'dr.okafor');
  await page.fill('#password', 'demo');
  await page.fill('#patient', CHEN);
  await page.click('#launch');
  await page.waitForSelector('body[data-launched="true"]', { timeout: 60_000 });
  const app = page.frame({ name: 'vitals-doctor-app' }); // the doctor app in the launcher's frame
  await app.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
  await app.locator('#points').filter({ hasText: 'readings' }).waitFor({ timeout: 120_000 });

  const chart = (v) => app.locator(`[data-testid="chart"][data-vital="${v}"]`);
  const view = async (label) => {
    await app.evaluate(() => (document.getElementById('points').textContent = ''));
    const t0 = Date.now();
    await app.click(`#range button:has-text("${label}")`);
    await app.locator('#points').filter({ hasText: 'readings' }).waitFor({ timeout: 120_000 });
    const wall = Date.now() - t0;
    const text = await app.locator('#points').innerText();
    const charts = {};
    for (const v of ['hr', 'spo2']) charts[v] = await chart(v).evaluate((b) => ({ ...b.dataset }));
    return { wall, text, charts };
  };

  const day = await view('24 h');
  console.log(`# 24 h view: ${day.text} (wall ${day.wall} ms)`);
  for (const v of ['hr', 'spo2']) {
    const c = day.charts[v];
    const summaries = Number(c.summaries);
    // The window starts 24 h before the click, the seeded day 24 h before the cutoff (a little earlier).
    assert.ok(summaries >= 1420 && summaries <= 1440, `${v}: ${summaries} minute summaries in the 24 h view`);
    assert.equal(Number(c.points), summaries + TAIL_S, `${v}: summaries plus the ${TAIL_S} unsummarised readings, nothing twice`);
    const spanH = (Number(c.toMs) - Number(c.fromMs)) / 3600e3;
    assert.ok(spanH > 23.6, `${v}: the chart spans the day (${spanH.toFixed(2)} h)`);
    assert.ok(Number(c.toMs) >= cutoff + (TAIL_S - 1) * 1000, `${v}: the newest reading is drawn`);
  }
  assert.match(day.text, new RegExp(`^${2 * TAIL_S} readings and \\d+ minute summaries`));
  await page.locator('#app-frame').screenshot({ path: join(SHOTS, '06-doctor-app-day-of-minute-summaries.png') });

  const hour = await view('1 h');
  console.log(`# 1 h view: ${hour.text} (wall ${hour.wall} ms)`);
  // Short windows: the single readings, plus the min-max band of each summarised minute whose
  // single readings are missing (minute-summary storage keeps only the exceptions); the five
  // minutes whose readings are all there get no band, so nothing is drawn twice.
  const hrBands = Number(hour.charts.hr.summaries);
  const spo2Bands = Number(hour.charts.spo2.summaries);
  // (the seeded day ends two minutes before the seeding started: a slow seeding leaves the window's
  // newest minutes empty, so the count is a range)
  assert.ok(hrBands >= 30 && hrBands <= 56, `hr: bands of the summarised minutes without readings: ${hrBands}`);
  assert.equal(spo2Bands, hrBands + BAIT_S / 60, 'spo2 has no single readings in the summarised minutes');
  assert.equal(Number(hour.charts.hr.points), BAIT_S + TAIL_S + hrBands, 'hr: readings and bands, nothing twice');
  assert.equal(Number(hour.charts.spo2.points), TAIL_S + spo2Bands, 'spo2: readings and bands');
  await page.locator('#app-frame').screenshot({ path: join(SHOTS, '07-doctor-app-hour-bands-and-readings.png') });
  assert.deepEqual(problems, []);
}
