/* global document, window, location */
/**
 * Autosave for drafts: nothing typed is lost to a long day, a slow network or a session that
 * timed out. Progressive enhancement only: without this script every form is saved by its own
 * buttons, as before.
 *
 * Every `form[data-autosave]` is posted every 30 seconds if it has changed since it was last
 * saved, when the page is hidden (another tab, the laptop lid), and when the timeout warning
 * asks (timeout-warning.js). The post is the form as its Save button would send it, with the
 * header `x-autosave: 1`:
 *
 *   fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)),
 *                        headers: { 'x-autosave': '1' }, credentials: 'same-origin' })
 *
 * and the server (src/plugins/autosave.ts) answers with JSON instead of a page:
 *
 *   200 { saved: true, revision: 7, savedAt: "14:32" }
 *       saved: the form's `revision` field becomes 7, and the status says "Draft saved at 14:32"
 *   409 { conflict: true, byName: "Sam Patel", at: "14:31" }
 *       someone else saved this part after the page was opened: nothing is overwritten, on the
 *       page or on the server; autosave stops for this form and a warning says so
 *   423 { locked: true }
 *       the record has been signed: nothing more can be saved; autosave stops
 *   401 { signedOut: true, saved: true | false }
 *       the session had ended; whether this save was kept all the same; autosave stops
 *   anything else (the page with the form's errors, 400)
 *       not saved; the status says to use a Save button to see why
 *   no answer (offline)
 *       "Not saved: you may be offline. We'll try again." and it tries again next time
 *
 * Answers to signed-in requests carry `x-session-ends-in` (seconds the session has left); each
 * one is passed on as the document event `oversight:session` for the timeout warning. The
 * status goes in the form's `[data-autosave-status]`, a polite live region.
 *
 * See docs/recording.md, "Drafts and autosave".
 */

export const AUTOSAVE_INTERVAL_MS = 30_000;
/** Fired on the document with `detail: { endsIn }` (seconds) when the server says. */
export const SESSION_EVENT = 'oversight:session';
/** Fired on the document with `detail: { saved }` when an autosave finds the session ended. */
export const SIGNED_OUT_EVENT = 'oversight:signed-out';
export const SESSION_ENDS_IN_HEADER = 'x-session-ends-in';

// A fetch with keepalive (for a page being hidden or closed) may carry at most 64 KiB.
const KEEPALIVE_LIMIT = 60_000;

/**
 * What one answer to an autosave means, and what to say: the whole of the protocol's logic,
 * without the page, so that it can be tested on its own.
 *
 * @param {number | null} status the HTTP status, or null when no answer came (offline)
 * @param {unknown} body the answer's JSON, or null
 * @returns {{ outcome: 'saved' | 'conflict' | 'locked' | 'signed-out' | 'offline' | 'refused',
 *   saved: boolean, stop: boolean, warning: boolean, text: string, revision?: number,
 *   keptAfterSignOut?: boolean }}
 *   `saved`: what was posted is safe on the server; `stop`: autosave stops for this form;
 *   `warning`: shown as a GOV.UK warning rather than plain text
 */
export function describeAnswer(status, body) {
  const json = typeof body === 'object' && body !== null ? body : {};
  const text = (value, fallback) =>
    typeof value === 'string' && value.trim() !== '' ? value : fallback;
  if (status === null)
    return {
      outcome: 'offline',
      saved: false,
      stop: false,
      warning: false,
      text: 'Not saved: you may be offline. We’ll try again.',
    };
  if (status === 200 && json.saved === true && Number.isInteger(json.revision))
    return {
      outcome: 'saved',
      saved: true,
      stop: false,
      warning: false,
      text: `Draft saved at ${text(json.savedAt, 'just now')}`,
      revision: json.revision,
    };
  if (status === 409 && json.conflict === true)
    return {
      outcome: 'conflict',
      saved: false,
      stop: true,
      warning: true,
      text:
        `Not saved: ${text(json.byName, 'someone else')} saved this part at ` +
        `${text(json.at, 'a moment ago')}, after you opened it. What you wrote is still on this ` +
        'page. Autosave has stopped for this part: save the page to see their changes before ' +
        'yours replace them.',
    };
  if (status === 423)
    return {
      outcome: 'locked',
      saved: false,
      stop: true,
      warning: true,
      text:
        'Not saved: this record has been signed, so nothing more can be saved. What you wrote ' +
        'is still on this page.',
    };
  if (status === 401 && json.signedOut === true) {
    const kept = json.saved === true;
    return {
      outcome: 'signed-out',
      saved: kept,
      stop: true,
      warning: !kept,
      keptAfterSignOut: kept,
      text: kept
        ? 'You were signed out. Your last changes were kept in the draft: sign in again to carry on.'
        : 'You were signed out and your last changes were not saved. They are still on this ' +
          'page: copy them before you sign in again.',
    };
  }
  return {
    outcome: 'refused',
    saved: false,
    stop: false,
    warning: false,
    text: 'Not saved. Select a Save button to see what needs changing.',
  };
}

/** The form's fields as they would be posted, without the token and revision (never typed). */
export function formSnapshot(entries) {
  const params = new URLSearchParams();
  for (const [name, value] of entries) {
    if (name === '_csrf' || name === 'revision') continue;
    params.append(name, typeof value === 'string' ? value : '');
  }
  return params.toString();
}

function fillStatus(region, answer) {
  if (region === null) return;
  region.replaceChildren();
  if (!answer.warning) {
    region.textContent = answer.text;
    return;
  }
  // GOV.UK's warning text, as spans: the region is a paragraph.
  const warning = document.createElement('span');
  warning.className = 'govuk-warning-text';
  const icon = document.createElement('span');
  icon.className = 'govuk-warning-text__icon';
  icon.setAttribute('aria-hidden', 'true');
  icon.textContent = '!';
  const strong = document.createElement('strong');
  strong.className = 'govuk-warning-text__text';
  const hidden = document.createElement('span');
  hidden.className = 'govuk-visually-hidden';
  hidden.textContent = 'Warning';
  strong.append(hidden, ' ', answer.text);
  warning.append(icon, strong);
  region.append(warning);
}

function announceSession(response) {
  const endsIn = Number.parseInt(response.headers.get(SESSION_ENDS_IN_HEADER) ?? '', 10);
  if (Number.isFinite(endsIn))
    document.dispatchEvent(new CustomEvent(SESSION_EVENT, { detail: { endsIn } }));
}

/** One draft form: what was last saved, and whether it is still being autosaved. */
class DraftForm {
  constructor(form) {
    this.form = form;
    this.status =
      form.querySelector('[data-autosave-status]') ??
      document.querySelector('[data-autosave-status]');
    this.lastSaved = this.snapshot();
    /** A version the server refused (the form's errors): not sent again until it changes. */
    this.lastRefused = null;
    /** Why autosave stopped for this form ('conflict', 'locked', 'signed-out'), or null. */
    this.stopped = null;
    this.inFlight = null;
    this.submitting = false;
    form.addEventListener('submit', () => {
      this.submitting = true;
    });
  }

  snapshot() {
    return formSnapshot(new FormData(this.form).entries());
  }

  get unsaved() {
    return !this.submitting && this.snapshot() !== this.lastSaved;
  }

  /**
   * Saves the form if it has changed. Resolves to whether what is on the page is now saved.
   * @param {{ keepalive?: boolean }} options
   */
  async save(options = {}) {
    // One post at a time per form, so that each carries the revision the last one returned.
    while (this.inFlight !== null) await this.inFlight;
    if (this.submitting) return true;
    const snapshot = this.snapshot();
    if (snapshot === this.lastSaved) return true;
    if (this.stopped !== null || snapshot === this.lastRefused) return false;
    const body = new URLSearchParams(new FormData(this.form));
    const keepalive = options.keepalive === true && body.toString().length < KEEPALIVE_LIMIT;
    this.inFlight = this.post(body, snapshot, keepalive);
    try {
      return await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  async post(body, snapshot, keepalive) {
    let status = null;
    let json = null;
    try {
      const response = await fetch(this.form.action, {
        method: 'POST',
        body,
        headers: { 'x-autosave': '1' },
        credentials: 'same-origin',
        keepalive,
      });
      status = response.status;
      announceSession(response);
      if ((response.headers.get('content-type') ?? '').includes('application/json'))
        json = await response.json().catch(() => null);
    } catch {
      status = null;
    }
    const answer = describeAnswer(status, json);
    if (answer.outcome === 'saved') {
      this.lastSaved = snapshot;
      this.lastRefused = null;
      const revision = this.form.querySelector('input[name="revision"]');
      if (revision !== null) revision.value = String(answer.revision);
    }
    if (answer.outcome === 'signed-out' && answer.saved) this.lastSaved = snapshot;
    if (answer.outcome === 'refused') this.lastRefused = snapshot;
    if (answer.stop) this.stopped = answer.outcome;
    fillStatus(this.status, answer);
    if (answer.outcome === 'signed-out')
      document.dispatchEvent(
        new CustomEvent(SIGNED_OUT_EVENT, { detail: { saved: answer.saved } }),
      );
    return answer.saved && this.snapshot() === snapshot;
  }
}

/** @type {DraftForm[]} */
const drafts = [];
let started = false;

/** Whether this page has a draft that autosaves. */
export function hasAutosaveForms() {
  return drafts.length > 0;
}

/** Whether anything on the page has changed since it was last saved. */
export function hasUnsavedChanges() {
  return drafts.some((d) => d.unsaved);
}

/**
 * Saves every draft form that has changed, at once. Resolves to whether everything on the page
 * is now saved.
 * @param {{ keepalive?: boolean }} options
 */
export async function saveAllNow(options = {}) {
  const results = await Promise.all(drafts.map((d) => d.save(options)));
  return results.every(Boolean);
}

/**
 * Starts autosaving again after the person signed in again (in another tab): the forms that
 * stopped because the session had ended carry on.
 */
export function resumeAfterSignIn() {
  for (const d of drafts) if (d.stopped === 'signed-out') d.stopped = null;
}

/** Finds the page's draft forms and starts saving them. Called once, when the module loads. */
export function startAutosave(doc = document) {
  if (started) return;
  started = true;
  for (const form of doc.querySelectorAll('form[data-autosave]')) drafts.push(new DraftForm(form));
  if (drafts.length === 0) return;
  window.setInterval(() => {
    void saveAllNow();
  }, AUTOSAVE_INTERVAL_MS);
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'hidden') void saveAllNow({ keepalive: true });
  });
  window.addEventListener('beforeunload', (event) => {
    if (!hasUnsavedChanges()) return;
    event.preventDefault();
    // Older browsers show the prompt only when returnValue is set.
    event.returnValue = '';
  });
  // Coming back from the browser's back-forward cache: the page is as it was left.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) for (const d of drafts) d.submitting = false;
  });
}

if (typeof document !== 'undefined' && typeof location !== 'undefined') startAutosave();
