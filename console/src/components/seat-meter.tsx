/** "12 of 15 users" with a bar that turns amber near the limit and red at it. */
export function SeatMeter({ used, limit, compact = false }: { used: number; limit: number; compact?: boolean }) {
  const ratio = limit > 0 ? Math.min(1, used / limit) : 1;
  const tone = used >= limit ? 'danger' : ratio >= 0.8 ? 'warning' : 'ok';
  const label = `${used} of ${limit} users`;
  return (
    <div className={`seat-meter seat-meter-${tone}${compact ? ' seat-meter-compact' : ''}`}>
      <div className="seat-meter-label">
        <span className="seat-meter-value">{label}</span>
        {!compact && <span className="muted">{used >= limit ? 'All seats are in use' : `${limit - used} seat${limit - used === 1 ? '' : 's'} free`}</span>}
      </div>
      <div className="seat-meter-track" role="meter" aria-label="Seats in use" aria-valuemin={0} aria-valuemax={limit} aria-valuenow={used} aria-valuetext={label}>
        <div className="seat-meter-fill" style={{ width: `${Math.round(ratio * 100)}%` }} />
      </div>
    </div>
  );
}
