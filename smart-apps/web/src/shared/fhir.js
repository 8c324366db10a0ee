// FHIR reads the apps share, through fhirclient.js (the SMART client holds the token and the
// FHIR base). Large series are read in time windows in parallel, each with _count=1000 (the
// server's largest page) and _elements trimmed to what the charts need, then paged.

import { VITALS, codeParam } from './vitals.js';

const PAGE = 1000;

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
export async function vitalObservations(client, patientId, vitals, sinceMs, { windows = 6, untilMs = Date.now(), onChunk } = {}) {
  const codes = [...new Set(vitals.map(codeParam))].join(',');
  const span = (untilMs - sinceMs) / windows;
  const tasks = [];
  for (let i = 0; i < windows; i++) {
    const from = new Date(sinceMs + i * span).toISOString();
    const to = new Date(i === windows - 1 ? untilMs + 60_000 : sinceMs + (i + 1) * span).toISOString();
    const url =
      `Observation?patient=${encodeURIComponent(patientId)}&code=${encodeURIComponent(codes)}` +
      `&date=ge${encodeURIComponent(from)}&date=lt${encodeURIComponent(to)}` +
      `&_count=${PAGE}&_elements=code,effective,value,component,status`;
    tasks.push(async () => {
      const obs = await searchAll(client, url);
      if (onChunk) onChunk(obs);
      return obs;
    });
  }
  return (await pool(tasks, 4)).flat();
}

/** The newest Observation of each vital (one small search per vital, in parallel). */
export async function latestVitals(client, patientId) {
  const pairs = await Promise.all(
    VITALS.filter((v) => !v.component || v.key === 'sys').map(async (v) => {
      const list = await searchPage(
        client,
        `Observation?patient=${encodeURIComponent(patientId)}&code=${encodeURIComponent(codeParam(v))}&_sort=-date&_count=1`,
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
