import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What one answered request adds to the metrics. */
export interface RequestRecord {
  readonly route: string;
  readonly model: string;
  /** `none` when the request never reached a model (refused, or the model failed to load). */
  readonly backend: string;
  readonly status: number;
  /** The error code of a failed request (`queue_full`, `invalid_input`, …). */
  readonly code?: string;
  readonly seconds: number;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
}

/**
 * The server's Prometheus metrics, in a registry of its own (an application mounting the
 * server keeps its own registry clean): requests, errors, latency and tokens per model and
 * backend, failovers, loaded models and queue depth.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #requests = new Counter({
    name: 'npu_first_requests_total',
    help: 'Requests answered, by route, model, backend and HTTP status.',
    labelNames: ['route', 'model', 'backend', 'status'] as const,
    registers: [this.registry],
  });
  readonly #errors = new Counter({
    name: 'npu_first_request_errors_total',
    help: 'Requests answered with an error, by model, backend and error code.',
    labelNames: ['model', 'backend', 'code'] as const,
    registers: [this.registry],
  });
  readonly #latency = new Histogram({
    name: 'npu_first_request_duration_seconds',
    help: 'Time from request to the end of the answer (the last event of a stream).',
    labelNames: ['route', 'model', 'backend'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly #tokens = new Counter({
    name: 'npu_first_tokens_total',
    help: 'Tokens processed, by model, backend and kind (prompt or completion).',
    labelNames: ['model', 'backend', 'kind'] as const,
    registers: [this.registry],
  });
  readonly #failovers = new Counter({
    name: 'npu_first_failovers_total',
    help: 'Times a model moved to another backend while serving, by model, from and to.',
    labelNames: ['model', 'from', 'to'] as const,
    registers: [this.registry],
  });
  readonly #loads = new Counter({
    name: 'npu_first_model_loads_total',
    help: 'Model loads, by model and the backend that took it.',
    labelNames: ['model', 'backend'] as const,
    registers: [this.registry],
  });
  readonly loaded = new Gauge({
    name: 'npu_first_model_loaded',
    help: '1 while the model is loaded, by model.',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  readonly queued = new Gauge({
    name: 'npu_first_model_requests_in_queue',
    help: 'Requests running or waiting on a model.',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });

  request(r: RequestRecord): void {
    const status = String(r.status);
    this.#requests.inc({ route: r.route, model: r.model, backend: r.backend, status });
    this.#latency.observe({ route: r.route, model: r.model, backend: r.backend }, r.seconds);
    if (r.status >= 400)
      this.#errors.inc({ model: r.model, backend: r.backend, code: r.code ?? status });
    if (r.promptTokens)
      this.#tokens.inc({ model: r.model, backend: r.backend, kind: 'prompt' }, r.promptTokens);
    if (r.completionTokens)
      this.#tokens.inc(
        { model: r.model, backend: r.backend, kind: 'completion' },
        r.completionTokens,
      );
  }

  failover(model: string, from: string, to: string | null): void {
    this.#failovers.inc({ model, from, to: to ?? 'none' });
  }

  load(model: string, backend: string): void {
    this.#loads.inc({ model, backend });
    this.loaded.set({ model }, 1);
  }
}
