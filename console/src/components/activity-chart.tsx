import { useEffect, useRef, useState } from 'react';
import type { ActivityDay } from '../api/types';
import { pluralize } from '../format';

const HEIGHT = 180;
const PAD = { top: 12, right: 8, bottom: 26, left: 36 };
const dayLabel = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

function niceMax(value: number): number {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s * 4 >= value) ?? magnitude * 10;
  return step * 4;
}

/** Provisioning requests per day, stacked by outcome, so a start of failures stands out. */
export function ActivityChart({ days }: { days: ActivityDay[] }) {
  const box = useRef<HTMLDivElement>(null);
  const [WIDTH, setWidth] = useState(720);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(Math.max(280, Math.round(entry.contentRect.width))));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const labelEvery = WIDTH < 520 ? 10 : 7;
  const total = days.reduce((sum, d) => sum + d.success + d.failure, 0);
  const failed = days.reduce((sum, d) => sum + d.failure, 0);
  const max = niceMax(Math.max(...days.map((d) => d.success + d.failure), 0));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(days.length, 1);
  const barW = Math.max(2, slot * 0.68);
  const y = (n: number) => PAD.top + plotH - (n / max) * plotH;
  const firstFailure = days.find((d) => d.failure > 0);
  const summary = `${pluralize(total, 'request')} in the last ${days.length} days, ${pluralize(failed, 'failure')}${firstFailure ? `; failures since ${dayLabel.format(new Date(`${firstFailure.day}T00:00:00Z`))}` : ''}.`;

  return (
    <figure className="chart">
      <figcaption className="chart-caption">
        <span>
          <strong>{total.toLocaleString()}</strong> requests · <strong className={failed > 0 ? 'text-danger' : undefined}>{failed.toLocaleString()}</strong> failed
          {total > 0 && <span className="muted"> ({((failed / total) * 100).toFixed(failed / total < 0.1 ? 1 : 0)}%)</span>}
        </span>
        <span className="chart-legend" aria-hidden="true">
          <span className="legend-item">
            <span className="legend-swatch legend-success" /> Success
          </span>
          <span className="legend-item">
            <span className="legend-swatch legend-failure" /> Failure
          </span>
        </span>
      </figcaption>
      <div ref={box} className="chart-box">
      <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="chart-svg" role="img" aria-label={summary}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * f)} y2={y(max * f)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(max * f) + 4} className="chart-axis" textAnchor="end">
              {Math.round(max * f)}
            </text>
          </g>
        ))}
        {days.map((d, i) => {
          const x = PAD.left + i * slot + (slot - barW) / 2;
          const label = dayLabel.format(new Date(`${d.day}T00:00:00Z`));
          return (
            <g key={d.day} className="chart-bar">
              <title>{`${label}: ${d.success} succeeded, ${d.failure} failed`}</title>
              <rect x={PAD.left + i * slot} y={PAD.top} width={slot} height={plotH} className="chart-hit" />
              {d.success > 0 && <rect x={x} y={y(d.success)} width={barW} height={y(0) - y(d.success)} className="chart-success" rx={1.5} />}
              {d.failure > 0 && <rect x={x} y={y(d.success + d.failure)} width={barW} height={y(d.success) - y(d.success + d.failure)} className="chart-failure" rx={1.5} />}
              {(days.length - 1 - i) % labelEvery === 0 && (
                <text x={i === days.length - 1 ? PAD.left + (i + 1) * slot : PAD.left + i * slot + slot / 2} y={HEIGHT - 8} className="chart-axis" textAnchor={i === days.length - 1 ? 'end' : 'middle'}>
                  {label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      </div>
    </figure>
  );
}
