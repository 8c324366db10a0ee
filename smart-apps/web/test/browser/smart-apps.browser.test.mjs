// Browser tests of the SMART apps in Debian's headless Chromium (playwright-core, never a
// downloaded browser) against a running fhir-server (security on) and cds-hooks service. The
// Maven IT (smart-apps/browser-tests) starts both on a fresh PostgreSQL database and sets:
//   VITALS_BASE          http://localhost:<port> of fhir-server (tokens are bound to this host)
//   VITALS_CDS           http://localhost:<port> of cds-hooks
//   VITALS_SEED_CLIENT   backend client id of the test realm, VITALS_SEED_KEY its private JWK file
//   VITALS_SCREENSHOTS   where the screenshots go
// Run: node --test test/browser/

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { ANA, ANA_HR, BEN, BEN_HR, LIVE_HR, backendToken, chromiumContext, env, fhirClient, liveReading, seed } from './seed.mjs';

const BASE = env('VITALS_BASE');
const CDS = env('VITALS_CDS');
const SHOTS = env('VITALS_SCREENSHOTS');

let browser;
let fhir;
let seeded;
const context = chromiumContext;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const token = await backendToken(BASE, env('VITALS_SEED_CLIENT'), env('VITALS_SEED_KEY'), 'system/*.cruds');
  fhir = fhirClient(BASE, token);
  seeded = await seed(fhir);
  browser = true;
});

test('EHR launch of the doctor app from the launcher: PKCE, ward, charts, ECG, CDS cards, acknowledgement, live update', async () => {
  assert.ok(browser);
  const ctx = await context();
  const page = ctx.pages()[0] || (await ctx.newPage());
  const authorize = [];
  const tokenBodies = [];
  // Requests of every page and frame of the context: the launcher and the doctor app in its frame.
  ctx.on('request', (r) => {
    if (r.url().includes('/oauth2/authorize')) authorize.push(new URL(r.url()));
    if (r.url().endsWith('/oauth2/token') && r.method() === 'POST') tokenBodies.push(new URLSearchParams(r.postData() || ''));
  });
  const problems = [];
  ctx.on('weberror', (e) => problems.push(String(e.error())));

  // No ?cds=: the app reaches the CDS service through the FHIR server's relay (decision 0806).
  await page.goto(`${BASE}/apps/launcher/`);
  await page.fill('#username', 'dr.okafor');
  await page.fill('#password', 'demo');
  await page.fill('#patient', ANA);
  await page.click('#launch');
  await page.waitForSelector('body[data-launched="true"]', { timeout: 30_000 });
  // The doctor app in the launcher's frame: the apps and sign-in pages may be framed by this origin.
  const frame = page.frameLocator('#app-frame').locator('html');
  await frame.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });

  // The EHR launch went through the authorize endpoint with launch, aud and PKCE S256, and the
  // token request carried the verifier.
  const auth = authorize.find((u) => u.searchParams.get('launch'));
  assert.ok(auth, 'the app sent the browser to /oauth2/authorize with the launch');
  assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
  assert.ok((auth.searchParams.get('code_challenge') || '').length >= 43);
  assert.equal(auth.searchParams.get('aud'), `${BASE}/fhir`);
  assert.match(auth.searchParams.get('scope'), /\blaunch\b/);
  assert.ok(tokenBodies.some((b) => b.get('grant_type') === 'authorization_code' && (b.get('code_verifier') || '').length >= 43), 'token request with code_verifier');

  // Ward: Ana (NEWS2 10, open alert) above Ben (NEWS2 1).
  await frame.locator('#ward tr').nth(1).waitFor({ timeout: 30_000 });
  const ward = await frame.locator('#ward tr').allInnerTexts();
  assert.match(ward[0], /Ana Silva/);
  assert.match(ward[0], /10/);
  assert.match(ward[0], /1 open/);
  assert.ok(ward.some((r) => /Ben Carter/.test(r)));
  assert.equal(await frame.locator('[data-testid="patient-name"]').innerText(), 'Ana Silva');

  // Trend charts of every vital sign Ana has (uPlot canvases), the latest values, the ECG.
  await frame.locator('[data-testid="chart"][data-vital="hr"] canvas').first().waitFor({ timeout: 30_000 });
  for (const v of ['hr', 'spo2', 'rr', 'temp', 'sys', 'dia']) {
    assert.equal(await frame.locator(`[data-testid="chart"][data-vital="${v}"] canvas`).count() > 0, true, `chart of ${v}`);
  }
  await frame.locator('#points').filter({ hasText: 'readings' }).waitFor({ timeout: 30_000 });
  const points = Number((await frame.locator('#points').innerText()).match(/(\d+) readings/)[1]);
  assert.ok(points >= 3600 + 2 * 360, `6 h of readings incl. an hour at 1 Hz, got ${points}`);
  assert.match(await frame.locator('[data-vital="hr"].tile').innerText(), new RegExp(`${ANA_HR - 3}|${ANA_HR - 2}|${ANA_HR - 1}|${ANA_HR}|${ANA_HR + 1}|${ANA_HR + 2}|${ANA_HR + 3}`));
  // The ECG viewer: an hour of strips on a track at 25 mm/s, drawn and fetched per visible window,
  // with the monitor's beat annotations (AAMI class at each R peak) and the AF episode shaded.
  await frame.locator('#ecg-info').filter({ hasText: 'lead II' }).waitFor({ timeout: 30_000 });
  await frame.locator('#ecg[data-loading="0"][data-af="1"]').waitFor({ timeout: 30_000 });
  const track = await frame.locator('#ecg-track').evaluate((t) => t.getBoundingClientRect().width);
  // 3,600 s at 25 mm/s = 90,000 mm = 340,157 CSS px at 96 dpi.
  assert.ok(Math.abs(track - (3600 * 25 * 96) / 25.4) < 40, `an hour of ECG at 25 mm/s, track ${track}`);
  const ecg = await frame.locator('#ecg').evaluate((c) => ({ ...c.dataset, width: c.getBoundingClientRect().width, box: c.parentElement.parentElement.clientWidth }));
  assert.ok(Math.abs(ecg.width - ecg.box) <= 2, `the canvas is as wide as the view (${ecg.width} vs ${ecg.box}), not the hour`);
  console.log(`# ECG view of an hour: ${await frame.locator('body').getAttribute('data-ecg-ms')} ms to the first complete window, ${ecg.chunks} minutes fetched`);
  assert.ok(Number(ecg.chunks) <= 4, `only the minutes around the view were fetched: ${ecg.chunks}`);
  assert.ok(Number(ecg.to) > seeded.ecgEndMs - 2000, 'the view starts at the newest ECG');
  const inView = JSON.parse(ecg.classes);
  assert.ok(Number(ecg.beats) >= 5 && inView.N >= 5, `beats labelled in view: ${ecg.classes}`);
  assert.match(await frame.locator('#ecg-info').innerText(), /AF in view/);
  const legendText = await frame.locator('[data-testid="ecg-legend"]').innerText();
  for (const k of ['normal (N)', 'supraventricular ectopic (S)', 'ventricular ectopic (V)', 'fusion (F)', 'unclassifiable (Q)', 'atrial fibrillation', 'not a diagnosis']) {
    assert.ok(legendText.includes(k), `legend has ${k}: ${legendText}`);
  }
  // Pixels: the AF shading is on the canvas, not only in the counts.
  const colours = await frame.locator('#ecg').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let af = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 240 && d[i + 1] > 215 && d[i + 1] < 235 && d[i + 2] > 190 && d[i + 2] < 210) af++; // shading over paper
    return { af };
  });
  assert.ok(colours.af > 1000, `AF shading drawn: ${JSON.stringify(colours)}`);
  await frame.locator('[data-testid="ecg"]').screenshot({ path: join(SHOTS, '02b-doctor-ecg-af.png') });
  // Back in time by 20 min: that window is fetched and drawn with its ventricular ectopic beats;
  // the not-analysable strip says why.
  const pxPerMs = (25 * 96) / 25.4 / 1000;
  const scrollTo = (t) => frame.locator('#ecg-scroll').evaluate((b, x) => { b.scrollLeft = x; }, Math.round((t - Number(ecg.origin)) * pxPerMs));
  await scrollTo(seeded.ecgEndMs - 20 * 60e3);
  await frame.locator('#ecg[data-loading="0"][data-af="0"]').waitFor({ timeout: 30_000 });
  const back = await frame.locator('#ecg').evaluate((c) => ({ ...c.dataset }));
  assert.ok(Math.abs(Number(back.from) - (seeded.ecgEndMs - 20 * 60e3)) < 1000, `the view moved back 20 min: ${back.to}`);
  assert.ok(JSON.parse(back.classes).V >= 1, `V beats labelled: ${back.classes}`);
  const red = await frame.locator('#ecg').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 150 && d[i + 1] < 90 && d[i + 2] < 90) n++;
    return n;
  });
  assert.ok(red > 20, `the V labels are drawn in their class colour: ${red} red pixels`);
  assert.ok(Number(back.chunks) <= 8, `fetched per window: ${back.chunks} minutes so far`);
  await frame.locator('[data-testid="ecg"]').screenshot({ path: join(SHOTS, '02c-doctor-ecg-beats.png') });
  await scrollTo(seeded.ecgEndMs - 300e3 - 2000);
  await frame.locator('#ecg[data-loading="0"][data-absent="1"]').waitFor({ timeout: 30_000 });
  assert.match(await frame.locator('#ecg-info').innerText(), /not analysable/);
  await frame.locator('[data-testid="ecg"]').screenshot({ path: join(SHOTS, '02d-doctor-ecg-not-analysable.png') });

  // CDS cards from the vitals-ai service, in the app and beside it in the launcher.
  await frame.locator('[data-testid="cds-card"]').first().waitFor({ timeout: 60_000 });
  const cards = await frame.locator('[data-testid="cds-card"]').allInnerTexts();
  assert.ok(cards.some((c) => /NEWS2/i.test(c)), `a NEWS2 card among: ${cards.join(' | ')}`);
  await page.locator('[data-testid="launcher-cards"] [data-testid="cds-card"]').first().waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(SHOTS, '01-launcher-doctor-app.png'), fullPage: false });
  await page.locator('#app-frame').screenshot({ path: join(SHOTS, '02-doctor-app.png') });

  // Acknowledge the alert: a FHIR update that the CDS monitor reads.
  const alertBox = frame.locator('[data-testid="alert"]').first();
  await alertBox.locator('[data-testid="ack"]').click();
  await frame.locator('[data-testid="alert"]').filter({ hasText: 'Acknowledged' }).first().waitFor({ timeout: 20_000 });
  const stored = await fhir.get(`DetectedIssue/${seeded.alertId}`);
  const ack = (stored.mitigation || []).find((m) => m.action.coding.some((c) => c.code === 'acknowledged'));
  assert.ok(ack, 'the DetectedIssue has an acknowledgement');
  assert.equal(ack.author.reference, 'Practitioner/vitals-demo-dr-okafor');
  await frame.locator('#ward tr').first().filter({ hasNotText: 'open' }).waitFor({ timeout: 10_000 });

  // Live: a new reading arrives through the websocket subscription.
  await frame.locator('body[data-live="bound"]').waitFor({ timeout: 30_000 });
  await fhir.post('Observation', liveReading());
  await frame.locator('[data-vital="hr"].tile').filter({ hasText: `${LIVE_HR} /min` }).waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(SHOTS, '03-doctor-app-acknowledged-live.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("the patient's standalone launch shows only their own data, on a phone-sized screen", async () => {
  const ctx = await context({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = ctx.pages()[0] || (await ctx.newPage());
  const authorize = [];
  page.on('request', (r) => r.url().includes('/oauth2/authorize') && authorize.push(new URL(r.url())));

  await page.goto(`${BASE}/apps/patient/`);
  await page.waitForURL(/\/login/, { timeout: 30_000 });
  await page.screenshot({ path: join(SHOTS, '04-patient-sign-in.png') });
  await page.fill('input[name="username"]', 'ben.carter');
  await page.fill('input[name="password"]', 'demo');
  await page.click('button[type="submit"]');
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  assert.equal(authorize[0].searchParams.get('code_challenge_method'), 'S256');
  assert.equal(authorize[0].searchParams.get('launch'), null, 'standalone: no launch parameter');

  assert.equal(await page.locator('[data-testid="who"]').innerText(), 'Ben Carter');
  assert.match(await page.locator('[data-vital="hr"].tile').innerText(), new RegExp(`${BEN_HR} /min`));
  assert.match(await page.locator('[data-vital="hr"].tile').innerText(), /usual range/);
  assert.equal(await page.locator('[data-testid="bp-category"]').innerText(), 'Hypertension stage 1');
  assert.match(await page.locator('[data-testid="tir-in-range"]').innerText(), /% of 288 readings were in range/);
  assert.ok((await page.locator('[data-testid="chart"] canvas').count()) >= 4);
  const rec = await page.locator('[data-testid="recommendation"]').first().innerText();
  assert.match(rec, /Blood pressure above target/);
  assert.match(rec, /Source: 2017 ACC\/AHA/);
  const devices = await page.locator('[data-testid="device"]').allInnerTexts();
  assert.ok(devices.some((d) => /Home BP cuff/.test(d) && /sending/.test(d)), devices.join(' | '));

  // Nothing of Ana's on the page, and the app's own token cannot read her data.
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /Ana Silva/);
  assert.doesNotMatch(text, new RegExp(`\\b${ANA_HR} /min`));
  const probe = await page.evaluate(async ([base, ana]) => {
    const key = JSON.parse(sessionStorage.getItem('SMART_KEY'));
    const token = JSON.parse(sessionStorage.getItem(key)).tokenResponse.access_token;
    const h = { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' };
    const read = await fetch(`${base}/fhir/Patient/${ana}`, { headers: h });
    const search = await fetch(`${base}/fhir/Observation?patient=${ana}&_count=5`, { headers: h });
    const body = search.ok ? await search.json() : null;
    return { read: read.status, search: search.status, leaked: (body?.entry || []).filter((e) => e.resource?.resourceType === 'Observation').length };
  }, [BASE, ANA]);
  assert.equal(probe.read, 403, "reading another patient's record is refused");
  assert.ok(probe.search === 403 || probe.leaked === 0, `no Observation of another patient: ${JSON.stringify(probe)}`);
  await page.screenshot({ path: join(SHOTS, '05-patient-app-phone.png'), fullPage: true });
  await ctx.close();
});

test('the apps are served where the registered redirect URIs point', async () => {
  for (const path of ['/apps/doctor/', '/apps/patient/', '/apps/launcher/']) {
    const res = await fetch(`${BASE}${path}`);
    assert.equal(res.status, 200, path);
    assert.match(await res.text(), /<script type="module"/);
  }
  const redirect = await fetch(`${BASE}/apps/doctor?iss=x&launch=y`, { redirect: 'manual' });
  assert.equal(redirect.status, 302);
  assert.match(redirect.headers.get('location'), /\/apps\/doctor\/\?iss=x&launch=y$/);
  void BEN;
});
