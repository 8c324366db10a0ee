// The doctor app's reading of the ECG annotations the CDS monitor writes (decision 0712).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AAMI, BEAT_CLASSES, decodeAfEpisode, decodeAnalysis } from '../../src/shared/ecg.js';

const start = '2026-01-08T19:07:40.000Z';
const t0 = Date.parse(start);
const beat = (cls, ms) => ({
  code: { coding: [{ system: AAMI, code: cls }, { system: 'urn:iso:std:iso:11073:10101', code: '663696' }] },
  valueQuantity: { value: ms, unit: 'ms', system: 'http://unitsofmeasure.org', code: 'ms' },
});

test('a strip annotation gives each beat its class at the R peak, AF and unusable spans', () => {
  const a = decodeAnalysis({
    resourceType: 'Observation',
    id: 'a1',
    effectivePeriod: { start, end: '2026-01-08T19:07:50.000Z' },
    component: [
      { code: { coding: [{ system: 'urn:iso:std:iso:11073:10101', code: '147842' }] }, valueQuantity: { value: 72, code: '/min' } },
      beat('N', 312.5),
      beat('V', 1020),
      { code: { coding: [{ system: 'http://snomed.info/sct', code: '49436004' }] }, valueRange: { low: { value: 4000 }, high: { value: 10000 } } },
      { code: { coding: [{ system: 'urn:iso:std:iso:11073:10101', code: '666592' }], text: 'flat line' }, valueRange: { low: { value: 100 }, high: { value: 900 } } },
    ],
  });
  assert.deepEqual(a.beats, [{ atMs: t0 + 312.5, cls: 'N' }, { atMs: t0 + 1020, cls: 'V' }]);
  assert.deepEqual(a.af, [{ atMs: t0 + 4000, endMs: t0 + 10000 }]);
  assert.deepEqual(a.unusable, [{ atMs: t0 + 100, endMs: t0 + 900, reason: 'flat line' }]);
  assert.equal(a.absent, null);
  assert.equal(a.end - a.start, 10000);
});

test('a strip that could not be analysed says why and has no beats', () => {
  const a = decodeAnalysis({
    resourceType: 'Observation',
    effectivePeriod: { start },
    dataAbsentReason: { coding: [{ code: 'error' }], text: 'Not analysed: no sample of the strip has a value' },
  });
  assert.equal(a.absent, 'Not analysed: no sample of the strip has a value');
  assert.deepEqual(a.beats, []);
});

test('an AF episode is a span; preliminary means ongoing; other rhythms are not AF', () => {
  const ep = (status, code) => ({
    resourceType: 'Observation',
    status,
    code: { coding: [{ system: 'http://loinc.org', code: '8884-9' }] },
    valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code }] },
    effectivePeriod: { start, end: '2026-01-08T19:09:40.000Z' },
  });
  assert.deepEqual(decodeAfEpisode(ep('preliminary', '49436004')), { id: undefined, atMs: t0, endMs: t0 + 120000, ongoing: true });
  assert.equal(decodeAfEpisode(ep('final', '49436004')).ongoing, false);
  assert.equal(decodeAfEpisode(ep('final', '5370000')), null);
});

test('every AAMI class has its own colour', () => {
  const colours = Object.values(BEAT_CLASSES).map((c) => c.colour);
  assert.deepEqual(Object.keys(BEAT_CLASSES), ['N', 'S', 'V', 'F', 'Q']);
  assert.equal(new Set(colours).size, 5);
});
