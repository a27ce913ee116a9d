// autocannon ships no types; the benchmark uses only this much of it.
declare module "autocannon" {
  interface Result {
    "2xx": number;
    non2xx: number;
    errors: number;
    timeouts: number;
    duration: number;
    latency: { p50: number; p99: number };
  }
  function autocannon(options: Record<string, unknown>): Promise<Result>;
  export default autocannon;
}
