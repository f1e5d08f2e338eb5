import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Nothing saved is lost: the real server (the compiled `npm start`), on its own SQLite file,
 * is killed with SIGKILL while a supervisor's saves are arriving as fast as it answers them.
 * Started again on the same file, every save it had acknowledged is there, word for word, and
 * the database is intact.
 */

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

interface Running {
  process: ChildProcess;
  base: string;
}

async function start(file: string): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/server.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: file,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const base = `http://127.0.0.1:${String(port)}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the server stopped: ${output}`);
    const ok = await fetch(`${base}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { process: child, base };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not start: ${output}`);
}

/** A browser's cookies and the last page's CSRF token. */
class Client {
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(public base: string) {}

  private keep(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name !== undefined) this.cookies.set(name.trim(), value.join('='));
    }
  }

  private get cookie() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string): Promise<string> {
    const response = await fetch(`${this.base}${path}`, {
      headers: { cookie: this.cookie },
      redirect: 'manual',
    });
    this.keep(response);
    const body = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(body);
    if (token?.[1] !== undefined) this.csrf = token[1];
    return body;
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    const response = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, _csrf: this.csrf }).toString(),
      redirect: 'manual',
    });
    this.keep(response);
    return response;
  }
}

describe('killing the server while a record is being written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oversight-kill-'));
  const file = join(dir, 'oversight.sqlite');
  const running: ChildProcess[] = [];

  afterAll(() => {
    for (const p of running) if (p.exitCode === null) p.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing it had acknowledged', async () => {
    const first = await start(file);
    running.push(first.process);
    const tm = new Client(first.base);
    await tm.get('/sign-in');
    const signIn = await tm.post('/sign-in', {
      email: 'tm@demo.example',
      password: 'oversight-demo',
      returnTo: '/',
    });
    expect(signIn.status).toBe(303);
    await tm.get('/supervision/new/individual');
    const sw = /<option value="([^"]+)">[^<]*\(Social worker\)/.exec(
      await tm.get('/supervision/new/individual'),
    )?.[1];
    expect(sw).toBeDefined();
    const created = await tm.post('/supervision/new/individual', {
      supervisee: sw ?? '',
      'date-day': '2',
      'date-month': '11',
      'date-year': '2026',
    });
    expect(created.status).toBe(303);
    const id = (created.headers.get('location') ?? '').split('/')[2] ?? '';
    await tm.get(`/supervision/${id}/personal`);

    // Saves one after another, each carrying the revision the last one returned, until the kill.
    // Shared with the writing loop, which runs until the kill.
    const state: { acknowledged: { revision: number; text: string } | null; stop: boolean } = {
      acknowledged: null,
      stop: false,
    };
    const stopped = () => state.stop;
    let revision = 0;
    const writing = (async () => {
      for (let n = 1; !stopped(); n++) {
        const text = `Draft ${String(n)}: ${'wellbeing and support '.repeat(40)}end`;
        try {
          const response = await tm.post(`/supervision/${id}/personal`, {
            revision: String(revision),
            wellbeing: text,
            absence: `Leave noted in save ${String(n)}`,
            next: 'tasks',
          });
          if (response.status !== 303)
            throw new Error(`save ${String(n)}: ${String(response.status)}`);
          revision += 1;
          state.acknowledged = { revision, text };
        } catch (error) {
          if (stopped()) return;
          throw error;
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    first.process.kill('SIGKILL');
    state.stop = true;
    await writing.catch(() => undefined);
    await new Promise<void>((resolve) => {
      if (first.process.exitCode !== null || first.process.signalCode !== null) resolve();
      else
        first.process.once('exit', () => {
          resolve();
        });
    });
    const saved = state.acknowledged;
    // Many saves were acknowledged before the kill, so it came in the middle of writing.
    expect(saved?.revision ?? 0).toBeGreaterThan(5);

    // The file is whole, and holds at least what was acknowledged (a save in flight at the kill
    // may have committed without its answer arriving: then it is the next one, complete).
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    const second = await start(file);
    running.push(second.process);
    tm.base = second.base;
    const page = await tm.get(`/supervision/${id}/personal`);
    expect(page).toContain('Personal (confidential)');
    const row = new Database(file, { readonly: true });
    const personal = row
      .prepare('select wellbeing, absence from session_personal where session_id = ?')
      .get(id) as { wellbeing: string; absence: string };
    const section = row
      .prepare("select revision from draft_sections where session_id = ? and section = 'personal'")
      .get(id) as { revision: number };
    row.close();
    expect(section.revision).toBeGreaterThanOrEqual(saved?.revision ?? 0);
    if (section.revision === saved?.revision) expect(personal.wellbeing).toBe(saved.text);
    else expect(personal.wellbeing).toMatch(/^Draft \d+: (wellbeing and support ){40}end$/);
    expect(personal.absence).toMatch(/^Leave noted in save \d+$/);
    // What the page shows is what is stored.
    expect(page).toContain(personal.absence);
    second.process.kill('SIGTERM');
  }, 120_000);
});
