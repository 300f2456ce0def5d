/**
 * A small horizontal bar chart in SVG, built element by element (the pages' policy allows
 * no inline style, so presentation is in attributes and the stylesheet's classes). A bar past
 * its limit is drawn in the alarm colour; the same figures are given as text beside it.
 * Bars with a limit are each scaled to it, their limits aligned at three quarters of the
 * width: the eye reads how near each signal is to its threshold, whatever their units.
 */
const SVG = 'http://www.w3.org/2000/svg';

export interface Bar { label: string; value: number; limit?: number | undefined }

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

const ROW = 26;
const LABEL = 170;
const WIDTH = 560;
/** Where a limit falls, as a share of the bars' span. */
const LIMIT_AT = 0.75;

/** What a bar says in words: the chart's text equivalent, and each bar's tooltip. */
export const barText = (bar: Bar): string => `${bar.label} : ${bar.value}${bar.limit === undefined ? '' : ` (seuil ${bar.limit})`}`;

/** The chart of the bars (without a limit, scaled to the largest); `title` and the figures name it for screen readers. */
export function barChart(title: string, bars: readonly Bar[]): SVGSVGElement {
  const common = Math.max(1, ...bars.map((bar) => bar.value));
  const span = WIDTH - LABEL - 50;
  const length = (bar: Bar, value: number): number => Math.min(1, value / (bar.limit === undefined ? common : Math.max(bar.value, bar.limit / LIMIT_AT, 1))) * span;
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${bars.length * ROW + 4}`, role: 'img', 'aria-label': `${title} : ${bars.map(barText).join(' ; ')}`, class: 'chart' });
  bars.forEach((bar, index) => {
    const y = index * ROW + 2;
    const over = bar.limit !== undefined && bar.value > bar.limit;
    const group = svg('g', {});
    group.append(
      svg('title', {}, barText(bar)),
      svg('text', { x: LABEL - 8, y: y + 16, 'text-anchor': 'end', class: 'chart-label' }, bar.label),
      svg('rect', { x: LABEL, y: y + 4, width: Math.max(1, length(bar, bar.value)), height: ROW - 10, class: over ? 'chart-bar over' : 'chart-bar' }),
      svg('text', { x: LABEL + length(bar, bar.value) + 6, y: y + 16, class: 'chart-value' }, String(bar.value)),
    );
    if (bar.limit !== undefined) {
      const x = LABEL + length(bar, bar.limit);
      group.append(svg('line', { x1: x, x2: x, y1: y + 1, y2: y + ROW - 3, class: 'chart-limit' }));
    }
    chart.append(group);
  });
  return chart;
}
