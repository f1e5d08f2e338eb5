import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { migrateToLatest, openDatabase } from '../../src/db/create-db.js';
import { setUpOrganisation } from '../../src/services/organisation.service.js';

/**
 * The compiled server (`npm start`, dist/src/server.js) in production mode refuses to start with
 * the demo's data, a default secret or an http public address, and says which; with everything
 * right it starts. (Each variable's own rule is in test/config.test.ts.)
 */

const PRODUCTION = {
  NODE_ENV: 'production',
  COUNCIL_NAME: 'Anytown Council',
  COOKIE_SECRET: 'a-long-random-secret-for-this-test-only-0123456789',
  PUBLIC_URL: 'https://oversight.anytown.example',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

interface Outcome {
  /** The exit code, or 'listening' when it started (it is then stopped). */
  exit: number | 'listening';
  output: string;
}

/** Starts the server; waits until it exits or answers /health, then stops it. */
async function start(env: Record<string, string>): Promise<Outcome> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/server.js'], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code) => {
      resolve(code ?? -1);
    });
  });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) return { exit: await exited, output };
    const ok = await fetch(`http://127.0.0.1:${String(port)}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) {
      child.kill('SIGTERM');
      await exited;
      return { exit: 'listening', output };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the server neither started nor stopped: ${output}`);
}

describe('a production start', () => {
  const folder = mkdtempSync(join(tmpdir(), 'oversight-production-'));
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('refuses a database holding the demo organisation, saying so, with exit code 2', async () => {
    const file = join(folder, 'demo.sqlite');
    const open = openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(open.db);
    await setUpOrganisation(open.db, fixedClock('2026-11-24'), {
      demo: true,
      councilName: 'Demo Borough Council',
      supervisionHistory: false,
    });
    await open.close();
    const refused = await start({ ...PRODUCTION, DATABASE_URL: file });
    expect(refused.exit).toBe(2);
    expect(refused.output).toContain('DATABASE_URL: this database holds the demo organisation');
    // The same database outside production starts (so the refusal is production's, not the file's).
    const development = await start({ ...PRODUCTION, NODE_ENV: 'development', DATABASE_URL: file });
    expect(development.exit).toBe('listening');
  }, 60_000);

  it('refuses a default secret, demo data and an http public address, naming each', async () => {
    const file = join(folder, 'refused.sqlite');
    const refused = await start({
      ...PRODUCTION,
      DATABASE_URL: file,
      COOKIE_SECRET: 'oversight-development-only-secret-do-not-use',
      DEMO: 'true',
      PUBLIC_URL: 'http://oversight.anytown.example',
    });
    expect(refused.exit).toBe(2);
    expect(refused.output).toContain('COOKIE_SECRET: required in production');
    expect(refused.output).toContain('DEMO: the demo organisation is never created in production');
    expect(refused.output).toContain('PUBLIC_URL: must be an https:// address in production');
  }, 60_000);

  it('starts on a new database with everything set', async () => {
    const started = await start({ ...PRODUCTION, DATABASE_URL: join(folder, 'new.sqlite') });
    expect(started.output).not.toContain('DEMO');
    expect(started.exit).toBe('listening');
  }, 60_000);
});
