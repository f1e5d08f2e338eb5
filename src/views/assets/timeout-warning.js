/* global document, window, location */
/**
 * GOV.UK's timeout warning pattern. Sessions end after a while without a request
 * (SESSION_IDLE_MINUTES); two minutes before, a modal dialog says so and counts down, after first
 * saving any draft on the page (autosave.js). "Stay signed in" (or Escape) posts
 * /session/keep-alive and closes it; at the end, the page saves once more and goes to
 * `/sign-in?returnTo=<this page>&timedOut=1` (with `&saved=1` when it had a draft, now saved).
 * If the last changes could not be saved, it stays on the page with them instead, and says so.
 *
 * The time left comes from the body's `data-session-ends-in` (seconds, when the page was made)
 * and from the `x-session-ends-in` header of every later answer (autosave.js passes those on as
 * the `oversight:session` event). Tabs of the same person tell each other, so that a busy tab
 * keeps a quiet one from warning, and signing in again in another tab brings a signed-out page's
 * autosave back.
 *
 * Without JavaScript none of this happens: the session just ends when idle, and a draft posted
 * after that is still saved (see docs/recording.md, "Drafts and autosave").
 */
import {
  hasAutosaveForms,
  resumeAfterSignIn,
  saveAllNow,
  SESSION_ENDS_IN_HEADER,
  SESSION_EVENT,
} from './autosave.js';

export const DEFAULT_WARN_BEFORE_SECONDS = 120;
/**
 * How long after the session's end the page makes its last save: late enough that the server
 * has ended the session (so the save is kept for its owner rather than taken as activity).
 */
export const FINAL_SAVE_DELAY_MS = 3_000;
/** Seconds left at which the countdown is read out (besides when the dialog opens). */
export const ANNOUNCE_AT = [90, 60, 30, 10];
/** How long the warning waits for the draft to save before it opens all the same. */
const SAVE_WAIT_MS = 5_000;

/** "You will be signed out in 1 minute 30 seconds." */
export function timeLeftText(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  const minutes = Math.floor(s / 60);
  const rest = s % 60;
  const parts = [];
  if (minutes > 0) parts.push(`${String(minutes)} ${minutes === 1 ? 'minute' : 'minutes'}`);
  if (rest > 0 || minutes === 0) parts.push(`${String(rest)} ${rest === 1 ? 'second' : 'seconds'}`);
  return `You will be signed out in ${parts.join(' ')}.`;
}

/** Whether the countdown passed one of ANNOUNCE_AT between two ticks. */
export function shouldAnnounce(previousSeconds, seconds) {
  return ANNOUNCE_AT.some((at) => previousSeconds > at && seconds <= at);
}

/** Where the page goes when the session has ended. */
export function signInAfterTimeout(path, draftSaved) {
  const query = new URLSearchParams({ returnTo: path, timedOut: '1' });
  if (draftSaved) query.set('saved', '1');
  return `/sign-in?${query.toString()}`;
}

function withTimeout(promise, ms) {
  return Promise.race([
    promise,
    new Promise((resolve) => {
      window.setTimeout(() => resolve(undefined), ms);
    }),
  ]);
}

export function startTimeoutWarning(doc = document) {
  const dialog = doc.querySelector('[data-timeout-dialog]');
  const endsIn = Number.parseInt(doc.body.dataset.sessionEndsIn ?? '', 10);
  if (dialog === null || !Number.isFinite(endsIn) || typeof dialog.showModal !== 'function') return;
  const warnBefore =
    (Number.parseInt(doc.body.dataset.sessionWarnBefore ?? '', 10) || DEFAULT_WARN_BEFORE_SECONDS) *
    1000;
  const account = doc.body.dataset.sessionAccount ?? '';
  const part = (name) => dialog.querySelector(`[data-timeout-${name}]`);
  const warning = part('warning');
  const ended = part('ended');
  const title = part('title');
  const countdown = part('countdown');
  const audible = part('audible');
  const savedText = part('saved');
  const live = part('live');
  const stayForm = part('stay');
  const endedTitle = ended.querySelector('h2');

  let endsAt = Date.now() + endsIn * 1000;
  /** 'idle' (counting down), 'warning' (dialog open), 'ending' (last save), 'ended' */
  let state = 'idle';
  let timer;
  let lastLeft = Number.POSITIVE_INFINITY;
  let returnFocus = null;
  const channel =
    typeof BroadcastChannel === 'function' ? new BroadcastChannel('oversight-session') : null;

  const secondsLeft = () => Math.ceil((endsAt - Date.now()) / 1000);

  function showCountdown(announce) {
    const left = Math.max(0, secondsLeft());
    const text = timeLeftText(left);
    countdown.textContent = text;
    if (announce || shouldAnnounce(lastLeft, left)) {
      audible.textContent = text;
      if (Number.isFinite(lastLeft)) live.textContent = text;
    }
    lastLeft = left;
  }

  function schedule() {
    window.clearTimeout(timer);
    if (state === 'ending' || state === 'ended') return;
    const now = Date.now();
    if (now >= endsAt + FINAL_SAVE_DELAY_MS) {
      void expire();
      return;
    }
    if (state === 'warning') {
      showCountdown(false);
      timer = window.setTimeout(schedule, 1000);
      return;
    }
    if (now >= endsAt - warnBefore) {
      void warn();
      return;
    }
    // Checked at least once a minute: timers run late in a hidden tab or a sleeping laptop.
    timer = window.setTimeout(schedule, Math.min(endsAt - warnBefore - now, 60_000));
  }

  /** The server said when the session ends now (here, or in another of the person's tabs). */
  function learn(newEndsAt, share) {
    if (share && channel !== null) channel.postMessage({ account, endsAt: newEndsAt });
    if (state === 'ending') {
      endsAt = newEndsAt;
      return;
    }
    if (state === 'ended') {
      if (newEndsAt <= Date.now()) return;
      // Signed in again in another tab: carry on here, saving what could not be saved.
      endsAt = newEndsAt;
      close();
      resumeAfterSignIn();
      void saveAllNow();
      return;
    }
    endsAt = newEndsAt;
    if (state === 'warning' && endsAt - Date.now() > warnBefore) close();
    else schedule();
  }

  async function warn() {
    state = 'warning';
    let saved;
    if (hasAutosaveForms()) saved = await withTimeout(saveAllNow(), SAVE_WAIT_MS);
    // The save may have shown the person is busy after all (learn() moved the end on).
    if (state !== 'warning') return;
    if (endsAt - Date.now() > warnBefore) {
      state = 'idle';
      schedule();
      return;
    }
    savedText.textContent =
      saved === true
        ? 'Your draft has been saved.'
        : saved === false
          ? 'Your latest changes have not been saved yet.'
          : '';
    warning.hidden = false;
    ended.hidden = true;
    dialog.setAttribute('aria-labelledby', title.id);
    dialog.setAttribute('aria-describedby', 'app-timeout-dialog-text');
    live.textContent = '';
    lastLeft = Number.POSITIVE_INFINITY;
    showCountdown(true);
    returnFocus = doc.activeElement;
    if (!dialog.open) dialog.showModal();
    title.focus();
    schedule();
  }

  function close() {
    if (dialog.open) dialog.close();
    state = 'idle';
    live.textContent = '';
    if (returnFocus !== null && doc.contains(returnFocus)) returnFocus.focus();
    returnFocus = null;
    schedule();
  }

  async function stay() {
    if (state !== 'warning') return;
    const body = new URLSearchParams(new FormData(stayForm));
    if ((body.get('_csrf') ?? '') === '') {
      const token = doc.querySelector('input[name="_csrf"]:not([value=""])');
      if (token !== null) body.set('_csrf', token.value);
    }
    let response;
    try {
      response = await fetch(stayForm.action, {
        method: 'POST',
        body,
        credentials: 'same-origin',
      });
    } catch {
      live.textContent =
        'Oversight could not be reached. Check your connection, then select Stay signed in again.';
      return;
    }
    if (response.status === 204) {
      const left = Number.parseInt(response.headers.get(SESSION_ENDS_IN_HEADER) ?? '', 10);
      learn(Date.now() + (Number.isFinite(left) ? left * 1000 : 0), true);
      if (state === 'warning') close();
      return;
    }
    // The session had already ended.
    endsAt = Math.min(endsAt, Date.now());
    await expire();
  }

  async function expire() {
    if (state === 'ending' || state === 'ended') return;
    state = 'ending';
    window.clearTimeout(timer);
    const allSaved = await saveAllNow();
    if (endsAt > Date.now()) {
      // A save found the session still going (kept alive from another tab).
      state = 'warning';
      close();
      return;
    }
    if (allSaved) {
      location.assign(signInAfterTimeout(location.pathname + location.search, hasAutosaveForms()));
      return;
    }
    state = 'ended';
    warning.hidden = true;
    ended.hidden = false;
    dialog.setAttribute('aria-labelledby', endedTitle.id);
    dialog.setAttribute('aria-describedby', 'app-timeout-dialog-ended-text');
    if (!dialog.open) {
      returnFocus = doc.activeElement;
      dialog.showModal();
    }
    endedTitle.focus();
  }

  stayForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void stay();
  });
  part('close').addEventListener('click', () => {
    dialog.close();
  });
  // Escape: in the warning, the same as "Stay signed in"; once signed out, back to the page.
  dialog.addEventListener('cancel', (event) => {
    if (state === 'warning') {
      event.preventDefault();
      void stay();
    }
  });
  doc.addEventListener(SESSION_EVENT, (event) => {
    const left = Number(event.detail?.endsIn);
    if (Number.isFinite(left)) learn(Date.now() + left * 1000, true);
  });
  channel?.addEventListener('message', (event) => {
    const message = event.data ?? {};
    if (message.account !== account || !Number.isFinite(message.endsAt)) return;
    if (message.endsAt > endsAt || state === 'ended') learn(message.endsAt, false);
  });
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'visible') schedule();
  });
  channel?.postMessage({ account, endsAt });
  schedule();
}

if (typeof document !== 'undefined' && typeof location !== 'undefined') startTimeoutWarning();
