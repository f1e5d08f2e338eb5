import { describe, expect, it } from 'vitest';
import { validatePolicy } from './policy-schema.js';

const base = {
  id: 'ours',
  name: 'Our policy',
  description: 'For tests.',
  sourceDocument: 'ours.docx',
};

function problems(document: unknown): string[] {
  const result = validatePolicy(document);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

const rule = (extra: Record<string, unknown>) => ({
  id: 'cp',
  label: 'Child Protection',
  every: '1 month',
  source: 'CP monthly',
  ...extra,
});

describe('policy files', () => {
  it('accepts a minimal policy and fills in the defaults', () => {
    const result = validatePolicy({
      ...base,
      rules: { 'case-supervision': [rule({ when: { involvement: ['cp'] } })] },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [cp] = result.policy.rules['case-supervision'] ?? [];
    expect(cp?.first).toEqual([{ unit: 'months', count: 1 }]);
    expect(cp?.firstLatest).toEqual(cp?.first);
    expect(cp?.everyLatest).toEqual(cp?.every);
    expect(cp?.onlyWhereNoEarlierRule).toBe(false);
    expect(result.policy.milestones).toEqual([]);
    expect(result.policy.closureDays).toEqual([]);
  });

  it('reads `latest` as the end of the range for both the first and every date', () => {
    const result = validatePolicy({
      ...base,
      rules: { 'case-supervision': [rule({ every: '4 weeks', latest: '6 weeks' })] },
    });
    expect(result.ok && result.policy.rules['case-supervision']?.[0]?.firstLatest).toEqual([
      { unit: 'days', count: 42 },
    ]);
    expect(result.ok && result.policy.rules['case-supervision']?.[0]?.everyLatest).toEqual([
      { unit: 'days', count: 42 },
    ]);
  });

  it('rejects a condition about another kind of subject than its family', () => {
    expect(
      problems({ ...base, rules: { 'case-supervision': [rule({ when: { role: ['iro'] } })] } }),
    ).toEqual([
      'rules.case-supervision[0].when.role: is about workers, but case-supervision is a requirement on children',
    ]);
    expect(
      problems({
        ...base,
        rules: { 'professional-supervision': [rule({ when: { involvement: ['cp'] } })] },
      }),
    ).toEqual([
      'rules.professional-supervision[0].when.involvement: is about children, but professional-supervision is a requirement on workers',
    ]);
  });

  it('rejects a range that ends before its due date, and both forms of range at once', () => {
    expect(
      problems({
        ...base,
        rules: { 'case-supervision': [rule({ every: '6 weeks', latest: '4 weeks' })] },
      }),
    ).toEqual([
      'rules.case-supervision[0].latest: must not be earlier than the due date it extends',
    ]);
    expect(
      problems({
        ...base,
        rules: { 'case-supervision': [rule({ latest: '2 months', everyLatest: '2 months' })] },
      }),
    ).toEqual([
      'rules.case-supervision[0].latest: give either latest, or firstLatest and everyLatest, not both',
    ]);
  });

  it('rejects ids used twice, a gate on a family that is not about children, and too many rules', () => {
    expect(
      problems({
        ...base,
        rules: { 'case-supervision': [rule({}), rule({})] },
        gates: [
          {
            id: 'cp',
            label: 'Gate',
            period: { involvement: ['assessment'] },
            family: 'professional-supervision',
            source: 'x',
          },
        ],
      }),
    ).toEqual([
      'rules.case-supervision[1].id: "cp" is used already at rules.case-supervision[0]',
      'gates[0].id: "cp" is used already at rules.case-supervision[0]',
      'gates[0].family: must be a requirement on children; professional-supervision is not',
    ]);
    const many = Array.from({ length: 31 }, (_, i) => rule({ id: `r${i}` }));
    expect(problems({ ...base, rules: { 'case-supervision': many } })).toEqual([
      'rules.case-supervision: at most 30 rules in one family',
    ]);
  });

  it('lists every problem with its path', () => {
    expect(
      problems({
        ...base,
        id: 'Our Policy',
        closureDays: ['2026-12-32'],
        rules: {
          'case-supervision': [
            {
              id: 'cp',
              every: 'monthly',
              when: { involvement: ['chin'], age: { min: 21, max: 18 } },
            },
          ],
          typo: [],
        },
      }).sort(),
    ).toEqual(
      [
        'id: must be lower-case words joined by hyphens, e.g. "cla-high-risk"',
        'closureDays[0]: "2026-12-32" is not a real date in the form YYYY-MM-DD',
        'rules.typo: is not a field of a policy file (unknown field)',
        'rules.case-supervision[0].label: is required',
        'rules.case-supervision[0].source: is required',
        'rules.case-supervision[0].every: "monthly" is not a period of time: write e.g. "28 days", "4 weeks", "1 month", "20 working days" or "42 days + 6 months"',
        'rules.case-supervision[0].when.involvement[0]: "chin" is not one of "early-help", "assessment", "cin", "cp", "cla", "care-leaver", "cwd-review"',
        'rules.case-supervision[0].when.age.whenUnknown: is required',
      ].sort(),
    );
  });
});
