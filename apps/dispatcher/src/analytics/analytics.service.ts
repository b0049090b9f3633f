import { Injectable } from '@nestjs/common';
import { analyticsBuckets, AnalyticsQuery, AnalyticsView, analyticsWindow, ConnectorAnalytics } from '@app/contracts';
import { ConnectorRepository } from '@app/database';
import { AnalyticsRepository, ConnectorRef, StatusCounts } from './analytics.repository';
import { latencyPercentile } from './latency-histogram';

const ZERO: StatusCounts = { queued: 0, sent: 0, delivered: 0, read: 0, failed: 0 };

/** GET /projects/:id/analytics: a dense series, each connector's totals and latency percentiles, the commonest errors. */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly repository: AnalyticsRepository,
    private readonly connectors: ConnectorRepository,
  ) {}

  async get(projectId: string, query: AnalyticsQuery): Promise<AnalyticsView> {
    const window = analyticsWindow(query);
    const [series, counts, latency, topErrors, known] = await Promise.all([
      this.repository.series(projectId, window),
      this.repository.perConnector(projectId, window),
      this.repository.latency(projectId, window),
      this.repository.topErrors(projectId, window),
      this.connectors.namedRefsOf(projectId),
    ]);
    // Every connector of the project that the window names, plus deleted ones that had traffic in it.
    const selected = known.filter(
      (c) => !window.connector || ('id' in window.connector ? c.id === window.connector.id : c.type === window.connector.type),
    );
    const refs = new Map<string, ConnectorRef>(selected.map((c) => [c.id, c]));
    for (const c of counts) if (!refs.has(c.id)) refs.set(c.id, { id: c.id, type: c.type, name: null });
    const countsOf = new Map(counts.map((c) => [c.id, c]));
    const connectors = [...refs.values()].map((ref): ConnectorAnalytics => {
      const c = countsOf.get(ref.id) ?? ZERO;
      const histogram = latency.get(ref.id) ?? new Map<number, number>();
      return {
        id: ref.id,
        type: ref.type,
        name: ref.name,
        total: c.queued,
        sent: c.sent,
        delivered: c.delivered,
        failed: c.failed,
        successRate: c.sent + c.failed > 0 ? c.sent / (c.sent + c.failed) : null,
        latencyMs: { p50: latencyPercentile(histogram, 0.5), p95: latencyPercentile(histogram, 0.95) },
      };
    });
    return {
      from: window.from,
      to: window.to,
      interval: window.interval,
      series: analyticsBuckets(window).map((t) => ({ t, ...(series.get(t) ?? ZERO) })),
      connectors,
      topErrors,
    };
  }
}
