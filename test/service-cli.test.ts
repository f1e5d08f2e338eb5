import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/create-db.js';
import { runCli } from './support/due.js';

/** `oversight db migrate`, `oversight import extract` and `oversight user create`, on SQLite. */

const extract = readFileSync('examples/extract.json', 'utf8');
let dir: string;
let env: Record<string, string>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'oversight-cli-'));
  env = { DATABASE_URL: join(dir, 'o.sqlite'), LOG_LEVEL: 'silent' };
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function count(table: 'children' | 'due_results' | 'accounts' | 'policy_versions') {
  const open = openDatabase({ kind: 'sqlite', file: env.DATABASE_URL ?? '' });
  try {
    const row = await open.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await open.close();
  }
}

describe('oversight db migrate', () => {
  it('applies every migration once', async () => {
    const first = await runCli(['db', 'migrate'], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Applied \d+ migrations:/);
    const second = await runCli(['db', 'migrate'], { env });
    expect(second.stdout).toBe('The database is up to date.\n');
  });
});

describe('oversight import extract', () => {
  it('loads the file, chooses the policy and reports what it added, then nothing changes the second time', async () => {
    const files = { 'extract.json': extract };
    const run = await runCli(['import', 'extract', '--policy', 'four-weekly', 'extract.json'], {
      env,
      files,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/children\s+5\s+0\s+0\s+0/);
    expect(run.stdout).toContain('Due dates are for 2026-11-24 under four-weekly.');
    expect(await count('children')).toBe(5);
    expect(await count('due_results')).toBeGreaterThan(0);
    const again = await runCli(['import', 'extract', 'extract.json'], { env, files });
    expect(again.stdout).toMatch(/children\s+0\s+0\s+5\s+0/);
    expect(await count('policy_versions')).toBe(1);
  });

  it('refuses a bad file with every problem, and writes nothing', async () => {
    const bad = JSON.stringify({
      children: [{ id: 'C1', involvements: [{ type: 'cp', start: '2026-02-30' }] }],
    });
    const run = await runCli(['import', 'extract', 'bad.json'], {
      env,
      files: { 'bad.json': bad },
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('bad.json: children[0].involvements[0].start');
    const migrated = await runCli(['db', 'migrate'], { env });
    expect(migrated.stdout).toMatch(/^Applied/);
  });

  it('refuses an unknown policy before reading the database', async () => {
    const run = await runCli(['import', 'extract', '--policy', 'nope', 'extract.json'], {
      env,
      files: { 'extract.json': extract },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nope: is not a preset policy');
  });
});

describe('oversight user create', () => {
  it('creates the first administrator with a password from standard input', async () => {
    const run = await runCli(['user', 'create', '--admin', '--email', 'First.Admin@Example.org'], {
      env,
      secret: 'a long enough password',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('Created an administrator account for First.Admin@Example.org.\n');
    expect(await count('accounts')).toBe(1);
    const twice = await runCli(
      ['user', 'create', '--admin', '--email', 'first.admin@example.org'],
      {
        env,
        secret: 'a long enough password',
      },
    );
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('there is already an account for first.admin@example.org');
  });

  it('refuses a short password, a missing email and an unknown person', async () => {
    const short = await runCli(['user', 'create', '--admin', '--email', 'a@example.org'], {
      env,
      secret: 'short',
    });
    expect(short.stderr).toContain('at least 12 characters');
    const noEmail = await runCli(['user', 'create', '--admin'], {
      env,
      secret: 'a long enough password',
    });
    expect(noEmail.stderr).toContain('--email');
    const nobody = await runCli(
      ['user', 'create', '--person', 'W404', '--email', 'b@example.org'],
      {
        env,
        secret: 'a long enough password',
      },
    );
    expect(nobody.stderr).toContain('there is no person with id W404');
  });
});
