// Throughput and error-rate charts of the last hour (per-minute counts summed over connections).
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ThroughputSeries } from '../agent-api.js';
import { clock } from '../common/format.js';

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

export function ThroughputCharts({ series }: { series: ThroughputSeries[] | undefined }) {
  const points = combine(series ?? []);
  const total = points.reduce((sum, p) => sum + p.delivered, 0);
  const failed = points.reduce((sum, p) => sum + p.failed, 0);
  return (
    <section aria-labelledby="charts-title">
      <h3 id="charts-title">Last hour</h3>
      <p className="hint">
        {total} delivered, {failed} failed attempts in the last hour (per minute, all connections).
      </p>
      <div className="charts">
        <figure className="chart" aria-label="Records per minute: captured and delivered">
          <figcaption>Throughput (records per minute)</figcaption>
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={points}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
              <XAxis dataKey="at" tickFormatter={minute} stroke="var(--muted)" minTickGap={30} />
              <YAxis allowDecimals={false} stroke="var(--muted)" width={40} />
              <Tooltip labelFormatter={(at) => minute(Number(at))} />
              <Legend />
              <Area
                type="monotone"
                dataKey="captured"
                stroke="var(--info)"
                fill="var(--info-bg)"
                isAnimationActive={false}
              />
              <Area
                type="monotone"
                dataKey="delivered"
                stroke="var(--ok)"
                fill="var(--ok-bg)"
                isAnimationActive={false}
              />
            </AreaChart>
          </ResponsiveContainer>
        </figure>
        <figure className="chart" aria-label="Error rate per minute in percent">
          <figcaption>Error rate (% of attempts)</figcaption>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={points}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
              <XAxis dataKey="at" tickFormatter={minute} stroke="var(--muted)" minTickGap={30} />
              <YAxis unit="%" domain={[0, 100]} stroke="var(--muted)" width={48} />
              <Tooltip labelFormatter={(at) => minute(Number(at))} />
              <Line
                type="monotone"
                dataKey="errorRate"
                name="error rate"
                stroke="var(--bad)"
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </figure>
      </div>
    </section>
  );
}
