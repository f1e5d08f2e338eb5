import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCinCensusXml, type ImportResult } from '../../src/domain/imports/index.js';
import { chunked, errors, expectLocatedErrors, samples, SAMPLES_DIR, warnings } from './support.js';

function census(...children: string[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>201</LEA></Source>
  </Header>
  <Children>
${children.join('\n')}
  </Children>
</Message>`;
}

function child(id: string, ...details: string[]): string {
  return `    <Child>
      <ChildIdentifiers><LAchildID>${id}</LAchildID><PersonBirthDate>2015-06-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
${details.join('\n')}
    </Child>`;
}

const parse = (xml: string): Promise<ImportResult> =>
  parseCinCensusXml({ name: 'cin.xml', content: chunked(xml, 64) });

function records(result: ImportResult, id: string) {
  const c = result.batch.children.get(id);
  return { involvements: c?.involvements, legal: c?.legal, dateOfBirth: c?.dateOfBirth };
}

describe('CIN census', () => {
  it('makes child in need, assessment, child protection and pre-proceedings periods', async () => {
    const result = await parse(
      census(
        child(
          'C1',
          `      <CINdetails>
        <CINreferralDate>2024-05-01</CINreferralDate><ReferralSource>6</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments><AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate><AssessmentAuthorisationDate>2024-06-10</AssessmentAuthorisationDate></Assessments>
        <CINPlanDates><CINPlanStartDate>2024-06-10</CINPlanStartDate></CINPlanDates>
        <Section47><S47ActualStartDate>2024-05-03</S47ActualStartDate><ICPCnotRequired>false</ICPCnotRequired></Section47>
        <ReferralNFA>false</ReferralNFA>
        <ChildProtectionPlans><CPPstartDate>2024-07-01</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans>
        <PreProceedingsandFGDM><PPStartDate>2024-09-01</PPStartDate><StepDecisionDate>2024-12-01</StepDecisionDate><CourtAppDate>2024-11-20</CourtAppDate></PreProceedingsandFGDM>
      </CINdetails>`,
          `      <CINdetails>
        <CINreferralDate>2022-01-10</CINreferralDate><ReferralSource>2A</ReferralSource>
        <CINclosureDate>2022-03-01</CINclosureDate><ReasonForClosure>RC8</ReasonForClosure>
        <Assessments><AssessmentActualStartDate>2022-01-11</AssessmentActualStartDate></Assessments>
        <ReferralNFA>0</ReferralNFA>
      </CINdetails>`,
        ),
      ),
    );
    expect(errors(result)).toEqual([]);
    expect(records(result, 'C1')).toEqual({
      dateOfBirth: '2015-06-01',
      involvements: {
        from: '2022-01-10',
        records: [
          { type: 'cin', start: '2024-05-01', end: null },
          { type: 'assessment', start: '2024-05-02', end: '2024-06-10' },
          { type: 'cp', start: '2024-07-01', end: null },
          { type: 'cin', start: '2022-01-10', end: '2022-03-01' },
          // No authorisation date, in an episode that closed: ended with it.
          { type: 'assessment', start: '2022-01-11', end: '2022-03-01' },
        ],
      },
      // Pre-proceedings end at the earlier of the step decision and the court application.
      legal: {
        from: '2022-01-10',
        records: [{ type: 'pre-proceedings', start: '2024-09-01', end: '2024-11-20' }],
      },
    });
    expect(warnings(result).map((w) => w.message)).toEqual([
      "Child 'C1': The assessment starting 11/01/2022 has no end date but its CIN episode closed on 01/03/2022: treated as ending then.",
    ]);
    expect(result.batch.covers).toEqual({
      involvementTypes: ['cin', 'assessment', 'cp'],
      legalTypes: ['pre-proceedings'],
    });
  });

  it('records no child in need period for a referral with no further action, saying so once', async () => {
    const nfa = (date: string) =>
      `<CINdetails><CINreferralDate>${date}</CINreferralDate><ReferralSource>9</ReferralSource><CINclosureDate>${date}</CINclosureDate><ReferralNFA>true</ReferralNFA></CINdetails>`;
    const result = await parse(
      census(child('N1', nfa('2024-02-01')), child('N2', nfa('2024-03-01'))),
    );
    expect(records(result, 'N1').involvements).toEqual({ from: '2024-02-01', records: [] });
    expect(warnings(result).map((w) => w.message)).toEqual([
      "2 referrals ended with no further action (ReferralNFA true): they are not a period of child in need, so no 'cin' involvement was recorded for them (their assessments and plans, if any, were).",
    ]);
  });

  it('reads GenderCurrent files and Sex files alike (neither is used)', async () => {
    const xml = census(
      child(
        'G1',
        '<CINdetails><CINreferralDate>2024-01-01</CINreferralDate><ReferralNFA>false</ReferralNFA></CINdetails>',
      ),
    ).replace('<Sex>F</Sex>', '<GenderCurrent>2</GenderCurrent>');
    const result = await parse(xml);
    expect(result.problems).toEqual([]);
    expect(records(result, 'G1').involvements?.records).toEqual([
      { type: 'cin', start: '2024-01-01', end: null },
    ]);
  });

  it('reports every bad date and inverted period, the last child’s too, with line and element', async () => {
    const result = await parse(
      census(
        child(
          'B1',
          '<CINdetails><CINreferralDate>2024-02-30</CINreferralDate><ReferralNFA>false</ReferralNFA></CINdetails>',
        ),
        child(
          'B2',
          `<CINdetails><CINreferralDate>2024-01-01</CINreferralDate><CINclosureDate>2023-12-01</CINclosureDate><ReferralNFA>false</ReferralNFA></CINdetails>`,
        ),
        child(
          'B3',
          `<CINdetails><CINreferralDate>2024-01-01</CINreferralDate><ReferralNFA>false</ReferralNFA>
          <ChildProtectionPlans><CPPstartDate>2024-03-01</CPPstartDate><CPPendDate>2024-02-01</CPPendDate></ChildProtectionPlans></CINdetails>`,
        ),
        child(
          'B4',
          '<CINdetails><ReferralSource>6</ReferralSource><ReferralNFA>false</ReferralNFA></CINdetails>',
        ),
      ),
    );
    expect(errors(result).map((e) => [e.column, e.message])).toEqual([
      [
        'CINreferralDate',
        "Child 'B1': CINreferralDate '2024-02-30' is not a real date (February 2024 has 29 days).",
      ],
      [
        'CINclosureDate',
        "Child 'B2': CINclosureDate (01/12/2023) is before CINreferralDate (01/01/2024).",
      ],
      [
        'CPPendDate',
        "Child 'B3': The child protection plan starting 01/03/2024 ends before it starts (CPPendDate 01/02/2024).",
      ],
      ['CINreferralDate', "Child 'B4': CINreferralDate (the referral date) is missing."],
    ]);
    expectLocatedErrors(result);
    expect(errors(result).map((e) => e.row)).toEqual([11, 16, 22, 27]);
  });

  it('rejects a child without an id or seen twice, and XML that is not well formed', async () => {
    const result = await parse(
      census(
        child('', '<CINdetails><CINreferralDate>2024-01-01</CINreferralDate></CINdetails>'),
        child('D1', '<CINdetails><CINreferralDate>2024-01-01</CINreferralDate></CINdetails>'),
        child('D1', '<CINdetails><CINreferralDate>2024-01-01</CINreferralDate></CINdetails>'),
      ),
    );
    expect(errors(result).map((e) => e.message)).toEqual([
      'LAchildID is missing or blank: this child was not read.',
      "Child 'D1': LAchildID 'D1' is also used by the child at line 13: each child must appear once.",
    ]);
    const broken = await parse('<Message><Children><Child></Children></Message>');
    expect(errors(broken)).toContainEqual(
      expect.objectContaining({
        row: 1,
        message:
          'The file is not well-formed XML, so it cannot be read past this line: unexpected close tag.',
      }),
    );
  });
});

describe('CIN census sample files', () => {
  const read = (file: string) =>
    parseCinCensusXml({ name: file, content: createReadStream(join(SAMPLES_DIR, file)) });

  it('reads CIN_Census_2026.xml, reporting its deliberate errors with line and element', async () => {
    const [file] = samples('cin_census_xml__d2i-csc-validator-be-cin__CIN_Census_2026');
    const result = await read(file ?? '');
    expectLocatedErrors(result);
    // The assessment starting in 2028 and authorised in 2020.
    expect(errors(result)).toEqual([
      expect.objectContaining({ row: 43, column: 'AssessmentAuthorisationDate' }),
    ]);
    const messages = warnings(result).map((w) => w.message);
    expect(messages).toContain(
      "Child 'DfEX0000001': Unexpected text 'PersonBirthDate' inside <ChildIdentifiers>: ignored.",
    );
    expect(messages[0]).toMatch(/^The header's Year \(2023\) does not match its ReferenceDate/);
    expect(records(result, 'DfEX0000001').legal?.records).toEqual([
      { type: 'pre-proceedings', start: '2026-09-09', end: '2026-12-01' },
    ]);
  });

  it('reads fake_CIN_data.xml without errors: 332 children, every referral NFA', async () => {
    const [file] = samples('cin_census_xml__d2i-csc-validator-be-cin__fake_CIN_data');
    const result = await read(file ?? '');
    expect(errors(result)).toEqual([]);
    expect(result.batch.children.size).toBe(332);
    expect(warnings(result).map((w) => w.message)).toEqual([
      expect.stringMatching(/^402 referrals ended with no further action/),
    ]);
    expect(records(result, 'RND000215205141')).toEqual({
      dateOfBirth: '2019-12-06',
      involvements: { from: '2020-07-13', records: [] },
      legal: { from: '2020-07-13', records: [] },
    });
  });
});
