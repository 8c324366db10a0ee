// ECG strip viewer at paper scale: 25 mm/s and 10 mm/mV on a 1 mm / 5 mm grid (the standard
// recording speed and gain, AHA recommendations for the standardization of the ECG, Kligfield et al.,
// Circulation 2007;115:1306). Strips are the gateway's 10-s SampledData Observations (MDC 131328,
// lead II 131330 preferred). Samples become physical values as origin + factor x sample.

import { MDC, effectiveMs } from './vitals.js';

export const MM_PER_S = 25;
export const MM_PER_MV = 10;

/** Decodes one strip Observation into {start (ms), periodMs, mv: Float32Array, lead}, or null. */
export function decodeStrip(o) {
  let sd = o.valueSampledData;
  let lead = null;
  for (const c of o.component || []) {
    if (!c.valueSampledData) continue;
    const code = (c.code?.coding || []).find((k) => k.system === MDC)?.code;
    if (!sd || code === '131330') {
      sd = c.valueSampledData;
      lead = code;
    }
  }
  if (!sd || !sd.data || !(sd.period > 0)) return null;
  const origin = sd.origin?.value ?? 0;
  const factor = sd.factor ?? 1;
  const raw = sd.data.trim().split(/\s+/);
  const mv = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const x = Number(raw[i]);
    mv[i] = Number.isFinite(x) ? origin + factor * x : NaN; // E, L, U codes: gaps
  }
  return { start: effectiveMs(o), periodMs: sd.period, mv, lead: lead || '131330' };
}

/** Lead name of an MDC lead code. */
export function leadName(code) {
  return { 131329: 'I', 131330: 'II', 131389: 'III', 131390: 'aVR', 131391: 'aVL', 131392: 'aVF' }[code] || code;
}

/**
 * Annotations in an Observation related to a strip: beats (components with a time offset) and
 * rhythm episodes (AF). Shapes read: component valueSampledData of beat markers is not used;
 * interpretation codes of the strip (e.g. AF) mark the whole strip.
 */
export function stripAnnotations(o) {
  const out = [];
  for (const i of o.interpretation || []) {
    for (const c of i.coding || []) {
      const text = (c.display || c.code || '').toLowerCase();
      if (text.includes('fibrillation') || c.code === 'AF' || c.code === '49436004') {
        out.push({ kind: 'af', label: 'AF' });
      }
    }
  }
  return out;
}

/**
 * Draws strips onto a canvas at paper scale. `pxPerMm` follows the screen (CSS px are 96 per inch,
 * so 1 mm = 3.78 px at 100 % zoom); the canvas is as wide as the strips need and sits in a
 * horizontally scrolling box.
 */
export function drawStrips(canvas, strips, { pxPerMm = 96 / 25.4, heightMm = 40, annotations = [] } = {}) {
  const dpr = globalThis.devicePixelRatio || 1;
  if (!strips.length) return;
  const t0 = strips[0].start;
  const last = strips[strips.length - 1];
  const seconds = (last.start + last.mv.length * last.periodMs - t0) / 1000;
  const widthMm = Math.max(50, seconds * MM_PER_S);
  const w = Math.ceil(widthMm * pxPerMm);
  const h = Math.ceil(heightMm * pxPerMm);
  canvas.width = w * dpr;
  canvas.height = h * dpr;
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const g = canvas.getContext('2d');
  g.scale(dpr, dpr);
  g.fillStyle = '#fffaf8';
  g.fillRect(0, 0, w, h);
  // 1 mm minor grid, 5 mm major grid.
  for (let mm = 0; mm <= widthMm; mm++) {
    g.strokeStyle = mm % 5 === 0 ? '#f0a8a8' : '#fbdada';
    g.lineWidth = mm % 5 === 0 ? 1 : 0.5;
    g.beginPath();
    g.moveTo(mm * pxPerMm, 0);
    g.lineTo(mm * pxPerMm, h);
    g.stroke();
  }
  for (let mm = 0; mm <= heightMm; mm++) {
    g.strokeStyle = mm % 5 === 0 ? '#f0a8a8' : '#fbdada';
    g.lineWidth = mm % 5 === 0 ? 1 : 0.5;
    g.beginPath();
    g.moveTo(0, mm * pxPerMm);
    g.lineTo(w, mm * pxPerMm);
    g.stroke();
  }
  const baseline = (heightMm / 2) * pxPerMm;
  // 1 mV calibration pulse, 10 mm high and 5 mm (0.2 s) wide.
  g.strokeStyle = '#222';
  g.lineWidth = 1.2;
  g.beginPath();
  g.moveTo(0, baseline);
  g.lineTo(1 * pxPerMm, baseline);
  g.lineTo(1 * pxPerMm, baseline - MM_PER_MV * pxPerMm);
  g.lineTo(6 * pxPerMm, baseline - MM_PER_MV * pxPerMm);
  g.lineTo(6 * pxPerMm, baseline);
  g.stroke();
  g.strokeStyle = '#111';
  g.lineWidth = 1.1;
  for (const s of strips) {
    g.beginPath();
    let pen = false;
    for (let i = 0; i < s.mv.length; i++) {
      const tMs = s.start + i * s.periodMs - t0;
      const x = (tMs / 1000) * MM_PER_S * pxPerMm;
      const v = s.mv[i];
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      const y = baseline - v * MM_PER_MV * pxPerMm;
      if (pen) g.lineTo(x, y);
      else g.moveTo(x, y);
      pen = true;
    }
    g.stroke();
  }
  // Annotations: {atMs, kind: 'beat'|'af', label, endMs?}
  g.font = '11px sans-serif';
  for (const a of annotations) {
    const x = ((a.atMs - t0) / 1000) * MM_PER_S * pxPerMm;
    if (a.kind === 'af') {
      const x2 = (((a.endMs ?? a.atMs) - t0) / 1000) * MM_PER_S * pxPerMm;
      g.fillStyle = 'rgba(200, 120, 0, 0.15)';
      g.fillRect(x, 0, Math.max(2, x2 - x), h);
      g.fillStyle = '#a05a00';
      g.fillText(a.label || 'AF', x + 3, 12);
    } else {
      g.fillStyle = a.label === 'N' ? '#2a6' : '#c22';
      g.fillText(a.label || '•', x - 3, h - 4);
    }
  }
}
