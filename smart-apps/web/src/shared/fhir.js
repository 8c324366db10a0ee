// FHIR reads the apps share, through fhirclient.js (the SMART client holds the token and the
// FHIR base). Large series are read in time windows in parallel, each with _count=1000 (the
// server's largest page) and _elements trimmed to what the charts need, then paged. Long
// windows read the gateway's minute summaries and only the newest, not yet summarised minutes
// as single readings (decision 0803).

import { MINUTE_SUMMARY_TAG, VITALS, codeParam, effectiveMs, isSummary, isVital, summaryEndMs, valueOf } from './vitals.js';

const PAGE = 1000;
/** Search parameter that leaves the minute summaries out (single readings only). */
export const READINGS_ONLY = `_tag:not=${encodeURIComponent(MINUTE_SUMMARY_TAG)}`;
/** Windows longer than this are charted from minute summaries. */
export const SUMMARIES_FROM_MS = 2 * 3600e3;

/** Every resource of a search (all pages). */
export async function searchAll(client, url) {
  const out = await client.request(url, { pageLimit: 0, flat: true });
  return (out || []).filter((r) => r && r.resourceType && r.resourceType !== 'OperationOutcome');
}

/** The resources of one page only. */
export async function searchPage(client, url) {
  const b = await client.request(url);
  return (b.entry || []).map((e) => e.resource).filter(Boolean);
}

/** Runs async tasks with at most `limit` at once. */
export async function pool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * Observations of the given vitals of a patient since `sinceMs`, read in `windows` parallel time
 * slices. `onChunk(observations)` sees each slice as it arrives (charts draw progressively).
 */
export async function vitalObservations(client, patientId, vitals, sinceMs, { windows = 6, untilMs = Date.now(), summaries = false, onChunk } = {}) {
  const codes = [...new Set(vitals.map(codeParam))].join(',');
  const span = (untilMs - sinceMs) / windows;
  const tasks = [];
  for (let i = 0; i < windows; i++) {
    const from = new Date(sinceMs + i * span).toISOString();
    const to = new Date(i === windows - 1 ? untilMs + 60_000 : sinceMs + (i + 1) * span).toISOString();
    const url =
      `Observation?patient=${encodeURIComponent(patientId)}&code=${encodeURIComponent(codes)}` +
      `&date=ge${encodeURIComponent(from)}&date=lt${encodeURIComponent(to)}` +
      `&${summaries ? `_tag=${encodeURIComponent(MINUTE_SUMMARY_TAG)}` : READINGS_ONLY}` +
      `&_count=${PAGE}&_elements=code,effective,value,component,status`;
    tasks.push(async () => {
      const obs = await searchAll(client, url);
      if (onChunk) onChunk(obs, vitals);
      return obs;
    });
  }
  return (await pool(tasks, 4)).flat();
}

/**
 * What the trend charts draw for the last `rangeMs`: for long windows (> SUMMARIES_FROM_MS) the
 * minute summaries, then for each vital the single readings after its newest summarised minute
 * (all of them for a vital that has no summaries); for short windows single readings only.
 * Summaries never come with single readings of the same minutes, so nothing is counted twice.
 * `onChunk(observations, vital)` sees each part as it arrives; the result maps each vital to its
 * Observations.
 */
export async function trendObservations(client, patientId, vitals, sinceMs, { untilMs = Date.now(), onChunk } = {}) {
  const from = new Map(vitals.map((v) => [v, sinceMs]));
  const result = new Map(vitals.map((v) => [v, []]));
  const deliver = (obs, vs, keep) => {
    for (const v of vs) {
      const mine = obs.filter((o) => isVital(v, o) && keep(v, o));
      if (!mine.length) continue;
      result.get(v).push(...mine);
      if (onChunk) onChunk(mine, v);
    }
  };
  if (untilMs - sinceMs > SUMMARIES_FROM_MS) {
    const windows = Math.max(1, Math.round((untilMs - sinceMs) / (3 * 3600e3)));
    // A minute that straddles two slices matches both searches: each summary is kept once.
    const seen = new Set();
    const once = (obs) => obs.filter((o) => !o.id || (!seen.has(o.id) && seen.add(o.id)));
    const found = await vitalObservations(client, patientId, vitals, sinceMs, {
      windows, untilMs, summaries: true, onChunk: (obs, vs) => deliver(once(obs), vs, (v, o) => isSummary(o) && valueOf(v, o) !== null),
    });
    for (const o of found) {
      if (!isSummary(o)) continue;
      const end = summaryEndMs(o);
      for (const v of vitals) if (isVital(v, o) && valueOf(v, o) !== null && end > from.get(v)) from.set(v, end);
    }
  }
  // One raw read per code (systolic and diastolic share one), from the earliest start any of its
  // vitals needs; each vital keeps only the readings after its own newest summary.
  const groups = new Map();
  for (const v of vitals) {
    const g = groups.get(codeParam(v)) || { start: Infinity, vitals: [] };
    g.start = Math.min(g.start, from.get(v));
    g.vitals.push(v);
    groups.set(codeParam(v), g);
  }
  const byStart = new Map();
  for (const g of groups.values()) byStart.set(g.start, (byStart.get(g.start) || []).concat(g.vitals));
  await Promise.all(
    [...byStart].map(([start, vs]) => {
      const windows = Math.min(24, Math.max(1, Math.round((untilMs - start) / 3600e3)));
      return vitalObservations(client, patientId, vs, start, {
        windows, untilMs, onChunk: (obs) => deliver(obs, vs, (v, o) => effectiveMs(o) >= from.get(v)),
      });
    }),
  );
  return result;
}

/** The newest Observation of each vital (one small search per vital, in parallel). */
export async function latestVitals(client, patientId) {
  const pairs = await Promise.all(
    VITALS.filter((v) => !v.component || v.key === 'sys').map(async (v) => {
      const list = await searchPage(
        client,
        `Observation?patient=${encodeURIComponent(patientId)}&code=${encodeURIComponent(codeParam(v))}&${READINGS_ONLY}&_sort=-date&_count=1`,
      );
      return [v.key, list[0] || null];
    }),
  );
  return Object.fromEntries(pairs);
}

/** The newest ECG strips of a patient (MDC 131328), oldest first. */
export async function ecgStrips(client, patientId, count = 30) {
  const list = await searchPage(
    client,
    `Observation?patient=${encodeURIComponent(patientId)}&code=${encodeURIComponent('urn:iso:std:iso:11073:10101|131328')}&_sort=-date&_count=${count}`,
  );
  return list.reverse();
}
