/* global document, window, DOMParser */
/**
 * The progress page of an import (src/views/pages/admin/imports/progress.njk) kept up to date
 * while the import is applied. Progressive enhancement only: without this script the page has a
 * "Check progress" button that loads it again, which is all a person needs.
 *
 * The page is never reloaded by itself (a page that reloads itself takes a screen reader's
 * reader back to the top, and is WCAG's failure F41): every 2 seconds the page is fetched and
 * the text of its status (a live region, role="status") is replaced with the new one, which
 * screen readers announce politely. When the import has finished, the status says so and the
 * button becomes a link to the result.
 */

const status = document.querySelector('[data-import-progress]');
const check = document.querySelector('[data-import-check]');

async function poll() {
  let page;
  try {
    const response = await fetch(window.location.href, {
      credentials: 'same-origin',
      headers: { accept: 'text/html' },
      cache: 'no-store',
    });
    if (!response.ok) return true;
    page = new DOMParser().parseFromString(await response.text(), 'text/html');
  } catch {
    // Offline for a moment: try again next time.
    return true;
  }
  const next = page.querySelector('[data-import-progress]');
  if (next !== null) {
    if (status.textContent !== next.textContent) status.textContent = next.textContent;
    return true;
  }
  status.textContent = 'The import has finished.';
  if (check !== null) {
    check.textContent = 'See what the import did';
    check.classList.remove('govuk-button--secondary');
  }
  return false;
}

if (status !== null) {
  const timer = window.setInterval(() => {
    void poll().then((running) => {
      if (!running) window.clearInterval(timer);
    });
  }, 2000);
}
