import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { fixedClock } from '../src/clock.js';
import { openDatabase, type DatabaseTarget } from '../src/db/create-db.js';
import { ensureCurrent, invalidateAll } from '../src/services/due.service.js';
import { writeExtract, type GenerateSummary } from './generate-extract.js';
import { choosePages, giveStructure } from './web-structure.js';

/**
 * `npm run bench:web`: the web service under load on a council-scale database.
 *
 * Generates the engine benchmark's extract (same defaults and seed), loads it with the real
 * `oversight import extract` into a fresh database, gives it a structure (bench/web-structure.ts)
 * and recomputes the due dates, then starts the real service (`node dist/src/server.js`,
 * production mode) and measures, with autocannon over a signed-in director's session, the
 * directorate, a service, a mid-sized team, an open child and /health (the ceiling), each in
 * two phases: latency (p50, p95, p99) at a steady load, requests one at a time, 20 a second
 * (--rate; several times the busiest hour of a large council), which the targets are checked
 * against; then flat out over 10 connections (--connections), for the most requests per second
 * it serves and the latency when it is saturated.
 * Also the service's peak memory. SQLite always;
 * PostgreSQL too with --postgres URL or TEST_DATABASE_URL (a database is created and dropped).
 *
 * Progress goes to standard error; the last line on standard output is one JSON object with the
 * figures and the targets. Exits 1 if any response was not a 200 (not for a missed target).
 */

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '100000' },
    workers: { type: 'string', default: '6000' },
    'foster-carers': { type: 'string', default: '3000' },
    teams: { type: 'string', default: '300' },
    'as-of': { type: 'string', default: '2026-11-24' },
    seed: { type: 'string', default: '20261124' },
    /** Seconds of load per page and phase, and concurrent connections. */
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    /**
     * The steady load at which latency is measured against the targets: requests one at a time,
     * this many a second (autocannon's rate over several connections fires them in bursts, which
     * measures queueing, not a page); the ceiling is then measured flat out.
     */
    rate: { type: 'string', default: '20' },
    /** A PostgreSQL server to create the benchmark's database in (else TEST_DATABASE_URL). */
    postgres: { type: 'string' },
    /** Skip SQLite (e.g. to measure PostgreSQL alone). */
    'postgres-only': { type: 'boolean', default: false },
    /** The service's LOG_LEVEL; production's default is info. */
    'log-level': { type: 'string', default: 'info' },
    /** Reuse an extract written before (made with the same options) instead of generating one. */
    extract: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

const asOf = values['as-of'];
const seed = Number(values.seed);
const duration = Number(values.duration);
const connections = Number(values.connections);
const rate = Number(values.rate);
const postgresUrl = values.postgres ?? process.env.TEST_DATABASE_URL;
const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin', 'oversight.js');
const serverJs = join(root, 'dist', 'src', 'server.js');
const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

// Targets on the project's 2-core machine (SQLite): p95 of a team or child page ≤ 50 ms, of the
// directorate ≤ 100 ms; the service under 500 MB.
const TARGETS = { teamP95Ms: 50, childP95Ms: 50, directorateP95Ms: 100, peakRssMb: 500 };

const PAGE_NAMES = ['directorate', 'service', 'team', 'child', 'health'] as const;
type PageName = (typeof PAGE_NAMES)[number];

interface PageFigures {
  /** Latency at the steady load (`rate` requests per second over `connections` connections). */
  p50: number;
  p95: number;
  p99: number;
  /** The ceiling: requests per second flat out over `connections` connections, and its latency. */
  rps: number;
  ceiling: { p50: number; p95: number; p99: number };
  requests: number;
  /** Responses other than 200, and connection errors and timeouts. */
  failed: number;
  /** The service's CPU time (user and system) per request: steadier than latency on a busy machine. */
  cpuMsPerRequest: number;
}

interface DatabaseFigures {
  importSeconds: number;
  importPeakRssMb: number;
  structureSeconds: number;
  recomputeSeconds: number;
  /** PostgreSQL: `vacuum (analyze)` after the recompute, as autovacuum would do. */
  vacuumSeconds?: number;
  peakRssMb: number;
  urls: Record<PageName, string>;
  pages: Record<PageName, PageFigures>;
}

// ---------------------------------------------------------------------------------------------
// Processes

/** The peak resident memory (VmHWM) of a running process, in MB; undefined once it has gone. */
function peakRssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return match === null ? undefined : Math.round(Number(match[1]) / 1024);
  } catch {
    return undefined;
  }
}

/** Follows a process's VmHWM while it runs, so its peak is known after it exits. */
function followPeak(pid: number): { stop(): number } {
  let peak = 0;
  const poll = () => {
    peak = Math.max(peak, peakRssMb(pid) ?? 0);
  };
  const timer = setInterval(poll, 100);
  poll();
  return {
    stop() {
      clearInterval(timer);
      poll();
      return peak;
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

const cookieSecret = randomBytes(32).toString('base64url');

function serviceEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // The service's own settings only: not the demo, another address or the tests' database.
  const { DEMO: _demo, PUBLIC_URL: _url, TEST_DATABASE_URL: _test, ...env } = process.env;
  return {
    ...env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    COUNCIL_NAME: 'Benchmark Borough Council',
    COOKIE_SECRET: cookieSecret,
    ...extra,
  };
}

/** `oversight import extract`, timed, with the command's peak memory. */
async function runImport(
  databaseUrl: string,
  file: string,
): Promise<{ seconds: number; peakRssMb: number; output: string }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [cli, 'import', 'extract', '--policy', 'four-weekly', '--as-of', asOf, file],
    { cwd: root, env: serviceEnv(databaseUrl), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const peak = followPeak(child.pid ?? 0);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  const [code] = (await once(child, 'exit')) as [number | null];
  const peakRss = peak.stop();
  if (code !== 0)
    throw new Error(`oversight import extract failed (exit ${String(code)}):\n${output}`);
  return { seconds: seconds(performance.now() - started), peakRssMb: peakRss, output };
}

// ---------------------------------------------------------------------------------------------
// HTTP

class Cookies {
  private readonly jar = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (at > 0) this.jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }
  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  has(name: string): boolean {
    return (this.jar.get(name) ?? '') !== '';
  }
}

async function waitForHealth(base: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60 * 60 * 1000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `the service exited (${String(child.exitCode)}):\n${readFileSync(logFile, 'utf8').slice(-4000)}`,
      );
    try {
      const response = await fetch(`${base}/health`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error('the service did not become healthy in an hour');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function signIn(base: string, email: string, password: string): Promise<string> {
  const cookies = new Cookies();
  const form = await fetch(`${base}/sign-in`, { redirect: 'manual' });
  cookies.take(form);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (form.status !== 200 || token === undefined)
    throw new Error(`GET /sign-in gave ${String(form.status)} without a _csrf field`);
  const response = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.header() },
    body: new URLSearchParams({ _csrf: token, email, password, returnTo: '/directorate' }),
  });
  cookies.take(response);
  if (response.status !== 303 || !cookies.has('oversight_session'))
    throw new Error(`signing in gave ${String(response.status)} and no session`);
  return cookies.header();
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[index] ?? NaN) * 10) / 10;
}

/** Loads one URL for `duration` seconds; percentiles from every response's own latency. */
/** CPU time a process has used, in ms (utime and stime from /proc/<pid>/stat). */
function cpuMs(pid: number): number {
  const fields =
    readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
      .split(') ')[1]
      ?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of stat, the 12th and 13th after the command name;
  // in clock ticks, 100 a second on Linux.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Phase {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  requests: number;
  failed: number;
  cpuMs: number;
}

/** Latency at the steady load, then the ceiling flat out. */
async function measure(url: string, cookie: string, pid: number): Promise<PageFigures> {
  const steady = await phase(url, cookie, pid, { connections: 1, overallRate: rate });
  const ceiling = await phase(url, cookie, pid, { connections });
  return {
    p50: steady.p50,
    p95: steady.p95,
    p99: steady.p99,
    rps: ceiling.rps,
    ceiling: { p50: ceiling.p50, p95: ceiling.p95, p99: ceiling.p99 },
    requests: steady.requests + ceiling.requests,
    failed: steady.failed + ceiling.failed,
    cpuMsPerRequest:
      Math.round(
        ((steady.cpuMs + ceiling.cpuMs) / Math.max(1, steady.requests + ceiling.requests)) * 100,
      ) / 100,
  };
}

async function phase(
  url: string,
  cookie: string,
  pid: number,
  load: { connections: number; overallRate?: number },
): Promise<Phase> {
  const cpuBefore = cpuMs(pid);
  const latencies: number[] = [];
  let notOk = 0;
  const statuses = new Map<number, number>();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        duration,
        headers: { cookie },
        timeout: 30,
        ...load,
      },
      (error: unknown, done: autocannon.Result) => {
        if (error)
          reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
        else resolve(done);
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode !== 200) {
        notOk++;
        statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      }
    });
  });
  latencies.sort((a, b) => a - b);
  const failed = notOk + result.errors + result.timeouts;
  if (failed > 0)
    log(
      `  FAILED RESPONSES on ${url}: ${[...statuses].map(([s, n]) => `${String(n)} × ${String(s)}`).join(', ') || 'none'}; ${String(result.errors)} errors, ${String(result.timeouts)} timeouts`,
    );
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rps: Math.round((latencies.length / result.duration) * 10) / 10,
    requests: latencies.length,
    failed,
    cpuMs: cpuMs(pid) - cpuBefore,
  };
}

// ---------------------------------------------------------------------------------------------
// One database

async function benchDatabase(
  kind: 'sqlite' | 'postgres',
  target: DatabaseTarget,
  databaseUrl: string,
  file: string,
  dir: string,
): Promise<DatabaseFigures> {
  log(`[${kind}] importing with oversight import extract --policy four-weekly --as-of ${asOf}`);
  const imported = await runImport(databaseUrl, file);
  log(
    `[${kind}] imported in ${String(imported.seconds)} s, command peak ${String(imported.peakRssMb)} MB`,
  );

  const email = 'director@benchmark.example';
  const password = randomBytes(18).toString('base64url');
  const open = openDatabase(target);
  let structureSeconds: number;
  let recomputeSeconds: number;
  let vacuumSeconds: number | undefined;
  let pages: Awaited<ReturnType<typeof choosePages>>;
  try {
    let started = performance.now();
    const structure = await giveStructure(open.db, {
      seed,
      asOf,
      now: new Date().toISOString(),
      directorEmail: email,
      directorPassword: password,
    });
    structureSeconds = seconds(performance.now() - started);
    log(
      `[${kind}] structure in ${String(structureSeconds)} s: ${String(structure.services)} services, ${String(structure.teams)} teams, ` +
        `${String(structure.workers)} workers (${String(structure.teamManagers)} team managers), ${String(structure.children)} children allocated ` +
        `(${String(structure.openChildren)} open), ${String(structure.fosterCarers)} foster carers, a director`,
    );
    started = performance.now();
    await invalidateAll(open.db);
    await ensureCurrent(open.db, fixedClock(asOf));
    recomputeSeconds = seconds(performance.now() - started);
    log(`[${kind}] recomputed every due date for ${asOf} in ${String(recomputeSeconds)} s`);
    if (kind === 'postgres') {
      // What autovacuum does a minute or two after a bulk load, done now rather than while the
      // pages are measured: planner statistics, and the visibility map for index-only scans.
      started = performance.now();
      await sql`vacuum (analyze)`.execute(open.db);
      vacuumSeconds = seconds(performance.now() - started);
      log(`[${kind}] vacuum (analyze) in ${String(vacuumSeconds)} s`);
    }
    pages = await choosePages(open.db);
  } finally {
    await open.close();
  }

  const port = await freePort();
  const base = `http://127.0.0.1:${String(port)}`;
  const logFile = join(dir, `service-${kind}.log`);
  const logFd = openSync(logFile, 'w');
  const server = spawn(process.execPath, [serverJs], {
    cwd: root,
    env: serviceEnv(databaseUrl, {
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: values['log-level'],
    }),
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const pid = server.pid ?? 0;
  try {
    let started = performance.now();
    await waitForHealth(base, server, logFile);
    log(
      `[${kind}] service healthy at ${base} after ${String(seconds(performance.now() - started))} s (pid ${String(pid)}, log ${logFile})`,
    );
    const cookie = await signIn(base, email, password);
    const urls: Record<PageName, string> = {
      directorate: `${base}/directorate`,
      service: `${base}/services/${encodeURIComponent(pages.serviceId)}`,
      team: `${base}/teams/${encodeURIComponent(pages.teamId)}`,
      child: `${base}/children/${encodeURIComponent(pages.childId)}`,
      health: `${base}/health`,
    };
    // The first request may wait for a recompute for today (the data was imported as of asOf).
    for (const name of PAGE_NAMES) {
      started = performance.now();
      const response = await fetch(urls[name], { headers: { cookie }, redirect: 'manual' });
      await response.arrayBuffer();
      if (response.status !== 200)
        throw new Error(`warming up ${urls[name]} gave ${String(response.status)}`);
      log(
        `[${kind}] warmed up ${name} (${urls[name].slice(base.length)}) in ${String(Math.round(performance.now() - started))} ms`,
      );
    }
    const figures = {} as Record<PageName, PageFigures>;
    for (const name of PAGE_NAMES) {
      figures[name] = await measure(urls[name], cookie, pid);
      const f = figures[name];
      log(
        `[${kind}] ${name.padEnd(11)} one at a time, ${String(rate)} a second: p50 ${String(f.p50)} ms, p95 ${String(f.p95)} ms, p99 ${String(f.p99)} ms; ` +
          `flat out: ${String(f.rps)} req/s (p95 ${String(f.ceiling.p95)} ms) over ${String(duration)} s × ${String(connections)} connections, ` +
          `service CPU ${String(f.cpuMsPerRequest)} ms/request` +
          (f.failed > 0 ? `, ${String(f.failed)} FAILED` : ''),
      );
    }
    const peak = peakRssMb(pid) ?? NaN;
    log(`[${kind}] service peak memory (VmHWM) ${String(peak)} MB`);
    return {
      importSeconds: imported.seconds,
      importPeakRssMb: imported.peakRssMb,
      structureSeconds,
      recomputeSeconds,
      ...(vacuumSeconds === undefined ? {} : { vacuumSeconds }),
      peakRssMb: peak,
      urls: Object.fromEntries(
        PAGE_NAMES.map((name) => [name, urls[name].slice(base.length)]),
      ) as Record<PageName, string>,
      pages: figures,
    };
  } finally {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 15_000);
      await once(server, 'exit');
      clearTimeout(timer);
    }
  }
}

/** A new, empty PostgreSQL database for one run, dropped afterwards. */
async function createPostgresDatabase(
  adminUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `oversight_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------

function targetsOf(figures: DatabaseFigures) {
  const check = (value: number, target: number) => ({ value, target, met: value <= target });
  const targets = {
    teamP95Ms: check(figures.pages.team.p95, TARGETS.teamP95Ms),
    childP95Ms: check(figures.pages.child.p95, TARGETS.childP95Ms),
    directorateP95Ms: check(figures.pages.directorate.p95, TARGETS.directorateP95Ms),
    peakRssMb: {
      value: figures.peakRssMb,
      target: TARGETS.peakRssMb,
      met: figures.peakRssMb < TARGETS.peakRssMb,
    },
  };
  return { ...targets, met: Object.values(targets).every((t) => t.met) };
}

const dir = mkdtempSync(join(tmpdir(), 'oversight-web-bench-'));
const results: { sqlite?: DatabaseFigures; postgres?: DatabaseFigures } = {};
let summary: GenerateSummary | undefined;
try {
  let file = values.extract;
  if (file === undefined || !existsSync(file)) {
    file = join(dir, 'extract.json');
    const started = performance.now();
    summary = await writeExtract(file, {
      seed,
      asOf,
      children: Number(values.children),
      workers: Number(values.workers),
      fosterCarers: Number(values['foster-carers']),
      teams: Number(values.teams),
      years: 10,
    });
    log(
      `generated ${file}: ${String(summary.children)} children (${String(summary.openChildren)} open on ${asOf}), ` +
        `${String(summary.workers)} workers, ${String(summary.fosterCarers)} foster carers, ${String(summary.teams)} teams, ` +
        `${String(summary.events)} events, ${(summary.bytes / 1e6).toFixed(0)} MB in ${String(seconds(performance.now() - started))} s`,
    );
  } else log(`reusing the extract ${file}`);

  if (!values['postgres-only']) {
    const sqliteFile = join(dir, 'oversight.sqlite');
    results.sqlite = await benchDatabase(
      'sqlite',
      { kind: 'sqlite', file: sqliteFile },
      sqliteFile,
      file,
      dir,
    );
  }
  if (postgresUrl !== undefined) {
    const database = await createPostgresDatabase(postgresUrl);
    log(`[postgres] created ${new URL(database.url).pathname.slice(1)}`);
    try {
      results.postgres = await benchDatabase(
        'postgres',
        { kind: 'postgres', url: database.url },
        database.url,
        file,
        dir,
      );
    } finally {
      if (!values.keep) await database.drop();
      else log(`[postgres] kept ${database.url}`);
    }
  } else log('PostgreSQL skipped: give --postgres URL or set TEST_DATABASE_URL');
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else log(`kept ${dir}`);
}

const failed = Object.values(results).reduce(
  (n, r) => n + Object.values(r.pages).reduce((m, p) => m + p.failed, 0),
  0,
);
const targets = {
  ...(results.sqlite ? { sqlite: targetsOf(results.sqlite) } : {}),
  // The targets are set for SQLite; PostgreSQL's are reported against the same figures.
  ...(results.postgres ? { postgres: targetsOf(results.postgres) } : {}),
};
for (const [kind, t] of Object.entries(targets)) {
  const missed = Object.entries(t).filter(
    (e): e is [string, { value: number; target: number; met: boolean }] =>
      typeof e[1] === 'object' && !e[1].met,
  );
  log(
    missed.length === 0
      ? `[${kind}] targets met: team and child p95 ≤ 50 ms, directorate p95 ≤ 100 ms, service < 500 MB`
      : `[${kind}] TARGETS MISSED: ${missed.map(([k, v]) => `${k} ${String(v.value)} (target ${String(v.target)})`).join(', ')}`,
  );
}
if (failed > 0) log(`${String(failed)} responses FAILED (not 200): see above`);
process.stdout.write(
  `${JSON.stringify({
    extract: {
      children: Number(values.children),
      workers: Number(values.workers),
      fosterCarers: Number(values['foster-carers']),
      teams: Number(values.teams),
      ...(summary ? { events: summary.events, openChildren: summary.openChildren } : {}),
      asOf,
      seed,
    },
    load: {
      durationSeconds: duration,
      steady: { connections: 1, requestsPerSecond: rate },
      flatOut: { connections },
    },
    ...results,
    targets,
    failedResponses: failed,
  })}\n`,
);
if (failed > 0) process.exitCode = 1;
