/** autocannon runs with exact p50/p95/p99 (autocannon's own summary has no p95), and wire sizes. */
import http from 'node:http';
import autocannon from 'autocannon';

export type Measure = { rps: number; p50: number; p95: number; p99: number; requests: number; errors: number; non2xx: number };

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function load(opts: {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Buffer;
  /**
   * Makes each request's body different (e.g. a new candidate each time): called with the
   * connection's own copy of `body` and the request's number, it writes into that copy in place.
   * A connection sends one request at a time, so its copy is never changed while being sent,
   * and no request costs the load generator an allocation or a copy of the body.
   */
  vary?: (body: Buffer, n: number) => void;
  /** Status codes that count as success (a POST-redirect-GET answers 303). */
  okStatus?: number[];
}): Promise<Measure> {
  const latencies: number[] = [];
  let non2xx = 0;
  let sent = 0;
  const ok = new Set(opts.okStatus ?? [200]);
  const instance = autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    method: opts.method ?? 'GET',
    headers: opts.headers,
    body: opts.body,
    ...(opts.vary && opts.body
      ? {
          // Each connection keeps the request autocannon built for it once (headers and body in
          // one buffer) and its body is changed in place right before each send: a connection
          // sends its next request only once the previous one was answered, so the buffer is
          // never changed while in flight. (A setupRequest instead makes autocannon build a new
          // 2 MB buffer per request: the generator's garbage collector, over its heap holding
          // the dataset, then took 0.7 of a core from the measured app.)
          setupClient: (client: { on(event: 'request', fn: () => void): void; getRequestBuffer(): Buffer }) => {
            const vary = opts.vary!;
            const length = opts.body!.length;
            client.on('request', () => {
              const buffer = client.getRequestBuffer();
              vary(buffer.subarray(buffer.length - length), sent++);
            });
          },
        }
      : {}),
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    if (!ok.has(statusCode)) non2xx++;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / opts.seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    requests: latencies.length,
    errors: result.errors + result.timeouts,
    non2xx,
  };
}

/** Bytes of one response as a browser asking for gzip receives them: body on the wire, and decoded size. */
export function wireSize(url: string, headers: Record<string, string>): Promise<{ status: number; wire: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { ...headers, 'accept-encoding': 'gzip' } }, (res) => {
      let wire = 0;
      res.on('data', (chunk: Buffer) => (wire += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, wire, encoding: String(res.headers['content-encoding'] ?? 'identity') }));
    });
    req.on('error', reject);
  });
}
