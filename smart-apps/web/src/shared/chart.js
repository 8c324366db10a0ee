// Trend charts with uPlot (made for large time series: a day of 1 Hz readings is 86,400 points
// per chart, drawn on one canvas). The reference range is a shaded band behind the line. Data is
// [seconds[], values[], minimum[], maximum[]]: minute summaries draw their median as the line and
// their min-max as a band around it; single readings have null minimum and maximum.

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

function bandPlugin(low, high) {
  return {
    hooks: {
      drawClear: (u) => {
        const { ctx } = u;
        const top = u.valToPos(high, 'y', true);
        const bottom = u.valToPos(low, 'y', true);
        ctx.save();
        ctx.fillStyle = 'rgba(40, 160, 90, 0.10)';
        ctx.fillRect(u.bbox.left, Math.min(top, bottom), u.bbox.width, Math.abs(bottom - top));
        ctx.restore();
      },
    },
  };
}

/** A trend chart of one vital in `el`; returns the uPlot instance (call setData to update). */
export function trendChart(el, vital, data, { width = 520, height = 170 } = {}) {
  const opts = {
    width,
    height,
    title: `${vital.label} (${vital.unit}), reference ${vital.low}–${vital.high}`,
    legend: { live: false },
    cursor: { drag: { x: true, y: false } },
    scales: {
      x: { time: true },
      y: {
        range: (u, min, max) => [Math.min(min ?? vital.low, vital.low) - pad(vital), Math.max(max ?? vital.high, vital.high) + pad(vital)],
      },
    },
    series: [
      {},
      { label: vital.label, stroke: '#1f5fa8', width: 1, points: { show: data[0].length < 60 } },
      { label: 'min', stroke: 'rgba(31, 95, 168, 0.35)', width: 0.5, points: { show: false } },
      { label: 'max', stroke: 'rgba(31, 95, 168, 0.35)', width: 0.5, points: { show: false } },
    ],
    bands: [{ series: [3, 2], fill: 'rgba(31, 95, 168, 0.15)' }],
    axes: [{}, { size: 48 }],
    plugins: [bandPlugin(vital.low, vital.high)],
  };
  const cols = data.length >= 4 ? data : [data[0], data[1], data[0].map(() => null), data[0].map(() => null)];
  return new uPlot(opts, cols, el);
}

function pad(vital) {
  return (vital.high - vital.low) * 0.15 || 1;
}
