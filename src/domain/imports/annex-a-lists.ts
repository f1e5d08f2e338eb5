import type { FieldHeadings } from './headings.js';

/**
 * The Ofsted Annex A lists (ILACS child-level data), their headings in the 2019 template and
 * the later revisions, and the variants councils' files use. Every heading is compared after
 * normalising (headings.ts), so case, punctuation, quotes, `&`/`and` and spacing never matter;
 * the variants below are the wordings that differ beyond that. `also` catches the rest.
 * docs/imports.md lists the same, for people.
 */

export type AnnexAField =
  // Every list
  | 'childId'
  | 'dateOfBirth'
  | 'team'
  | 'worker'
  | 'personalAdviser'
  // List 2: early help
  | 'earlyHelpStart'
  | 'earlyHelpEnd'
  // List 4: assessments
  | 'assessmentStart'
  | 'assessmentEnd'
  // List 6: children in need
  | 'cinStart'
  | 'cinEnd'
  // List 7: child protection
  | 'cpStart'
  | 'cpEnd'
  // List 8: children in care
  | 'claStart'
  | 'claEnd'
  | 'legalStatus'
  | 'legalStart'
  | 'placementStart'
  | 'placementType'
  // List 9: care leavers
  | 'eligibility'
  // Recognised, not used: known so that they are neither "unknown" nor taken for another field.
  | 'known';

export interface AnnexAList {
  number: number;
  name: string;
  /** Imported lists give these; the others are recognised and left alone. */
  imports: boolean;
  fields: readonly FieldHeadings<AnnexAField>[];
  /** Fields without which a sheet of this list cannot be read. */
  needs: readonly AnnexAField[];
  /** Where its allocated worker ranks when a child is on several lists (lower first). */
  allocationRank?: number;
}

/** Headings every list has (child, date of birth, and the allocation columns of lists 3–9). */
export const COMMON_FIELDS: readonly FieldHeadings<AnnexAField>[] = [
  {
    field: 'childId',
    headings: [
      'Child Unique ID',
      'Unique Child ID',
      'Child ID',
      'Child Identifier',
      'Child Unique Identifier',
      'LA Child ID',
      'Child Reference',
      'Child Ref',
      'Person ID',
      'Client ID',
      'ID',
    ],
    also: /\bchild\b.*\b(id|identifier|ref|reference)\b|\bunique id\b/,
  },
  {
    field: 'dateOfBirth',
    headings: ['Date of Birth', 'DOB', 'Birth Date', 'Child Date of Birth', 'Childs Date of Birth'],
    also: /\b(date of birth|birth date|dob)\b/,
  },
  {
    field: 'team',
    headings: ['Allocated Team', 'Team', 'Team Name', 'Allocated Team Name', 'Current Team'],
    also: /\ballocated team\b/,
  },
  {
    field: 'worker',
    headings: [
      'Allocated Worker',
      'Allocated Social Worker',
      'Allocated Worker Name',
      'Social Worker',
      'Worker',
      'Lead Practitioner',
      'Allocated Practitioner',
      'Allocated Lead Practitioner',
      'Key Worker',
    ],
    also: /\ballocated (social )?worker\b/,
  },
  {
    field: 'personalAdviser',
    headings: [
      'Allocated Personal Advisor',
      'Allocated Personal Adviser',
      'Personal Advisor',
      'Personal Adviser',
      'PA',
    ],
    also: /\bpersonal advis[eo]r\b/,
  },
  {
    field: 'known',
    headings: [
      'Gender',
      'Sex',
      'Ethnicity',
      'Ethnic Origin',
      'Age',
      'Age of Child (Years)',
      'Age of Child',
      'Does the Child have a Disability',
      'Disability',
    ],
  },
];

const known = (...headings: string[]): FieldHeadings<AnnexAField> => ({ field: 'known', headings });

export const ANNEX_A_LISTS: readonly AnnexAList[] = [
  {
    number: 1,
    name: 'Contacts',
    imports: false,
    needs: [],
    fields: [known('Date of Contact', 'Contact Date', 'Contact Source', 'Source of Contact')],
  },
  {
    number: 2,
    name: 'Early help',
    imports: true,
    needs: ['childId', 'earlyHelpStart'],
    allocationRank: 6,
    fields: [
      {
        field: 'earlyHelpStart',
        headings: [
          'Assessment start date',
          'Early Help Assessment Start Date',
          'Early Help Start Date',
          'Date Early Help Started',
          'EHA Start Date',
          'Start Date',
        ],
        also: /\b(early help|eha)\b.*\bstart/,
      },
      {
        field: 'earlyHelpEnd',
        headings: [
          'Early Help End Date',
          'Early Help Closure Date',
          'Date Early Help Ended',
          'Date Early Help Closed',
          'Date Closed',
          'Closure Date',
          'End Date',
        ],
        also: /\b(early help|eha)\b.*\b(end|clos)/,
      },
      known(
        'Assessment completion date',
        'Early Help Assessment Completion Date',
        'Organisation completing assessment',
        'Organisation completing the assessment',
      ),
    ],
  },
  {
    number: 3,
    name: 'Referrals',
    imports: false,
    needs: [],
    fields: [
      known(
        'Date of Referral',
        'Referral Date',
        'Referral Source',
        'Referral NFA?',
        'Referral NFA',
        'Number of Referrals in Last 12 Months',
      ),
    ],
  },
  {
    number: 4,
    name: 'Assessments',
    imports: true,
    needs: ['childId', 'assessmentStart'],
    allocationRank: 5,
    fields: [
      {
        field: 'assessmentStart',
        headings: [
          'Continuous Assessment Start Date',
          'Assessment Start Date',
          'Single Assessment Start Date',
          'Child and Family Assessment Start Date',
          'Date Assessment Started',
        ],
        also: /\bassessment\b.*\bstart/,
      },
      {
        field: 'assessmentEnd',
        headings: [
          'Continuous Assessment Date of Authorisation',
          'Assessment Date of Authorisation',
          'Assessment Authorisation Date',
          'Date of Authorisation',
          'Date Assessment Authorised',
          'Assessment End Date',
        ],
        also: /\bauthoris/,
      },
      known(
        'Child Seen During Continuous Assessment',
        'Child Seen During Assessment',
        'Was the child assessed as requiring LA children’s social care support',
        'Was the child assessed as requiring LA childrens social care support?',
      ),
    ],
  },
  {
    number: 5,
    name: 'Section 47 enquiries and ICPCs',
    imports: false,
    needs: [],
    fields: [
      known(
        'Strategy discussion initiating Section 47 Enquiry Start Date',
        'Section 47 Enquiry Start Date',
        'Was an Initial Child Protection Conference deemed unnecessary?',
        'Date of Initial Child Protection Conference',
        'Did the Initial Child Protection Conference Result in a Child Protection Plan',
        'Number of Section 47 Enquiries in the last 12 months',
        'Number of ICPCs in the last 12 months',
      ),
    ],
  },
  {
    number: 6,
    name: 'Children in need',
    imports: true,
    needs: ['childId', 'cinStart'],
    allocationRank: 3,
    fields: [
      {
        field: 'cinStart',
        headings: [
          'CIN Start Date',
          'Child in Need Start Date',
          'CIN Episode Start Date',
          'Date CIN Started',
          'Start Date of CIN',
        ],
        also: /\b(cin|child in need)\b.*\bstart/,
      },
      {
        field: 'cinEnd',
        headings: [
          'CIN Closure Date',
          'Child in Need Closure Date',
          'CIN End Date',
          'CIN Episode End Date',
          'Date CIN Closed',
          'Closure Date',
        ],
        also: /\b(cin|child in need)\b.*\b(clos|end)/,
      },
      known(
        'Primary Need Code',
        'Primary Need',
        'Category of Need',
        'Date Child Was Last Seen',
        'Reason for Closure',
        'Case Status',
      ),
    ],
  },
  {
    number: 7,
    name: 'Child protection',
    imports: true,
    needs: ['childId', 'cpStart'],
    allocationRank: 2,
    fields: [
      {
        field: 'cpStart',
        headings: [
          'Child Protection Plan Start Date',
          'CP Plan Start Date',
          'CPP Start Date',
          'Date Child Protection Plan Started',
          'Start Date of Child Protection Plan',
        ],
        also: /\b(child protection|cp|cpp)\b.*\bstart/,
      },
      {
        field: 'cpEnd',
        headings: [
          'Child Protection Plan End Date',
          'CP Plan End Date',
          'CPP End Date',
          'Date Child Protection Plan Ended',
          'End Date of Child Protection Plan',
        ],
        also: /\b(child protection|cp|cpp)\b.*\bend/,
      },
      known(
        'Initial Category of Abuse',
        'Latest Category of Abuse',
        'Date of the Last Statutory Visit',
        'Was the Child Seen Alone?',
        'Date of latest review conference',
        'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)',
        'Number of Previous Child Protection Plans',
      ),
    ],
  },
  {
    number: 8,
    name: 'Children in care',
    imports: true,
    needs: ['childId', 'claStart'],
    allocationRank: 1,
    fields: [
      {
        field: 'claStart',
        headings: [
          'Date Started to be Looked After',
          'Date Started to be Looked After (current period)',
          'Date Became Looked After',
          'Date Started Being Looked After',
          'Looked After Start Date',
          'CLA Start Date',
          'LAC Start Date',
          'Date Entered Care',
        ],
        also: /\b(started|start|became)\b.*\blooked after\b|\blooked after\b.*\bstart/,
      },
      {
        field: 'claEnd',
        headings: [
          'Date Ceased to be Looked After',
          'Date Ceased Looked After',
          'Looked After End Date',
          'CLA End Date',
          'LAC End Date',
          'Date Left Care',
        ],
        also: /\bceased\b.*\blooked after\b/,
      },
      {
        field: 'legalStart',
        headings: [
          'Start date of current legal status',
          'Date of Current Legal Status',
          'Legal Status Start Date',
          'Current Legal Status Start Date',
        ],
        also: /\blegal status\b.*\bdate\b|\bdate\b.*\blegal status\b/,
      },
      {
        field: 'legalStatus',
        headings: [
          'Child’s Legal Status',
          'Legal Status',
          'Current Legal Status',
          'Legal Status Code',
        ],
        // Tried after legalStart, whose headings name a date.
        also: /\blegal status\b/,
      },
      {
        field: 'placementStart',
        headings: [
          'Start Date of Most Recent Placement',
          'Start Date of Current Placement',
          'Most Recent Placement Start Date',
          'Placement Start Date',
          'Date of Most Recent Placement',
        ],
        also: /\bplacement\b.*\bstart|\bstart\b.*\bplacement\b/,
      },
      {
        field: 'placementType',
        headings: [
          'Placement Type',
          'Type of Placement',
          'Placement Type Code',
          'Current Placement Type',
        ],
      },
      known(
        'Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)',
        'UASC',
        'Child’s Category of Need',
        'Category of Need',
        'Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)',
        'Date of Latest Statutory Review',
        'Date of Last Social Work Visit',
        'What is the permanence plan for this child?',
        'Permanence Plan',
        'Date of Last IRO Visit / Contact to the Child',
        'Date of Last Health Assessment',
        'Date of Last Dental Check',
        'Number of Placements in the Last 12 months',
        'Reason Ceased to be Looked After',
        'Placement Provider',
        'Placement postcode',
        'URN of Placement',
        'Placement Location',
        'LA of Placement',
        'Number of Episodes the Child has been ‘Missing’ from their Placement in the last 12 months',
        'Number of Episodes the Child has been ‘Absent’ from their Placement in the last 12 months',
        'Was the child offered a Return Interview after their last missing episode (Y/N)?',
        'Did the child accept a Return Interview after their last missing episode (Y/N)?',
      ),
    ],
  },
  {
    number: 9,
    name: 'Care leavers',
    imports: true,
    needs: ['childId'],
    allocationRank: 4,
    fields: [
      {
        field: 'eligibility',
        headings: ['Eligibility Category', 'Care Leaver Eligibility', 'Eligibility'],
        also: /\beligib/,
      },
      known(
        'LA In Touch',
        'Latest Date of Contact',
        'Latest Pathway Plan Review Date',
        'Type of Accommodation',
        'Suitability of Accommodation',
        'Activity Status',
        'Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)',
      ),
    ],
  },
  {
    number: 10,
    name: 'Adoption',
    imports: false,
    needs: [],
    fields: [
      known(
        'Family identifier',
        'Date the Child Entered Care',
        'Date of Decision that Child Should be Placed for Adoption',
        'Date of Placement Order',
        'Date of Matching Child and Prospective Adopters',
        'Date Placed for Adoption',
        'Date of Adoption Order',
        'Date of Decision that Child Should No Longer be Placed for Adoption',
        'Reason Why Child No Longer Placed for Adoption',
        'Date the child was placed for fostering in FFA or concurrent planning placement',
      ),
    ],
  },
  {
    number: 11,
    name: 'Adopters',
    imports: false,
    needs: [],
    fields: [
      known(
        'Individual adopter identifier',
        'Is the (prospective) adopter fostering for adoption?',
        'Date enquiry received',
        'Date Stage 1 started',
        'Date Stage 1 ended',
        'Date Stage 2 started',
        'Date Stage 2 ended',
        'Date application submitted',
        'Date application approved',
        'Date adopter matched with child(ren)',
        'Date child/children placed with adopter(s)',
        'No. of children placed',
        'Reason for leaving adoption process',
      ),
    ],
  },
];
