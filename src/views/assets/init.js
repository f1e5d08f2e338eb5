// Progressive enhancement only: every page works without this. Loaded as a module, so browsers
// too old for GOV.UK Frontend's JavaScript skip it and keep the plain HTML behaviour.
import { initAll } from './govuk-frontend.min.js';

initAll();
