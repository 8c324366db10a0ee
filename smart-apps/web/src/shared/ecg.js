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

// ---- Annotations written by the CDS monitor (cds-hooks EcgAnnotator, decision 0712) ----------

export const ANALYSIS_SYSTEM = 'https://vitals.example.org/fhir/CodeSystem/ecg-analysis';
export const ANALYSIS_CODE = `${ANALYSIS_SYSTEM}|beat-annotation`;
export const AAMI = 'https://vitals.example.org/fhir/CodeSystem/aami-beat-class';
export const AF_EPISODE_CODE = 'http://loinc.org|8884-9';
const SNOMED_AF = '49436004';
const MDC_NOISE_SEVERE = '666592';

/** AAMI EC57 classes: colour (distinct also for red-green colour blindness) and legend text. */
export const BEAT_CLASSES = {
  N: { colour: '#1b7f3b', name: 'normal (N)' },
  S: { colour: '#1f5fbf', name: 'supraventricular ectopic (S)' },
  V: { colour: '#c0262d', name: 'ventricular ectopic (V)' },
  F: { colour: '#8a3ab9', name: 'fusion (F)' },
  Q: { colour: '#6b6b6b', name: 'unclassifiable (Q)' },
};

const hasCode = (cc, system, code) => (cc?.coding || []).some((k) => k.system === system && (!code || k.code === code));

/**
 * A per-strip "ECG beat annotation" Observation as drawing marks: beats at their R peak (start of
 * the strip + offset in ms), AF and unusable spans inside the strip, and, for a strip that could
 * not be analysed, the reason (dataAbsentReason).
 */
export function decodeAnalysis(o) {
  const start = effectiveMs(o);
  const endIso = o.effectivePeriod?.end;
  const out = { id: o.id, start, end: endIso ? Date.parse(endIso) : start, beats: [], af: [], unusable: [], absent: null };
  if (o.dataAbsentReason) out.absent = o.dataAbsentReason.text || o.dataAbsentReason.coding?.[0]?.code || 'not analysed';
  for (const c of o.component || []) {
    const aami = (c.code?.coding || []).find((k) => k.system === AAMI);
    if (aami && c.valueQuantity && Number.isFinite(c.valueQuantity.value)) {
      out.beats.push({ atMs: start + c.valueQuantity.value, cls: aami.code });
    } else if (c.valueRange && hasCode(c.code, 'http://snomed.info/sct', SNOMED_AF)) {
      out.af.push({ atMs: start + c.valueRange.low.value, endMs: start + c.valueRange.high.value });
    } else if (c.valueRange && hasCode(c.code, MDC, MDC_NOISE_SEVERE)) {
      out.unusable.push({ atMs: start + c.valueRange.low.value, endMs: start + c.valueRange.high.value, reason: c.code.text || 'unusable signal' });
    }
  }
  return out;
}

/** An AF episode Observation (LOINC 8884-9 = SNOMED 49436004, effectivePeriod) as a span. */
export function decodeAfEpisode(o) {
  if (!hasCode(o.valueCodeableConcept, 'http://snomed.info/sct', SNOMED_AF)) return null;
  const atMs = Date.parse(o.effectivePeriod?.start);
  const endMs = Date.parse(o.effectivePeriod?.end ?? o.effectivePeriod?.start);
  if (!Number.isFinite(atMs)) return null;
  return { id: o.id, atMs, endMs: Number.isFinite(endMs) ? endMs : atMs, ongoing: o.status === 'preliminary' };
}

/**
 * Draws the ECG between t0 and t1 (ms) onto a canvas of the given CSS width at paper scale: grid
 * fixed to absolute time (it moves with the paper when scrolled), AF episodes shaded, unusable
 * stretches hatched, the trace, and each beat's AAMI class at its R peak in its class colour.
 * Returns what was drawn (counts per class, spans) for the page's data attributes.
 */
export function drawWindow(canvas, { t0, t1, strips = [], analyses = [], episodes = [], pxPerMm = 96 / 25.4, heightMm = 40, origin = t0 }) {
  const dpr = globalThis.devicePixelRatio || 1;
  const pxPerMs = (MM_PER_S * pxPerMm) / 1000;
  const w = Math.max(1, Math.ceil((t1 - t0) * pxPerMs));
  const h = Math.ceil(heightMm * pxPerMm);
  if (canvas.width !== w * dpr || canvas.height !== h * dpr) {
    canvas.width = w * dpr;
    canvas.height = h * dpr;
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  }
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  const X = (t) => (t - t0) * pxPerMs;
  g.fillStyle = '#fffaf8';
  g.fillRect(0, 0, w, h);
  const drawn = { beats: 0, classes: {}, af: 0, unusable: 0, absent: 0 };
  // AF episodes under everything.
  for (const e of episodes) {
    if (e.endMs < t0 || e.atMs > t1) continue;
    const x = Math.max(0, X(e.atMs));
    g.fillStyle = 'rgba(214, 132, 0, 0.18)';
    g.fillRect(x, 0, Math.max(2, Math.min(w, X(e.endMs)) - x), h);
    g.fillStyle = '#8a4b00';
    g.font = 'bold 11px sans-serif';
    g.fillText(`AF${e.ongoing ? ' (ongoing)' : ''}`, x + 3, 12);
    drawn.af++;
  }
  // 1 mm minor grid, 5 mm major grid, aligned to the paper (origin), not to the window.
  const mm0 = Math.floor(((t0 - origin) / 1000) * MM_PER_S);
  const mm1 = Math.ceil(((t1 - origin) / 1000) * MM_PER_S);
  for (let mm = mm0; mm <= mm1; mm++) {
    const x = X(origin + (mm / MM_PER_S) * 1000);
    g.strokeStyle = mm % 5 === 0 ? '#f0a8a8' : '#fbdada';
    g.lineWidth = mm % 5 === 0 ? 1 : 0.5;
    g.beginPath();
    g.moveTo(x, 0);
    g.lineTo(x, h);
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
  // Stretches the analysis could not use, and strips it could not analyse at all.
  for (const a of analyses) {
    for (const u of a.unusable) {
      if (u.endMs < t0 || u.atMs > t1) continue;
      g.fillStyle = 'rgba(90, 90, 90, 0.12)';
      g.fillRect(X(u.atMs), 16, X(u.endMs) - X(u.atMs), h - 32);
      drawn.unusable++;
    }
    if (a.absent && a.end >= t0 && a.start <= t1) {
      g.fillStyle = 'rgba(90, 90, 90, 0.12)';
      g.fillRect(X(a.start), 16, X(a.end) - X(a.start), h - 32);
      g.fillStyle = '#444';
      g.font = '11px sans-serif';
      g.fillText(a.absent, Math.max(4, X(a.start) + 4), h - 18);
      drawn.absent++;
    }
  }
  // 1 mV calibration pulse at the left edge of the view, 10 mm high and 5 mm (0.2 s) wide.
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
    const end = s.start + s.mv.length * s.periodMs;
    if (end < t0 || s.start > t1) continue;
    const i0 = Math.max(0, Math.floor((t0 - s.start) / s.periodMs) - 1);
    const i1 = Math.min(s.mv.length, Math.ceil((t1 - s.start) / s.periodMs) + 1);
    g.beginPath();
    let pen = false;
    for (let i = i0; i < i1; i++) {
      const v = s.mv[i];
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      const x = X(s.start + i * s.periodMs);
      const y = baseline - v * MM_PER_MV * pxPerMm;
      if (pen) g.lineTo(x, y);
      else g.moveTo(x, y);
      pen = true;
    }
    g.stroke();
  }
  // Beat classes at the R peak: a tick above the trace and the class letter in its colour.
  g.font = 'bold 12px sans-serif';
  g.textAlign = 'center';
  for (const a of analyses) {
    for (const b of a.beats) {
      if (b.atMs < t0 || b.atMs > t1) continue;
      const c = BEAT_CLASSES[b.cls] || BEAT_CLASSES.Q;
      const x = X(b.atMs);
      g.fillStyle = c.colour;
      g.fillRect(x - 0.75, 20, 1.5, 6);
      g.fillText(b.cls, x, 34);
      drawn.beats++;
      drawn.classes[b.cls] = (drawn.classes[b.cls] || 0) + 1;
    }
  }
  g.textAlign = 'start';
  return drawn;
}

/** The legend of the beat classes and marks, as DOM nodes (the page styles them). */
export function legend() {
  const box = document.createElement('div');
  box.className = 'ecg-legend';
  box.dataset.testid = 'ecg-legend';
  for (const [k, c] of Object.entries(BEAT_CLASSES)) {
    const item = document.createElement('span');
    item.dataset.cls = k;
    const sw = Object.assign(document.createElement('b'), { textContent: k });
    sw.style.color = c.colour;
    item.append(sw, ` ${c.name}`);
    box.append(item);
  }
  const af = document.createElement('span');
  af.innerHTML = '<i class="sw af"></i> atrial fibrillation';
  const bad = document.createElement('span');
  bad.innerHTML = '<i class="sw unusable"></i> not analysable';
  const note = Object.assign(document.createElement('span'), { className: 'muted', textContent: 'Machine-generated decision support, not a diagnosis.' });
  box.append(af, bad, note);
  return box;
}

/**
 * Hours of ECG in a horizontally scrolling box without drawing or fetching hours: a spacer as wide
 * as the whole recording at 25 mm/s scrolls, a canvas as wide as the box stays in view (sticky)
 * and shows the visible window. Strips, annotations and AF episodes are fetched per minute of
 * recording as the window needs them (`fetchChunk(fromMs, toMs)`), kept in a small cache, and
 * the window is redrawn when they arrive.
 */
export class EcgViewer {
  static CHUNK_MS = 60_000;
  static KEEP_CHUNKS = 40;

  constructor({ scroller, track, canvas, fetchChunk, pxPerMm = 96 / 25.4, onDraw = () => {} }) {
    Object.assign(this, { scroller, track, canvas, fetchChunk, pxPerMm, onDraw });
    this.chunks = new Map(); // chunk start -> Promise<{strips, analyses, episodes}> | data
    this.fetched = 0;
    this.pending = false;
    this.closed = false;
    this.onScroll = () => this.schedule();
    scroller.addEventListener('scroll', this.onScroll, { passive: true });
  }

  /** Stops drawing (another patient was chosen). */
  close() {
    this.closed = true;
    this.scroller.removeEventListener('scroll', this.onScroll);
  }

  get pxPerMs() {
    return (MM_PER_S * this.pxPerMm) / 1000;
  }

  /** The recording's extent; scrolls to its newest end. */
  setExtent(fromMs, toMs) {
    this.from = fromMs;
    this.to = Math.max(toMs, fromMs + 1000);
    this.track.style.width = `${Math.ceil((this.to - this.from) * this.pxPerMs)}px`;
    this.scroller.scrollLeft = this.scroller.scrollWidth;
    this.schedule();
  }

  /** The visible time window. */
  window() {
    const t0 = this.from + this.scroller.scrollLeft / this.pxPerMs;
    const t1 = Math.min(this.to, t0 + this.scroller.clientWidth / this.pxPerMs);
    return [t0, Math.max(t1, t0 + 1000)];
  }

  /** Moves the view so that it starts at `t` (ms). */
  scrollTo(t) {
    this.scroller.scrollLeft = Math.max(0, (t - this.from) * this.pxPerMs);
    this.schedule();
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  chunk(start) {
    let c = this.chunks.get(start);
    if (!c) {
      this.fetched++;
      c = { data: null, promise: null };
      c.promise = this.fetchChunk(start, start + EcgViewer.CHUNK_MS).then(
        (d) => {
          c.data = d;
          this.schedule();
        },
        (e) => {
          c.data = { strips: [], analyses: [], episodes: [], error: e.message };
          this.schedule();
        },
      );
      this.chunks.set(start, c);
      // Forget the chunks used longest ago (a Map keeps insertion order).
      while (this.chunks.size > EcgViewer.KEEP_CHUNKS) this.chunks.delete(this.chunks.keys().next().value);
    } else {
      this.chunks.delete(start);
      this.chunks.set(start, c);
    }
    return c;
  }

  draw() {
    if (this.from === undefined || this.closed) return;
    const [t0, t1] = this.window();
    // The chunks of the window, and one on each side so that scrolling finds them ready.
    const first = Math.floor(t0 / EcgViewer.CHUNK_MS) * EcgViewer.CHUNK_MS;
    const parts = [];
    for (let c = first - EcgViewer.CHUNK_MS; c <= t1 + EcgViewer.CHUNK_MS; c += EcgViewer.CHUNK_MS) {
      if (c + EcgViewer.CHUNK_MS < this.from || c > this.to) continue;
      const k = this.chunk(c);
      if (c + EcgViewer.CHUNK_MS >= t0 && c <= t1) parts.push(k);
    }
    const seen = new Set();
    const once = (x) => !x.id || (!seen.has(x.id) && seen.add(x.id));
    const ready = parts.filter((p) => p.data).map((p) => p.data);
    const strips = ready.flatMap((d) => d.strips).filter(once);
    const analyses = ready.flatMap((d) => d.analyses).filter(once);
    const episodes = ready.flatMap((d) => d.episodes).filter(once);
    const drawn = drawWindow(this.canvas, { t0, t1, strips, analyses, episodes, pxPerMm: this.pxPerMm, origin: this.from });
    this.onDraw({ t0, t1, drawn, strips, loading: parts.length - ready.length, errors: ready.filter((d) => d.error).map((d) => d.error) });
  }
}
