// @ts-check
/**
 * The clock for delivery latency: `process.hrtime` reads the system's
 * monotonic clock (CLOCK_MONOTONIC on Linux, mach_absolute_time on macOS,
 * QueryPerformanceCounter on Windows), which every process on the machine
 * shares, so a server stamp and a consumer stamp compare directly without
 * an offset handshake. Milliseconds as a double (ns precision to ~104 days
 * of uptime).
 */
export function monotonicMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}
