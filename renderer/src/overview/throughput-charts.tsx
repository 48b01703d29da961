// Throughput and error-rate charts of the last hour: per-minute bars (summed over connections) on one time axis, "no data yet" when empty.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ThroughputSeries } from '../agent-api.js';
import { clock, count } from '../common/format.js';

interface MinutePoint {
  at: number;
  captured: number;
  delivered: number;
  failed: number;
  errorRate: number;
}

function combine(series: ThroughputSeries[]): MinutePoint[] {
  const byMinute = new Map<number, MinutePoint>();
  for (const s of series) {
    for (const m of s.minutes) {
      const point = byMinute.get(m.at) ?? { at: m.at, captured: 0, delivered: 0, failed: 0, errorRate: 0 };
      point.captured += m.captured;
      point.delivered += m.delivered;
      point.failed += m.failed;
      byMinute.set(m.at, point);
    }
  }
  return [...byMinute.values()]
    .sort((a, b) => a.at - b.at)
    .map((p) => {
      const attempts = p.delivered + p.failed;
      return { ...p, errorRate: attempts > 0 ? Math.round((p.failed / attempts) * 1000) / 10 : 0 };
    });
}

const minute = (at: number) => clock(at).slice(0, 5);

/** Shown instead of an empty plot: a blank chart reads as "broken". */
function NoData() {
  return <p className="empty">No data yet: the bars appear with the first captured record.</p>;
}

export function ThroughputCharts({ series }: { series: ThroughputSeries[] | undefined }) {
  const points = combine(series ?? []);
  const total = points.reduce((sum, p) => sum + p.delivered, 0);
  const failed = points.reduce((sum, p) => sum + p.failed, 0);
  const empty = points.every((p) => p.captured === 0 && p.delivered === 0 && p.failed === 0);
  const axis = (
    <XAxis
      dataKey="at"
      tickFormatter={minute}
      stroke="var(--muted)"
      minTickGap={30}
      label={{ value: 'local time', position: 'insideBottomRight', offset: -4, fill: 'var(--muted)' }}
    />
  );
  return (
    <section aria-labelledby="charts-title">
      <h3 id="charts-title">Last hour</h3>
      <p className="hint">
        {count(total)} delivered, {count(failed)} failed {failed === 1 ? 'attempt' : 'attempts'} in the last
        hour (per minute, all connections; kept across restarts).
      </p>
      <div className="charts">
        <figure className="chart" aria-label="Records per minute: captured and delivered">
          <figcaption>Throughput (records per minute)</figcaption>
          {empty ? (
            <NoData />
          ) : (
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={points} barGap={0}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
                {axis}
                <YAxis allowDecimals={false} stroke="var(--muted)" width={40} />
                <Tooltip labelFormatter={(at) => minute(Number(at))} />
                <Legend />
                <Bar dataKey="captured" fill="var(--info)" isAnimationActive={false} />
                <Bar dataKey="delivered" fill="var(--ok)" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          )}
        </figure>
        <figure className="chart" aria-label="Error rate per minute in percent">
          <figcaption>Error rate (% of attempts per minute)</figcaption>
          {empty ? (
            <NoData />
          ) : (
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={points}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
                {axis}
                <YAxis unit="%" domain={[0, 100]} stroke="var(--muted)" width={48} />
                <Tooltip labelFormatter={(at) => minute(Number(at))} />
                <Bar dataKey="errorRate" name="error rate" fill="var(--bad)" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          )}
        </figure>
      </div>
    </section>
  );
}
