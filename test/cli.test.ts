import { execFile } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadPreset } from '../src/policies/index.js';
import { runCli } from './support/due.js';

const run = promisify(execFile);

const EXTRACT = JSON.stringify({
  children: [
    {
      id: 'C1',
      dateOfBirth: '2009-03-14',
      involvements: [{ type: 'cin', start: '2026-01-05', end: null }],
      events: [{ date: '2026-01-20', kind: 'case-supervision' }],
    },
    { id: 'C7', involvements: [{ type: 'cwd-review', start: '2026-02-01' }] },
  ],
});

/** One child on a plan from 1 Jan 2026 (overdue on 24 Nov), one from 1 Nov (on track). */
const TWO_PLANS = JSON.stringify({
  children: [
    { id: 'A', involvements: [{ type: 'cp', start: '2026-11-01' }] },
    { id: 'B', involvements: [{ type: 'cp', start: '2026-01-01' }] },
  ],
});

function noStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  expect(text).not.toMatch(/node:internal|\.ts:\d+|\.js:\d+/);
}

describe('oversight due', () => {
  it('prints the result document of §7 as JSON when not on a terminal', async () => {
    const out = await runCli(['due', '--policy', 'camden', '--as-of', '2026-11-24', 'x.json'], {
      files: { 'x.json': EXTRACT },
    });
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({
      asOf: '2026-11-24',
      policy: 'camden',
      results: [
        {
          subject: 'child',
          id: 'C1',
          requirement: 'case-supervision',
          status: 'overdue',
          due: '2026-03-20',
          latest: '2026-03-20',
          lastEvent: '2026-01-20',
          rules: ['cin'],
          setBy: { kind: 'event', date: '2026-01-20' },
          reason: 'Child in Need, every 2 months, from the supervision on 20 Jan 2026',
        },
      ],
      warnings: [
        {
          subject: 'child',
          id: 'C7',
          message: 'cwd-review is open but policy camden has no rule for it',
        },
      ],
    });
  });

  it('accepts a file that starts with a UTF-8 byte-order mark, as spreadsheet tools write them', async () => {
    const out = await runCli(['due', '--policy', 'camden', '--as-of', '2026-11-24', 'x.json'], {
      files: { 'x.json': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(EXTRACT)]) },
    });
    expect(out.code).toBe(0);
    expect((JSON.parse(out.stdout) as { results: unknown[] }).results).toHaveLength(1);
  });

  it('reads standard input for "-" and defaults --as-of to today in London', async () => {
    const out = await runCli(['due', '--policy', 'camden', '-'], {
      stdin: EXTRACT,
      today: '2026-02-01',
    });
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as { asOf: string; results: { status: string }[] };
    expect(report.asOf).toBe('2026-02-01');
    expect(report.results[0]?.status).toBe('on-track');
  });

  it('prints a table a manager can read on a terminal, overdue first, dates written out', async () => {
    const out = await runCli(['due', '--policy', 'camden', '--as-of', '2026-11-24', 'x.json'], {
      files: { 'x.json': TWO_PLANS },
      terminal: true,
    });
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toBe('Policy camden, as of 24 Nov 2026: 2 results (1 overdue, 1 on track)');
    expect(lines[2]).toMatch(/^STATUS\s+SUBJECT\s+ID\s+REQUIREMENT\s+DUE/);
    expect(lines[4]).toMatch(/^OVERDUE \(296 days\)\s+child\s+B\s+case-supervision\s+1 Feb 2026/);
    expect(lines[5]).toMatch(/^on track\s+child\s+A\s+case-supervision\s+1 Dec 2026/);
  });

  it('puts each reason on a line of its own when the terminal is too narrow for the row', async () => {
    const out = await runCli(['due', '--policy', 'camden', '--as-of', '2026-11-24', 'x.json'], {
      files: { 'x.json': TWO_PLANS },
      terminal: true,
      columns: 80,
    });
    const lines = out.stdout.split('\n');
    expect(lines[4]).toMatch(
      /^OVERDUE \(296 days\)\s+child\s+B\s+case-supervision\s+1 Feb 2026\s+-$/,
    );
    expect(lines[5]).toBe(
      '    Child Protection plan, first within 1 month, from its start on 1 Jan 2026',
    );
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('wraps long warnings to a narrow terminal', async () => {
    const extract = JSON.stringify({ fosterCarers: [{ id: 'DEMO-F01', start: '2024-01-01' }] });
    const out = await runCli(['due', '--policy', 'camden', '--as-of', '2026-11-24', 'x.json'], {
      files: { 'x.json': extract },
      terminal: true,
      columns: 60,
    });
    expect(out.stdout.split('\n').slice(3, -1)).toEqual([
      'Warnings (1): no due date is given for these',
      '  foster carer DEMO-F01: is approved, but policy camden',
      '    sets no supervision for foster carers that applies',
    ]);
  });

  it('prints CSV with one row per result, and the warnings on standard error', async () => {
    const out = await runCli(
      ['due', '--policy', 'camden', '--as-of', '2026-11-24', '--format', 'csv', 'x.json'],
      {
        files: { 'x.json': EXTRACT },
      },
    );
    expect(out.code).toBe(0);
    expect(out.stdout.split('\r\n')).toEqual([
      'subject,id,requirement,periodStart,status,due,latest,lastEvent,met,onTime,rules,setByKind,setByDate,reason',
      'child,C1,case-supervision,,overdue,2026-03-20,2026-03-20,2026-01-20,,,cin,event,2026-01-20,"Child in Need, every 2 months, from the supervision on 20 Jan 2026"',
      '',
    ]);
    expect(out.stderr).toBe(
      'warning: child C7: cwd-review is open but policy camden has no rule for it\n',
    );
  });

  it('takes a council policy file instead of a preset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oversight-'));
    const file = join(dir, 'ours.yaml');
    writeFileSync(
      file,
      [
        'id: ours',
        'name: Our policy',
        'description: Every child on a plan every 3 weeks.',
        'sourceDocument: ours.docx',
        'rules:',
        '  case-supervision:',
        '    - id: cp',
        '      label: Child Protection plan',
        '      when: { involvement: [cp] }',
        '      every: 3 weeks',
        '      source: CP every 3 weeks',
      ].join('\n'),
    );
    const extract = JSON.stringify({
      children: [{ id: 'C1', involvements: [{ type: 'cp', start: '2026-11-02' }] }],
    });
    const out = await runCli(['due', '--policy', file, '--as-of', '2026-11-24', 'x.json'], {
      files: { 'x.json': extract },
    });
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as { policy: string; results: { due: string }[] };
    expect(report.policy).toBe('ours');
    expect(report.results[0]?.due).toBe('2026-11-23');
  });
});

describe('bad input: exit 2, every problem with its place, nothing on standard output', () => {
  async function bad(args: string[], files: Record<string, string | Buffer>, stdin?: string) {
    const out = await runCli(args, { files, ...(stdin !== undefined ? { stdin } : {}) });
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    noStackTrace(out.stderr);
    return out.stderr;
  }
  const dueArgs = ['due', '--policy', 'camden', '--as-of', '2026-11-24', 'in.json'];

  it('truncated JSON, with the line and column', async () => {
    const stderr = await bad(dueArgs, { 'in.json': '{"children": [\n  {"id": "C1",' });
    expect(stderr).toBe(
      'in.json: is not valid JSON: it ends (at line 2) before the document is complete; is the file cut short?\n',
    );
  });

  it('an empty file', async () => {
    expect(await bad(dueArgs, { 'in.json': '' })).toBe(
      'in.json: is empty: an extract is a JSON object\n',
    );
    expect(await bad(dueArgs, { 'in.json': '  \n' })).toBe(
      'in.json: is empty: an extract is a JSON object\n',
    );
  });

  it('a missing file', async () => {
    expect(await bad(dueArgs, {})).toBe('in.json: no such file\n');
  });

  it('a document that is not an object', async () => {
    expect(await bad(dueArgs, { 'in.json': '[1, 2]' })).toBe(
      'in.json: the extract must be a JSON object\n',
    );
  });

  it('lists every problem, each with its JSON path', async () => {
    const extract = {
      children: [
        {
          id: 'C1',
          involvements: [
            { type: 'cin', start: '2026-02-30' },
            { type: 'chin', start: '2026-01-01', end: '2025-12-31' },
            { start: '2026-01-01' },
          ],
          placements: [
            { type: 'foster', start: '2026-03-01', end: '2026-02-01', stablefrom: '2026-04-01' },
          ],
          risk: [
            { level: 'low', from: '2026-01-01' },
            { level: 'high', from: '2026-01-01' },
          ],
          events: [{ date: '2026-01-05', kind: 'individual' }],
        },
        { id: 'C1' },
      ],
      workers: [{ id: 'W1', start: '2026-01-01', earlyCareer: {} }],
      teams: [{ id: 'T1', start: '2026-01-01', groupSupervision: 'yes' }],
      fosterCarers: [{ id: 'F1', start: '2026-01-01', end: '2025-01-01' }],
      extra: true,
    };
    const stderr = await bad(dueArgs, { 'in.json': JSON.stringify(extract) });
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe(`in.json: ${lines.length - 1} problems`);
    expect(lines.slice(1).sort()).toEqual(
      [
        'in.json: children[0].involvements[0].start: "2026-02-30" is not a real date in the form YYYY-MM-DD',
        'in.json: children[0].involvements[1].type: "chin" is not one of "early-help", "assessment", "cin", "cp", "cla", "care-leaver", "cwd-review"',
        'in.json: children[0].involvements[1].end: 2025-12-31 is before the start 2026-01-01',
        'in.json: children[0].involvements[2].type: is required',
        'in.json: children[0].placements[0].stablefrom: is not a field of the extract (unknown field)',
        'in.json: children[0].placements[0].end: 2026-02-01 is before the start 2026-03-01',
        'in.json: children[0].risk[1].from: 2026-01-01 is the date of risk[0] too',
        'in.json: children[0].events[0].kind: "individual" is not one of "case-supervision", "group-supervision", "management-oversight"',
        'in.json: children[1].id: "C1" is used already by children[0]',
        'in.json: workers[0].role: is required',
        'in.json: workers[0].earlyCareer.start: is required',
        'in.json: teams[0].groupSupervision: must be true or false',
        'in.json: fosterCarers[0].end: 2025-01-01 is before the start 2026-01-01',
        'in.json: extra: is not a field of the extract (unknown field)',
      ].sort(),
    );
  });

  it('a required field given as null, which means the same as absent', async () => {
    const extract = {
      children: [{ id: null }],
      workers: [{ id: 'W1', role: null, start: '2026-01-01' }],
    };
    const stderr = await bad(dueArgs, { 'in.json': JSON.stringify(extract) });
    expect(stderr).toBe(
      [
        'in.json: 2 problems',
        'in.json: children[0].id: is required',
        'in.json: workers[0].role: is required',
        '',
      ].join('\n'),
    );
  });

  it('every problem of the options, the policy and the file together', async () => {
    const stderr = await bad(
      ['due', '--policy', 'kent', '--as-of', '2026-13-01', '--format', 'xml', 'in.json'],
      {
        'in.json': '{"children": [{"id": "C1", "dob": "2010-01-01"}]}',
      },
    );
    expect(stderr.split('\n')).toEqual([
      '--format: "xml" is not one of json, csv, table',
      '--as-of: "2026-13-01" is not a real date in the form YYYY-MM-DD',
      '--policy kent: is not a preset policy or a policy file (the presets are bimonthly, camden, four-weekly, leeds-schools, placement-led)',
      'in.json: children[0].dob: is not a field of the extract (unknown field)',
      '',
    ]);
  });

  it('an unknown policy', async () => {
    const stderr = await bad(['due', '--policy', 'kent', 'in.json'], { 'in.json': EXTRACT });
    expect(stderr).toBe(
      '--policy kent: is not a preset policy or a policy file (the presets are bimonthly, camden, four-weekly, leeds-schools, placement-led)\n',
    );
  });

  it('a policy file that does not exist, or is not a valid policy', async () => {
    expect(await bad(['due', '--policy', './nope.yaml', 'in.json'], { 'in.json': EXTRACT })).toBe(
      '--policy ./nope.yaml: no such policy file\n',
    );
    const dir = mkdtempSync(join(tmpdir(), 'oversight-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'id: Bad Id\nname: x\nrules:\n  case-supervision:\n    - id: cp\n      every: fortnightly\n',
    );
    const stderr = await bad(['due', '--policy', file, 'in.json'], { 'in.json': EXTRACT });
    expect(stderr).toContain(`--policy ${file}: id: must be lower-case words joined by hyphens`);
    expect(stderr).toContain(
      `${file}: rules.case-supervision[0].every: "fortnightly" is not a period of time`,
    );
    expect(stderr).toContain(`--policy ${file}: rules.case-supervision[0].label: is required`);
    expect(stderr).toContain(`--policy ${file}: description: is required`);
  });

  it('a date for --as-of that does not exist, an unknown format, a missing --policy', async () => {
    expect(
      await bad(['due', '--policy', 'camden', '--as-of', '2026-02-30', 'in.json'], {
        'in.json': EXTRACT,
      }),
    ).toBe('--as-of: "2026-02-30" is not a real date in the form YYYY-MM-DD\n');
    expect(
      await bad(['due', '--policy', 'camden', '--format', 'xml', 'in.json'], {
        'in.json': EXTRACT,
      }),
    ).toBe('--format: "xml" is not one of json, csv, table\n');
    expect(await bad(['due', 'in.json'], { 'in.json': EXTRACT })).toMatch(
      /^oversight: oversight due: --policy is required/,
    );
    expect(
      await bad(['due', '--policy', 'camden', '--colour', 'in.json'], { 'in.json': EXTRACT }),
    ).toMatch(/Unknown option '--colour'/);
    expect(await bad(['frobnicate'], {})).toMatch(/"frobnicate" is not a command/);
  });

  it('a 200 MB file that is not JSON', async () => {
    const huge = Buffer.alloc(200 * 1024 * 1024, 'x');
    const stderr = await bad(dueArgs, { 'in.json': huge });
    expect(stderr).toMatch(/^in\.json: is not valid JSON/);
    expect(stderr.length).toBeLessThan(400);
  });
});

describe('oversight validate', () => {
  it('says what a valid extract holds', async () => {
    const out = await runCli(['validate', 'x.json'], { files: { 'x.json': EXTRACT } });
    expect(out).toEqual({
      code: 0,
      stdout:
        'x.json is a valid extract: 2 children, 0 workers, 0 foster carers, 0 teams, 1 events\n',
      stderr: '',
    });
  });

  it('lists the problems of an invalid one', async () => {
    const out = await runCli(['validate', 'x.json'], {
      files: { 'x.json': '{"children":[{"id":"C1","dob":"2010-01-01"}]}' },
    });
    expect(out).toEqual({
      code: 2,
      stdout: '',
      stderr: 'x.json: children[0].dob: is not a field of the extract (unknown field)\n',
    });
  });
});

describe('oversight policy', () => {
  it('lists the presets', async () => {
    const out = await runCli(['policy', 'list']);
    expect(out.code).toBe(0);
    expect(out.stdout.split('\n').map((line) => line.split(' ')[0])).toEqual([
      'bimonthly',
      'camden',
      'four-weekly',
      'leeds-schools',
      'placement-led',
      '',
    ]);
  });

  it('prints a policy as its frequency table in plain words, with sources and what is not modelled', async () => {
    const out = await runCli(['policy', 'show', 'placement-led']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Stable permanent placement  [placement-stable]');
    expect(out.stdout).toContain('How often: every 3 months');
    expect(out.stdout).toContain(
      'Applies: looked after open; a foster, residential or other placement open, from 3 months after\n  it began, stable',
    );
    expect(out.stdout).toContain('Not modelled');
    const fourWeekly = await runCli(['policy', 'show', 'four-weekly']);
    expect(fourWeekly.stdout).toContain('How often: every 4 weeks, overdue after 6 weeks');
    expect(fourWeekly.stdout).toContain('Supervision of IRO / CPC cases');
  });
});

describe('the installed command', () => {
  it('runs as bin/oversight.js, and bad input never shows a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oversight-'));
    const file = join(dir, 'in.json');
    writeFileSync(file, '{"children": [');
    const failure = await run(process.execPath, [
      'bin/oversight.js',
      'due',
      '--policy',
      'camden',
      file,
    ]).catch((error: unknown) => error as { code: number; stdout: string; stderr: string });
    expect('code' in failure && failure.code).toBe(2);
    expect(failure.stdout).toBe('');
    expect(failure.stderr).toMatch(/is not valid JSON/);
    noStackTrace(failure.stderr);

    // A sparse file: its size is over the limit without writing it, and it is refused unread.
    truncateSync(file, 600 * 1024 * 1024);
    const tooLarge = await run(process.execPath, ['bin/oversight.js', 'validate', file]).catch(
      (error: unknown) => error as { code: number; stdout: string; stderr: string },
    );
    expect('code' in tooLarge && tooLarge.code).toBe(2);
    expect(tooLarge.stderr).toBe(`${file}: is 600 MB: the most the command reads is 512 MB\n`);

    writeFileSync(file, EXTRACT);
    const ok = await run(process.execPath, [
      'bin/oversight.js',
      'due',
      '--policy',
      'camden',
      '--as-of',
      '2026-11-24',
      file,
    ]);
    expect((JSON.parse(ok.stdout) as { results: unknown[] }).results).toHaveLength(1);
  });
});

describe('every preset read back', () => {
  it.each(['bimonthly', 'camden', 'four-weekly', 'leeds-schools', 'placement-led'])(
    '%s: every rule, milestone and gate with its source, and every row not modelled',
    async (id) => {
      const policy = loadPreset(id);
      const out = await runCli(['policy', 'show', id]);
      expect(out.code).toBe(0);
      const text = out.stdout.replace(/\s+/g, ' ');
      const rules = Object.values(policy.rules).flat();
      for (const item of [...rules, ...policy.milestones, ...policy.gates]) {
        expect(text).toContain(`[${item.id}]`);
        expect(text).toContain(item.source.replace(/\s+/g, ' '));
      }
      for (const row of policy.notModelled) {
        expect(text).toContain(row.source.replace(/\s+/g, ' '));
        expect(text).toContain(row.reason.replace(/\s+/g, ' '));
      }
    },
  );
});
