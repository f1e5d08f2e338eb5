// One page object per page of the service; each checks, on arrival, that it is its page, that
// axe finds nothing, and photographs it (base.page.ts).
export { AdminPage } from './admin.page.js';
export { BasePage } from './base.page.js';
export { ChildPage } from './child.page.js';
export { DirectoratePage } from './directorate.page.js';
export { ForbiddenPage, NotFoundPage } from './error.page.js';
export { FosterCarerPage } from './foster-carer.page.js';
export { MyWorkPage } from './my-work.page.js';
export { ServicePage } from './service.page.js';
export { SignInErrorPage, SignInPage } from './sign-in.page.js';
export { SignedOutPage } from './signed-out.page.js';
export { TeamPage } from './team.page.js';
export { WorkerPage } from './worker.page.js';
