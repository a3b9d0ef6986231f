import { describe, expect, it } from 'vitest';
import { parseWrk } from '../../bench/portal-api.ts';

// A real `wrk -t1 -c100 -d10s --latency` report from this machine (API run).
const report = `Running 10s test @ http://127.0.0.1:3111/api/progress
  1 threads and 100 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.77ms   39.61ms 763.02ms   98.59%
    Req/Sec    15.41k     2.07k   18.57k    82.00%
  Latency Distribution
     50%    5.81ms
     75%    6.38ms
     90%    7.44ms
     99%  154.13ms
  153390 requests in 10.00s, 7.77GB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  15335.38
Transfer/sec:    795.12MB
`;

describe('wrk report parsing (portal-api benchmark)', () => {
  it('reads throughput, mean and p99 latency in ms, non-2xx and socket errors', () => {
    expect(parseWrk(report)).toEqual({ requests: { average: 15335.38 }, latency: { p99: 154.13, average: 10.77 }, non2xx: 4, errors: 3 });
  });
  it('converts microseconds and seconds', () => {
    const r = parseWrk(report.replace('10.77ms', '950.00us').replace('154.13ms', '1.20s'));
    expect(r.latency.average).toBeCloseTo(0.95, 6);
    expect(r.latency.p99).toBe(1200);
  });
  it('refuses output it cannot read rather than inventing figures', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/cannot read wrk output/);
  });
});
