/**
 * The words of a supervision contract that come from the policy's sample contract (policy 004,
 * Appendix 2), made council-neutral: the responsibilities pre-fill the form and stay editable;
 * the purpose and the note on records are shown on every contract.
 */

export const CONTRACT_PURPOSE = [
  'Supervision is a way of making sure that decisions are accountable and that outcomes for children are safe. It checks that the supervisee is coping, physically and emotionally, with the demands of the role and is handling the work suitably and professionally. It also gives the supervisee a place to reflect on the content, process and progress of their work.',
  'The record of each session sets out the actions agreed, and we will review them at every session.',
] as const;

export const CONTRACT_RECORDS_NOTE =
  'Supervision records are confidential and kept securely. They may be inspected and audited, and may be used as evidence in a review of a child’s case, such as a child safeguarding practice review.';

export const DEFAULT_SUPERVISOR_RESPONSIBILITIES = [
  'Meet with the supervisee at the frequency agreed in this contract, in a confidential space that is appropriate and free from distraction, and keep the time free of interruptions.',
  'Share the responsibility for making the supervisory relationship work, and provide supervision that is effective, sensitive and supportive.',
  'Hold an open and honest discussion about the children and families the supervisee is working with.',
  'Ask challenging questions about actions and progress, including referrals to other agencies.',
  'Focus the discussion on children subject to a child protection plan, children looked after, children in need, and any child or family where there are safeguarding concerns.',
  'Give support and professional challenge, and keep an accurate and clear record of every session, signed by both of us.',
  'Keep supervision confidential, subject to the safety of children, families and staff.',
  'Include team work, learning and development, and wellbeing in our discussions, and address issues of diversity constructively and positively.',
  'Make sure this contract is agreed and reviewed every year, and that a handover is arranged if line management changes.',
].join('\n');

export const DEFAULT_SUPERVISEE_RESPONSIBILITIES = [
  'Share the responsibility for making the supervisory relationship work.',
  'Attend regularly and on time, prepare for each session and bring an agenda.',
  'Hold an open and honest discussion about the children and families I am working with and responsible for.',
  'Take the actions needed to protect any child where there is reason to believe they are at risk of harm, and to meet the outcomes agreed for the child and family.',
  'Tell other professionals involved with a family of any information that may affect a child’s safety, and discuss referrals to other agencies.',
  'Record all relevant information on the child’s or family’s file, including the decisions and actions agreed in supervision.',
  'Carry out the actions agreed, and be accountable for them.',
  'Check that the record of each session reflects it, and sign it.',
  'Make sure this contract is agreed and reviewed every year.',
].join('\n');

/** The length of a session the sample contract suggests ("approx. an hour"). */
export const DEFAULT_DURATION_MINUTES = 60;
