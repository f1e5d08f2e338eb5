import fc from 'fast-check';

// Locally every run draws new cases, so property tests keep exploring; in CI the seed is fixed,
// so a run can be reproduced exactly and never fails by the luck of the draw. FC_SEED overrides.
const seed = process.env.FC_SEED ?? (process.env.CI ? '20261124' : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
