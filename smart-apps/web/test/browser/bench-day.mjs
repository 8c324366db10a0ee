// Benchmark: the doctor app's 24-hour trends with a day of 1 Hz vitals (heart rate and SpO2 at
// 1 Hz = 172,800 Observations) for one patient. Prints the ingest rate of the seeding, then the
// time from choosing "24 h" until every reading is charted, and how much of it went into
// building series and drawing them (uPlot). Needs a running fhir-server and the same settings as the browser tests:
//   VITALS_BASE=http://localhost:8080 VITALS_SEED_CLIENT=vitals-gateway \
//   VITALS_SEED_KEY=data/security/clients/vitals-gateway.private.jwk.json \
//   node test/browser/bench-day.mjs [patient-id]
// (the gateway's demo key can write Observations; the patient must exist: demo patients do).

import { backendToken, chromiumContext, fhirClient } from './seed.mjs';

const BASE = process.env.VITALS_BASE || 'http://localhost:8080';
const PATIENT = process.argv[2] || 'vitals-demo-chen-wei';
const token = await backendToken(BASE, process.env.VITALS_SEED_CLIENT, process.env.VITALS_SEED_KEY, 'system/Observation.cruds');
const fhir = fhirClient(BASE, token);

const now = Date.now();
const VS = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];
const reading = (t, code, display, value, unit, ucum) => ({
  resource: {
    resourceType: 'Observation',
    status: 'final',
    category: VS,
    code: { coding: [{ system: 'http://loinc.org', code, display }] },
    subject: { reference: `Patient/${PATIENT}` },
    effectiveDateTime: new Date(t).toISOString(),
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: ucum },
  },
  request: { method: 'POST', url: 'Observation' },
});

const existing = await fhir.get(`Observation?patient=${PATIENT}&code=${encodeURIComponent('http://loinc.org|8867-4')}&date=ge${encodeURIComponent(new Date(now - 86400e3).toISOString())}&_summary=count`);
// VITALS_BENCH_SEED=0 measures what is there (e.g. after an interrupted seeding).
if (process.env.VITALS_BENCH_SEED !== '0' && (existing.total || 0) < 80000) {
  const t0 = performance.now();
  let n = 0;
  for (let s = 86400; s > 0; s -= 250) {
    const entries = [];
    for (let k = s; k > Math.max(0, s - 250); k--) {
      const t = now - k * 1000;
      entries.push(reading(t, '8867-4', 'Heart rate', 70 + Math.round(8 * Math.sin(k / 300)), 'beats/minute', '/min'));
      entries.push({ ...reading(t, '2708-6', 'Oxygen saturation', 97 - (k % 3), '%', '%') });
    }
    await fhir.transaction(entries);
    n += entries.length;
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(`seeded ${n} Observations in ${secs.toFixed(1)} s (${Math.round(n / secs)}/s, transactions of 500)`);
}

// The doctor app, as dr.okafor through the launcher, on this patient; then the 24 h view.
const ctx = await chromiumContext();
const page = ctx.pages()[0];
await page.goto(`${BASE}/apps/launcher/`);
await page.fill('#password', 'demo');
await page.fill('#patient', PATIENT);
await page.click('#launch');
await page.waitForSelector('body[data-launched="true"]', { timeout: 60_000 });
const app = page.frame({ name: 'vitals-doctor-app' }); // the doctor app in the launcher's frame
await app.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
await app.waitForSelector('#points:has-text("readings")', { timeout: 300_000 });
const runs = [];
for (let i = 0; i < 3; i++) {
  await app.evaluate(() => (document.getElementById('points').textContent = ''));
  const t0 = Date.now();
  await app.click('#range button:has-text("24 h")');
  await app.waitForSelector('#points:has-text("readings")', { timeout: 300_000 });
  const text = await app.locator('#points').innerText();
  runs.push({ wall: Date.now() - t0, text });
  await app.click('#range button:has-text("1 h")');
  await app.waitForSelector('#points:has-text("readings")', { timeout: 300_000 });
}
console.log(`heart-rate readings of the last 24 h on the server: ${existing.total}`);
for (const r of runs) console.log(`24 h view: ${r.text} (wall ${r.wall} ms)`);
await ctx.close();
