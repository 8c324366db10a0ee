// Vital signs the apps chart, with their codes and reference ranges, and the pure calculations
// the screens show (BP category, glucose time in range, NEWS2 of a RiskAssessment). No DOM here:
// test/unit runs these in Node.

export const LOINC = 'http://loinc.org';
export const MDC = 'urn:iso:std:iso:11073:10101';
export const VITALS_CS = 'https://vitals.example.org/fhir/CodeSystem/';
export const ALERT_STATE = VITALS_CS + 'alert-state';
export const ALERT_ACTION = VITALS_CS + 'alert-action';
export const EXT_NEWS2 = 'https://vitals.example.org/fhir/StructureDefinition/news2-score';
export const EXT_LEVEL = 'https://vitals.example.org/fhir/StructureDefinition/alert-escalation-level';
// Minute summaries the gateway writes (one per device, metric and UTC minute): effectivePeriod =
// the minute, valueQuantity = median, components minimum/maximum (valueQuantity) and count
// (valueInteger) coded in this system, meta.tag AGGREGATION|minute (decision 0803).
export const AGGREGATION = 'https://vitals.example.org/fhir/CodeSystem/aggregation';
export const MINUTE_SUMMARY_TAG = `${AGGREGATION}|minute`;

// Reference ranges: the NEWS2 zero-score band of each parameter (Royal College of Physicians,
// National Early Warning Score 2, 2017, chart 1; SpO2 scale 1), diastolic < 80 mmHg (ACC/AHA 2017
// "normal"), glucose 70-180 mg/dL (International Consensus on Time in Range, Battelino et al.,
// Diabetes Care 2019;42:1593).
export const VITALS = [
  { key: 'hr', label: 'Heart rate', plain: 'Heart rate', unit: '/min', codes: [[LOINC, '8867-4']], low: 51, high: 90, source: 'NEWS2 (RCP 2017)' },
  { key: 'spo2', label: 'SpO₂', plain: 'Blood oxygen', unit: '%', codes: [[LOINC, '2708-6'], [LOINC, '59408-5']], low: 96, high: 100, source: 'NEWS2 scale 1 (RCP 2017)' },
  { key: 'rr', label: 'Respiratory rate', plain: 'Breathing rate', unit: '/min', codes: [[LOINC, '9279-1']], low: 12, high: 20, source: 'NEWS2 (RCP 2017)' },
  { key: 'temp', label: 'Temperature', plain: 'Temperature', unit: '°C', codes: [[LOINC, '8310-5']], low: 36.1, high: 38.0, source: 'NEWS2 (RCP 2017)' },
  { key: 'sys', label: 'Systolic BP', plain: 'Blood pressure (upper)', unit: 'mmHg', codes: [[LOINC, '85354-9']], component: '8480-6', low: 111, high: 219, source: 'NEWS2 (RCP 2017)' },
  { key: 'dia', label: 'Diastolic BP', plain: 'Blood pressure (lower)', unit: 'mmHg', codes: [[LOINC, '85354-9']], component: '8462-4', low: 60, high: 79, source: 'ACC/AHA 2017' },
  { key: 'glucose', label: 'Glucose', plain: 'Blood sugar', unit: 'mg/dL', codes: [[LOINC, '2339-0'], [LOINC, '41653-7'], [LOINC, '99504-3']], low: 70, high: 180, source: 'Time in Range consensus (Battelino 2019)' },
];

/** The `code` search value of a vital (comma-joined system|code). */
export function codeParam(vital) {
  return vital.codes.map(([s, c]) => `${s}|${c}`).join(',');
}

/** Epoch ms of an Observation's effective time (dateTime, instant or period start). */
export function effectiveMs(o) {
  const t = o.effectiveDateTime || o.effectiveInstant || o.effectivePeriod?.start || o.issued;
  return t ? Date.parse(t) : NaN;
}

/** Whether an Observation is coded as this vital (a search may return several vitals at once). */
export function isVital(vital, o) {
  const codings = o.code?.coding || [];
  return vital.codes.some(([s, c]) => codings.some((k) => k.system === s && k.code === c));
}

/** The number a vital takes from an Observation (a component for blood pressure), or null. */
export function valueOf(vital, o) {
  if (vital.component) {
    const c = (o.component || []).find((x) => (x.code?.coding || []).some((k) => k.code === vital.component));
    return typeof c?.valueQuantity?.value === 'number' ? c.valueQuantity.value : null;
  }
  const v = o.valueQuantity?.value;
  return typeof v === 'number' ? v : null;
}

/** Whether an Observation is a minute summary (by its tag, or by its summary components). */
export function isSummary(o) {
  if ((o?.meta?.tag || []).some((t) => t.system === AGGREGATION && t.code === 'minute')) return true;
  return Boolean(o?.effectivePeriod) && (o.component || []).some((c) => (c.code?.coding || []).some((k) => k.system === AGGREGATION));
}

function summaryPart(o, code) {
  const c = (o.component || []).find((x) => (x.code?.coding || []).some((k) => k.system === AGGREGATION && k.code === code));
  if (!c) return null;
  const v = code === 'count' ? c.valueInteger : c.valueQuantity?.value;
  return typeof v === 'number' ? v : null;
}

/** The minimum, maximum and reading count of a minute summary (null where it has none). */
export function summaryRange(o) {
  return { min: summaryPart(o, 'minimum'), max: summaryPart(o, 'maximum'), count: summaryPart(o, 'count') };
}

/** Epoch ms of the end of a summary's minute (period end, else start + 60 s). */
export function summaryEndMs(o) {
  const p = o.effectivePeriod || {};
  if (p.end) return Date.parse(p.end);
  return p.start ? Date.parse(p.start) + 60e3 : NaN;
}

/** How many readings a list of Observations stands for: a summary's count, 1 for a reading. */
export function readingsCovered(observations) {
  let n = 0;
  for (const o of observations) n += isSummary(o) ? summaryRange(o).count ?? 1 : 1;
  return n;
}

/**
 * Columns for uPlot ([seconds[], values[], minimum[], maximum[]]) from Observations in any
 * order: sorted by time, readings without a value (dataAbsentReason) left out. A minute summary
 * is drawn at the middle of its minute with its median and its min-max band; a single reading
 * has no band (null minimum and maximum).
 */
export function series(vital, observations) {
  const pts = [];
  for (const o of observations) {
    if (!isVital(vital, o)) continue;
    const v = valueOf(vital, o);
    if (v === null) continue;
    if (isSummary(o)) {
      const start = Date.parse(o.effectivePeriod?.start);
      const end = summaryEndMs(o);
      const { min, max } = summaryRange(o);
      if (Number.isFinite(start)) pts.push([(start + (end - start) / 2) / 1000, v, min, max]);
    } else {
      const t = effectiveMs(o);
      if (Number.isFinite(t)) pts.push([t / 1000, v, null, null]);
    }
  }
  pts.sort((a, b) => a[0] - b[0]);
  return [0, 1, 2, 3].map((k) => pts.map((p) => p[k]));
}

/** Merges two time-sorted column lists into one (a chunk is one time window: usually appended). */
export function mergeColumns(a, b) {
  const [xa] = a;
  const [xb] = b;
  if (!xb.length) return a;
  if (!xa.length || xb[0] >= xa[xa.length - 1]) return a.map((col, k) => col.concat(b[k]));
  const out = a.map(() => []);
  let i = 0;
  let j = 0;
  while (i < xa.length || j < xb.length) {
    if (j >= xb.length || (i < xa.length && xa[i] <= xb[j])) {
      a.forEach((col, k) => out[k].push(col[i]));
      i++;
    } else {
      b.forEach((col, k) => out[k].push(col[j]));
      j++;
    }
  }
  return out;
}

/** Whether a value is outside the vital's reference range. */
export function outOfRange(vital, v) {
  return v < vital.low || v > vital.high;
}

/**
 * Blood pressure category of the 2017 ACC/AHA guideline (Whelton et al., Hypertension
 * 2018;71:e13, table 6), with the crisis threshold (> 180 and/or > 120) of the same guideline.
 */
export function bpCategory(systolic, diastolic) {
  if (systolic > 180 || diastolic > 120) return { code: 'crisis', label: 'Hypertensive crisis', plain: 'Very high: seek care now if you feel unwell' };
  if (systolic >= 140 || diastolic >= 90) return { code: 'stage2', label: 'Hypertension stage 2', plain: 'High blood pressure (stage 2)' };
  if (systolic >= 130 || diastolic >= 80) return { code: 'stage1', label: 'Hypertension stage 1', plain: 'High blood pressure (stage 1)' };
  if (systolic >= 120) return { code: 'elevated', label: 'Elevated', plain: 'A little higher than normal' };
  return { code: 'normal', label: 'Normal', plain: 'Normal' };
}

/**
 * Glucose time in ranges (International Consensus on Time in Range, Battelino et al., Diabetes
 * Care 2019): < 54, 54-69, 70-180, 181-250, > 250 mg/dL, as percentages of readings. Readings
 * are taken to be evenly spaced (CGM); null when there are none.
 */
export function timeInRange(values) {
  if (!values.length) return null;
  const n = { veryLow: 0, low: 0, inRange: 0, high: 0, veryHigh: 0 };
  for (const v of values) {
    if (v < 54) n.veryLow++;
    else if (v < 70) n.low++;
    else if (v <= 180) n.inRange++;
    else if (v <= 250) n.high++;
    else n.veryHigh++;
  }
  const pct = {};
  for (const k of Object.keys(n)) pct[k] = Math.round((1000 * n[k]) / values.length) / 10;
  return { ...pct, readings: values.length };
}

/** The NEWS2 score of a RiskAssessment written by the CDS monitor (extension), or null. */
export function news2Of(risk) {
  const e = (risk?.extension || []).find((x) => x.url === EXT_NEWS2);
  return typeof e?.valueInteger === 'number' ? e.valueInteger : null;
}

/** The lifecycle state tag of a monitor alert (raised, escalated, acknowledged, resolved). */
export function alertState(issue) {
  const t = (issue?.meta?.tag || []).find((x) => x.system === ALERT_STATE);
  return t?.code || (issue?.status === 'final' ? 'resolved' : 'raised');
}

/** Whether a clinician has already acknowledged the alert (a mitigation with action acknowledged). */
export function acknowledged(issue) {
  return (issue?.mitigation || []).some((m) => (m.action?.coding || []).some((c) => c.system === ALERT_ACTION && c.code === 'acknowledged'));
}

/** A copy of the alert with an acknowledgement by the practitioner, as the monitor expects it. */
export function withAcknowledgement(issue, practitioner, at = new Date()) {
  const copy = structuredClone(issue);
  copy.mitigation = copy.mitigation || [];
  const m = {
    action: { coding: [{ system: ALERT_ACTION, code: 'acknowledged', display: 'Alert acknowledged' }] },
    date: at.toISOString(),
  };
  if (practitioner) m.author = { reference: practitioner };
  copy.mitigation.push(m);
  return copy;
}

/**
 * Ward order: highest NEWS2 first, then open alerts, then name. Each row is
 * {news2: number|null, alerts: number, name: string}.
 */
export function wardOrder(a, b) {
  const sa = a.news2 ?? -1;
  const sb = b.news2 ?? -1;
  if (sa !== sb) return sb - sa;
  if (a.alerts !== b.alerts) return b.alerts - a.alerts;
  return a.name.localeCompare(b.name);
}

/** NEWS2 clinical risk band (RCP 2017: 0-4 low, 3 in one parameter low-medium, 5-6 medium, 7+ high). */
export function news2Band(score) {
  if (score === null || score === undefined) return { code: 'none', label: 'no score' };
  if (score >= 7) return { code: 'high', label: 'high' };
  if (score >= 5) return { code: 'medium', label: 'medium' };
  return { code: 'low', label: 'low' };
}

/** A person's display name from a FHIR HumanName list. */
export function displayName(resource) {
  const n = (resource?.name || [])[0];
  if (!n) return resource?.id || '?';
  if (n.text) return n.text;
  return [...(n.given || []), n.family].filter(Boolean).join(' ');
}

/** "5 min ago" style age of a time, for device status and latest readings. */
export function age(ms, now = Date.now()) {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}
