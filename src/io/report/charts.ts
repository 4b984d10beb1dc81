/**
 * The charts of `report.html` (SPEC §5.5), drawn as SVG when the report is written: no
 * script, no library in the page, nothing to load. Scales and paths come from d3-scale and
 * d3-shape; every label passes through {@link escapeHtml}. Geometry uses floating point;
 * every figure printed comes from the exact amounts.
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { Bridge, DayImpact } from './model.js';

/**
 * Text made safe for HTML and SVG content and attribute values.
 *
 * @example
 * escapeHtml('<img src=x onerror=alert(1)>'); // '&lt;img src=x onerror=alert(1)&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const WIDTH = 720;
const UP = '#c8553d'; // the bill charges more
const DOWN = '#3a8a5c'; // the bill charges less
const TOTAL = '#4a6fa5';
const INK = '#333';

function svg(height: number, title: string, body: string): string {
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" fill="${INK}" font-size="11" ${attrs}>${escapeHtml(content)}</text>`;
}

function rect(x: number, y: number, w: number, h: number, fill: string, tip: string): string {
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(w, 0.5).toFixed(1)}" height="${Math.max(h, 0.5).toFixed(1)}" fill="${fill}"><title>${escapeHtml(tip)}</title></rect>`;
}

function yAxis(
  scale: ReturnType<typeof scaleLinear<number, number>>,
  x: number,
  anchor: 'start' | 'end',
): string {
  const format = scale.tickFormat(5);
  return scale
    .ticks(5)
    .map((tick) => {
      const y = scale(tick);
      const label = text(
        anchor === 'end' ? x - 4 : x + 4,
        y + 4,
        format(tick),
        `text-anchor="${anchor}"`,
      );
      return `<line x1="${x}" x2="${anchor === 'end' ? WIDTH - 10 : x - 4}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e3e3e3"/>${label}`;
    })
    .join('');
}

/** An empty chart: a sentence where the bars would be. */
function empty(title: string, message: string): string {
  return svg(40, title, text(10, 24, message));
}

/**
 * The bridge as a waterfall: ours, each step floating from where the last one ended, and
 * the bill. The axis starts near the smallest running total, not at zero, so that steps of a
 * few cents on a bill of thousands can be seen; the totals' bars say their figures.
 *
 * @param bridge - the bridge ({@link bridgeOf})
 * @param labels - the start, end and each step's label
 * @param title - the chart's accessible name
 * @param noData - what to say when there is no step
 * @returns SVG markup
 * @example
 * waterfallChart(bridgeOf(summary), { start: 'ours', end: 'the bill', step: (s) => s }, 'Bridge', 'Nothing to show.');
 */
export function waterfallChart(
  bridge: Bridge,
  labels: { start: string; end: string; step: (step: string) => string },
  title: string,
  noData: string,
): string {
  if (bridge.bars.length === 0) return empty(title, noData);
  const height = 320;
  const margin = { top: 20, bottom: 110, left: 64, right: 10 };
  let running = Number(bridge.start);
  const floating = bridge.bars.map((bar) => {
    const from = running;
    running += Number(bar.amount);
    return { ...bar, from, to: running };
  });
  const values = [Number(bridge.start), Number(bridge.end), ...floating.map((f) => f.to)];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.15;
  const y = scaleLinear()
    .domain([lo - pad, hi + pad])
    .range([height - margin.bottom, margin.top])
    .nice();
  const names = ['\u0000start', ...floating.map((_, i) => `\u0000${i}`), '\u0000end'];
  const x = scaleBand()
    .domain(names)
    .range([margin.left, WIDTH - margin.right])
    .padding(0.25);
  const bottom = y.range()[0] ?? 0;
  const parts = [yAxis(y, margin.left, 'end')];
  const bar = (
    name: string,
    label: string,
    top: number,
    base: number,
    fill: string,
    figure: string,
  ): void => {
    const left = x(name) ?? 0;
    const [y1, y2] = [y(Math.max(top, base)), y(Math.min(top, base))];
    parts.push(rect(left, y1, x.bandwidth(), y2 - y1, fill, `${label}: ${figure}`));
    parts.push(text(left + x.bandwidth() / 2, y1 - 4, figure, 'text-anchor="middle"'));
    const cx = left + x.bandwidth() / 2;
    parts.push(
      text(
        cx,
        bottom + 14,
        label,
        `text-anchor="end" transform="rotate(-35 ${cx.toFixed(1)} ${(bottom + 14).toFixed(1)})"`,
      ),
    );
  };
  const floor = y.domain()[0] ?? 0;
  bar('\u0000start', labels.start, Number(bridge.start), floor, TOTAL, bridge.start);
  floating.forEach((f, i) => {
    const sign = f.amount.startsWith('-') ? '' : '+';
    bar(
      `\u0000${i}`,
      labels.step(f.step),
      f.to,
      f.from,
      f.to >= f.from ? UP : DOWN,
      `${sign}${f.amount}`,
    );
  });
  bar('\u0000end', labels.end, Number(bridge.end), floor, TOTAL, bridge.end);
  return svg(height, title, parts.join(''));
}

/** One bar of a horizontal bar chart. */
export interface HorizontalBar {
  readonly label: string;
  readonly value: string;
  /** Shown after the value: a count, say. */
  readonly note?: string;
  /** Colour; by default by the sign of the value. */
  readonly fill?: string;
}

/**
 * Horizontal bars from zero, one a line: impact by kind, charges by item.
 *
 * @param bars - label, exact value as text, note
 * @param title - the chart's accessible name
 * @param noData - what to say when there is no bar
 * @returns SVG markup
 * @example
 * horizontalBarChart([{ label: 'MISSING_IN_CDRS', value: '1.52', note: '3' }], 'Impact by kind', 'Nothing to show.');
 */
export function horizontalBarChart(
  bars: readonly HorizontalBar[],
  title: string,
  noData: string,
): string {
  if (bars.length === 0) return empty(title, noData);
  const row = 24;
  const margin = { top: 8, bottom: 8, left: 200, right: 150 };
  const height = margin.top + margin.bottom + row * bars.length;
  const values = bars.map((b) => Number(b.value));
  const x = scaleLinear()
    .domain([Math.min(0, ...values), Math.max(0, ...values)])
    .range([margin.left, WIDTH - margin.right])
    .nice();
  const zero = x(0);
  const parts = bars.map((b, i) => {
    const v = Number(b.value);
    const top = margin.top + i * row + 4;
    const end = x(v);
    const fill = b.fill ?? (v >= 0 ? UP : DOWN);
    const tip = `${b.label}: ${b.value}${b.note === undefined ? '' : ` (${b.note})`}`;
    return (
      text(margin.left - 8, top + 12, b.label, 'text-anchor="end"') +
      rect(Math.min(zero, end), top, Math.abs(end - zero), row - 8, fill, tip) +
      text(
        Math.max(zero, end) + 4,
        top + 12,
        b.note === undefined ? b.value : `${b.value} · ${b.note}`,
      )
    );
  });
  parts.push(
    `<line x1="${zero.toFixed(1)}" x2="${zero.toFixed(1)}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="${INK}"/>`,
  );
  return svg(height, title, parts.join(''));
}

/** The days from the first to the last, gaps filled with zero. */
function everyDay(days: readonly DayImpact[], zero: string): DayImpact[] {
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return [];
  const byDay = new Map(days.map((d) => [d.day, d]));
  const out: DayImpact[] = [];
  const end = Date.parse(`${last.day}T00:00:00Z`);
  for (
    let t = Date.parse(`${first.day}T00:00:00Z`);
    t <= end && out.length < 400;
    t += 86_400_000
  ) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(byDay.get(day) ?? { day, count: 0, impact: zero });
  }
  return out;
}

/**
 * Impact by day as bars (left axis) and the count of discrepancies as a line (right axis).
 *
 * @param days - impact and count per day ({@link impactByDay})
 * @param zero - zero as an amount (`0.00`)
 * @param labels - the names of the two series
 * @param title - the chart's accessible name
 * @param noData - what to say when there is no day
 * @returns SVG markup
 * @example
 * dailyChart(impactByDay(rows, 2), '0.00', { impact: 'impact', count: 'count' }, 'By day', 'Nothing to show.');
 */
export function dailyChart(
  days: readonly DayImpact[],
  zero: string,
  labels: { impact: string; count: string },
  title: string,
  noData: string,
): string {
  const all = everyDay(days, zero);
  if (all.length === 0) return empty(title, noData);
  const height = 280;
  const margin = { top: 24, bottom: 56, left: 64, right: 48 };
  const x = scaleBand()
    .domain(all.map((d) => d.day))
    .range([margin.left, WIDTH - margin.right])
    .padding(0.15);
  const impacts = all.map((d) => Number(d.impact));
  const y = scaleLinear()
    .domain([Math.min(0, ...impacts), Math.max(0, ...impacts) || 1])
    .range([height - margin.bottom, margin.top])
    .nice();
  const yCount = scaleLinear()
    .domain([0, Math.max(1, ...all.map((d) => d.count))])
    .range([height - margin.bottom, margin.top])
    .nice();
  const parts = [yAxis(y, margin.left, 'end')];
  const center = (day: string): number => (x(day) ?? 0) + x.bandwidth() / 2;
  all.forEach((d, i) => {
    const v = Number(d.impact);
    const [y1, y2] = [y(Math.max(v, 0)), y(Math.min(v, 0))];
    parts.push(
      rect(
        x(d.day) ?? 0,
        y1,
        x.bandwidth(),
        y2 - y1,
        v >= 0 ? UP : DOWN,
        `${d.day}: ${labels.impact} ${d.impact}, ${labels.count} ${d.count}`,
      ),
    );
    const every = Math.ceil(all.length / 16);
    if (i % every === 0) {
      const cx = center(d.day);
      const by = height - margin.bottom + 12;
      parts.push(
        text(
          cx,
          by,
          d.day.slice(5),
          `text-anchor="end" transform="rotate(-45 ${cx.toFixed(1)} ${by})"`,
        ),
      );
    }
  });
  const path = line<DayImpact>()
    .x((d) => center(d.day))
    .y((d) => yCount(d.count))(all);
  if (path !== null)
    parts.push(`<path d="${path}" fill="none" stroke="${INK}" stroke-width="1.5"/>`);
  for (const tick of yCount.ticks(4))
    parts.push(text(WIDTH - margin.right + 6, yCount(tick) + 4, String(tick)));
  parts.push(
    rect(margin.left, 6, 10, 10, UP, labels.impact),
    text(margin.left + 14, 15, labels.impact),
    `<line x1="${margin.left + 120}" x2="${margin.left + 134}" y1="11" y2="11" stroke="${INK}" stroke-width="1.5"/>`,
    text(margin.left + 138, 15, labels.count),
  );
  return svg(height, title, parts.join(''));
}
