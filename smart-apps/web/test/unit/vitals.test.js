// Unit tests of the pure calculations the apps show (node --test).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeStrip, stripAnnotations } from '../../src/shared/ecg.js';
import {
  AGGREGATION, VITALS, acknowledged, alertState, bpCategory, isSummary, mergeColumns, news2Of, readingsCovered, series,
  summaryEndMs, timeInRange, wardOrder, withAcknowledgement,
} from '../../src/shared/vitals.js';

test('BP category follows the ACC/AHA 2017 thresholds at their edges', () => {
  assert.equal(bpCategory(119, 79).code, 'normal');
  assert.equal(bpCategory(120, 79).code, 'elevated');
  assert.equal(bpCategory(129, 79).code, 'elevated');
  assert.equal(bpCategory(130, 70).code, 'stage1');
  assert.equal(bpCategory(118, 80).code, 'stage1');
  assert.equal(bpCategory(139, 89).code, 'stage1');
  assert.equal(bpCategory(140, 70).code, 'stage2');
  assert.equal(bpCategory(125, 90).code, 'stage2');
  assert.equal(bpCategory(181, 100).code, 'crisis');
  assert.equal(bpCategory(150, 121).code, 'crisis');
});

test('time in range splits readings at 54, 70, 180 and 250 mg/dL', () => {
  const t = timeInRange([50, 60, 70, 100, 180, 181, 250, 251, 300, 120]);
  assert.deepEqual(
    { veryLow: t.veryLow, low: t.low, inRange: t.inRange, high: t.high, veryHigh: t.veryHigh, readings: t.readings },
    { veryLow: 10, low: 10, inRange: 40, high: 20, veryHigh: 20, readings: 10 },
  );
  assert.equal(timeInRange([]), null);
});

test('series keeps its own vital, sorts by time, reads BP components and leaves out readings without a value', () => {
  const sys = VITALS.find((v) => v.key === 'sys');
  const bp = (t, s, d) => ({
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
    effectiveDateTime: t,
    component: [
      { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: s } },
      { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: d } },
    ],
  });
  const absent = { code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] }, effectiveDateTime: '2026-11-27T10:02:00Z', component: [{ code: { coding: [{ code: '8480-6' }] }, dataAbsentReason: {} }] };
  const glucose = { code: { coding: [{ system: 'http://loinc.org', code: '2339-0' }] }, effectiveDateTime: '2026-11-27T10:01:00Z', valueQuantity: { value: 140 } };
  const [x, y] = series(sys, [bp('2026-11-27T10:05:00Z', 150, 95), absent, glucose, bp('2026-11-27T10:00:00Z', 120, 80)]);
  assert.deepEqual(y, [120, 150]);
  assert.equal(x[1] - x[0], 300);
});

test('ward order puts the highest NEWS2 first, then open alerts, then name; no score last', () => {
  const rows = [
    { name: 'B', news2: 3, alerts: 0 },
    { name: 'C', news2: null, alerts: 1 },
    { name: 'A', news2: 7, alerts: 1 },
    { name: 'D', news2: 3, alerts: 1 },
  ];
  assert.deepEqual(rows.sort(wardOrder).map((r) => r.name), ['A', 'D', 'B', 'C']);
});

test('alerts: state tag, NEWS2 extension and acknowledgement as the CDS monitor reads it', () => {
  const issue = {
    resourceType: 'DetectedIssue',
    meta: { tag: [{ system: 'https://vitals.example.org/fhir/CodeSystem/alert-state', code: 'escalated' }] },
    extension: [{ url: 'https://vitals.example.org/fhir/StructureDefinition/news2-score', valueInteger: 8 }],
  };
  assert.equal(alertState(issue), 'escalated');
  assert.equal(news2Of(issue), 8);
  assert.equal(acknowledged(issue), false);
  const acked = withAcknowledgement(issue, 'Practitioner/p1', new Date('2026-11-27T10:00:00Z'));
  assert.equal(acknowledged(acked), true);
  assert.equal(acked.mitigation[0].author.reference, 'Practitioner/p1');
  assert.equal(issue.mitigation, undefined, 'the original is not changed');
});

test('an ECG strip decodes to millivolts (origin + factor x sample), lead II preferred, gaps as NaN', () => {
  const sd = (data) => ({ origin: { value: 0.1 }, period: 4, factor: 0.005, dimensions: 1, data });
  const o = {
    effectiveDateTime: '2026-11-27T10:00:00Z',
    component: [
      { code: { coding: [{ system: 'urn:iso:std:iso:11073:10101', code: '131329' }] }, valueSampledData: sd('0 0 0') },
      { code: { coding: [{ system: 'urn:iso:std:iso:11073:10101', code: '131330' }] }, valueSampledData: sd('200 -20 E') },
    ],
    interpretation: [{ coding: [{ display: 'Atrial fibrillation' }] }],
  };
  const s = decodeStrip(o);
  assert.equal(s.lead, '131330');
  assert.equal(s.periodMs, 4);
  assert.ok(Math.abs(s.mv[0] - 1.1) < 1e-6);
  assert.ok(Math.abs(s.mv[1] - 0.0) < 1e-6);
  assert.ok(Number.isNaN(s.mv[2]));
  assert.deepEqual(stripAnnotations(o).map((a) => a.kind), ['af']);
});

test('chunks of a series merge in time order whichever window arrives first', () => {
  const late = [[10, 11, 12], [1, 1, 1]];
  const early = [[1, 2, 11.5], [0, 0, 9]];
  assert.deepEqual(mergeColumns(late, early), [[1, 2, 10, 11, 11.5, 12], [0, 0, 1, 1, 9, 1]]);
  assert.deepEqual(mergeColumns(early, [[20], [5]]), [[1, 2, 11.5, 20], [0, 0, 9, 5]]);
  assert.deepEqual(mergeColumns([[], []], late), late);
});

// The gateway's minute summary shape (decision 0803).
const minute = (start, median, min, max, count) => ({
  resourceType: 'Observation',
  meta: { tag: [{ system: AGGREGATION, code: 'minute' }] },
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  effectivePeriod: { start, end: new Date(Date.parse(start) + 60e3).toISOString() },
  valueQuantity: { value: median },
  component: [
    { code: { coding: [{ system: AGGREGATION, code: 'minimum' }] }, valueQuantity: { value: min } },
    { code: { coding: [{ system: AGGREGATION, code: 'maximum' }] }, valueQuantity: { value: max } },
    { code: { coding: [{ system: AGGREGATION, code: 'count' }] }, valueInteger: count },
  ],
});

test('a minute summary is drawn at the middle of its minute with its median and min-max band; readings have no band', () => {
  const hr = VITALS.find((v) => v.key === 'hr');
  const reading = { code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, effectiveDateTime: '2026-11-27T10:01:10Z', valueQuantity: { value: 77 } };
  const [x, y, lo, hi] = series(hr, [reading, minute('2026-11-27T10:00:00Z', 72, 65, 90, 60)]);
  assert.deepEqual(x, [Date.parse('2026-11-27T10:00:30Z') / 1000, Date.parse('2026-11-27T10:01:10Z') / 1000]);
  assert.deepEqual(y, [72, 77]);
  assert.deepEqual(lo, [65, null]);
  assert.deepEqual(hi, [90, null]);
  assert.equal(isSummary(reading), false);
  // Known without its tag too (e.g. when _elements trims meta away).
  const untagged = minute('2026-11-27T10:00:00Z', 72, 65, 90, 60);
  delete untagged.meta;
  assert.equal(isSummary(untagged), true);
  assert.equal(summaryEndMs(untagged), Date.parse('2026-11-27T10:01:00Z'));
  assert.equal(readingsCovered([reading, minute('2026-11-27T10:00:00Z', 72, 65, 90, 60), minute('2026-11-27T10:02:00Z', 70, 69, 71, 58)]), 119);
});

test('merging keeps the band columns beside their times', () => {
  const a = [[10, 20], [1, 2], [0, null], [3, null]];
  const b = [[15], [5], [4], [6]];
  assert.deepEqual(mergeColumns(a, b), [[10, 15, 20], [1, 5, 2], [0, 4, null], [3, 6, null]]);
  assert.deepEqual(mergeColumns(a, [[], [], [], []]), a);
});
