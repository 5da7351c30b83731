// Server-rendered SVG charts (no client script). Accessible: the <svg> is role="img" named by its <title>
// and described by its <desc>, and every chart carries its numbers as a data table. Colours and sizes are
// presentation attributes, never style="" (the CSP's style-src 'self' blocks inline styles).
import type { Child } from 'hono/jsx';

const INK = '#57606a';
const BAR = '#0a58ca';
const GRID = '#d0d7de';

export interface Datum {
  label: string;
  value: number;
}

interface ChartProps {
  /** Unique on the page: ids for title/desc derive from it. */
  id: string;
  title: string;
  description: string;
  data: Datum[];
  /** Header of the data table's two columns. */
  columns: [string, string];
  format?: (value: number) => string;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function Figure(props: ChartProps & { svg: Child; width: number; height: number }) {
  const format = props.format ?? String;
  return (
    <figure class="chart" id={props.id}>
      <figcaption>{props.title}</figcaption>
      <svg
        role="img"
        aria-labelledby={`${props.id}-title ${props.id}-desc`}
        viewBox={`0 0 ${props.width} ${props.height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
        font-size="12"
      >
        <title id={`${props.id}-title`}>{props.title}</title>
        <desc id={`${props.id}-desc`}>{props.description}</desc>
        {props.svg}
      </svg>
      <details>
        <summary>Data table</summary>
        <table class="chart-data">
          <thead>
            <tr>
              <th scope="col">{props.columns[0]}</th>
              <th scope="col" class="num">
                {props.columns[1]}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.data.map((d) => (
              <tr>
                <th scope="row">{d.label}</th>
                <td class="num">{format(d.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** Vertical bars over an ordered axis (e.g. one per day), labelled at the first, middle and last point. */
export function ColumnChart(props: ChartProps) {
  const W = 960,
    H = 240,
    left = 44,
    right = 8,
    top = 12,
    bottom = 26;
  const plotW = W - left - right,
    plotH = H - top - bottom;
  const max = Math.max(1, ...props.data.map((d) => d.value));
  const slot = plotW / Math.max(1, props.data.length);
  const barW = Math.max(1, slot * 0.8);
  const ticks = [...new Set([0, Math.floor((props.data.length - 1) / 2), props.data.length - 1])].filter((i) => i >= 0);
  const format = props.format ?? String;
  const svg = (
    <g>
      <line x1={left} y1={top} x2={W - right} y2={top} stroke={GRID} />
      <line x1={left} y1={top + plotH} x2={W - right} y2={top + plotH} stroke={INK} />
      <text x={left - 6} y={top + 4} text-anchor="end" fill={INK}>
        {format(max)}
      </text>
      <text x={left - 6} y={top + plotH} text-anchor="end" fill={INK}>
        0
      </text>
      {props.data.map((d, i) => {
        const h = (d.value / max) * plotH;
        return (
          <rect x={left + i * slot + (slot - barW) / 2} y={top + plotH - h} width={barW} height={h} fill={BAR}>
            <title>{`${d.label}: ${format(d.value)}`}</title>
          </rect>
        );
      })}
      {ticks.map((i) => (
        <text
          x={left + i * slot + slot / 2}
          y={H - 8}
          fill={INK}
          text-anchor={i === 0 && ticks.length > 1 ? 'start' : i === props.data.length - 1 && i > 0 ? 'end' : 'middle'}
        >
          {props.data[i]!.label}
        </text>
      ))}
    </g>
  );
  return <Figure {...props} svg={svg} width={W} height={H} />;
}

/** Horizontal bars, largest first, each labelled above its bar (labels may be long, e.g. error reasons). */
export function BarChart(props: ChartProps) {
  const W = 480,
    rowH = 38;
  const H = Math.max(1, props.data.length) * rowH + 4;
  const max = Math.max(1, ...props.data.map((d) => d.value));
  const format = props.format ?? String;
  const svg = (
    <g>
      {props.data.map((d, i) => {
        const y = i * rowH;
        const w = Math.max(2, (d.value / max) * (W - 48));
        return (
          <g>
            <text x={0} y={y + 13} fill={INK}>
              {clip(d.label, 72)}
            </text>
            <rect x={0} y={y + 18} width={w} height={14} fill={BAR}>
              <title>{`${d.label}: ${format(d.value)}`}</title>
            </rect>
            <text x={w + 6} y={y + 30} fill={INK}>
              {format(d.value)}
            </text>
          </g>
        );
      })}
    </g>
  );
  return <Figure {...props} svg={svg} width={W} height={H} />;
}
