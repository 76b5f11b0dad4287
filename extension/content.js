// Runs in the page when the service worker asks for a score: sends the page's HTML and
// address to the service worker, has headline-marks.js mark the words that drove the
// score in the page's own headline and overlay.js show the answer beside it; sends the
// reader's verdict on it when they click one of the overlay's feedback buttons.

(() => {
  // Injected once per page by the service worker; a second injection changes nothing.
  if (globalThis.sensationalismContentLoaded) {
    return;
  }
  globalThis.sensationalismContentLoaded = true;

  const api = globalThis.browser ?? globalThis.chrome;
  const overlay = globalThis.sensationalismOverlay;
  const marks = globalThis.sensationalismMarks;

  // The service refuses HTML over 5,000,000 bytes and request bodies over 6 MiB. The
  // HTML is sent JSON-encoded, so that is what is measured, with room to spare for both.
  const MAX_PAGE_BYTES = 4_500_000;

  let run = 0;
  // The verdicts sent from this page, by the score they are about, so that none is
  // sent twice: not by a second click, nor after the overlay is drawn again.
  const verdictsSent = new Map();
  // Once the overlay is closed, a score still on its way is no longer wanted.
  overlay.onClose(() => {
    run += 1;
    marks.clear();
  });

  api.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (message?.type !== MSG.START) {
      return false;
    }
    overlay.useStyles(message.styles);
    sendResponse({ ok: true });
    scorePage(message.open);
    return false;
  });

  async function scorePage(openNow) {
    run += 1;
    const thisRun = run;
    // The page as it was: the last score's marks are no part of it.
    marks.clear();
    const page = readPage();
    if (openNow) {
      // Until the service says which it is, the first heading is the likeliest headline.
      overlay.keepClearOf(firstHeading());
      overlay.show({ kind: 'scoring' }, { focus: true });
    }
    let answer;
    try {
      answer = await api.runtime.sendMessage({ type: MSG.SCORE_PAGE, ...page });
    } catch (err) {
      answer = { ok: false, error: { code: 'extension_error', message: String(err.message) } };
    }
    if (thisRun !== run || !(openNow || answer.open || overlay.isOpen())) {
      return; // a newer request took over, or the overlay is not wanted for this score
    }
    // Focus moves to the overlay only when the user asked for it (above), never by itself.
    if (answer.ok) {
      const { result } = answer;
      const feedback = feedbackFor(result, page);
      // The words are marked in the element showing the headline the service scored.
      const element =
        marks.find(result.headline.text) ?? marks.find(result.article?.headline?.text ?? '');
      const marked = element
        ? marks.mark(element, result.headline.text, result.highlights, result.reasons)
        : null;
      // Null: not found, or its text is not the one the service scored.
      overlay.keepClearOf(element ?? firstHeading());
      overlay.show({ kind: 'result', result, page, feedback, marked }, { focus: false });
    } else {
      overlay.keepClearOf(firstHeading());
      overlay.show({ kind: 'error', error: answer.error }, { focus: false });
    }
  }

  function firstHeading() {
    return (
      Array.from(document.querySelectorAll('h1')).find((h1) => h1.getClientRects().length) ??
      null
    );
  }

  // What the overlay's feedback buttons need: the verdict already sent about this score,
  // if any, and a way to send one. Null for pages the service takes no feedback about.
  function feedbackFor(result, page) {
    if (!/^https?:$/.test(new URL(page.url).protocol)) {
      return null;
    }
    const about = { url: page.url, headline: result.headline.text, score_seen: result.score };
    // The fragment is no part of the page (the service worker leaves it out too).
    const key = JSON.stringify([page.url.split('#')[0], about.headline, about.score_seen]);
    return {
      earlier: verdictsSent.get(key) ?? null,
      send(verdict, note) {
        if (!verdictsSent.has(key)) {
          const answer = sendFeedback({ ...about, verdict, note }).then((result) => {
            if (!result.ok) {
              verdictsSent.delete(key); // not stored: the reader may try again
            }
            return result;
          });
          verdictsSent.set(key, { verdict, answer });
        }
        return verdictsSent.get(key);
      },
    };
  }

  async function sendFeedback(feedback) {
    try {
      const answer = await api.runtime.sendMessage({ type: MSG.SEND_FEEDBACK, ...feedback });
      return answer ?? { ok: false, error: { code: 'extension_error', message: 'No answer.' } };
    } catch (err) {
      return { ok: false, error: { code: 'extension_error', message: String(err.message) } };
    }
  }

  // The page's HTML, whole if it fits; else its <head> and as much of the <body> as
  // fits, which is where a headline and the start of its article are.
  function readPage() {
    let html = document.documentElement.outerHTML;
    const host = overlay.hostMarkup();
    if (host) {
      // The overlay is no part of the page: cut its host, one unique run of markup.
      const at = html.lastIndexOf(host);
      html = html.slice(0, at) + html.slice(at + host.length);
    }
    const bytes = jsonBytes(html);
    const page = { url: location.href, html, bytes, sentBytes: bytes };
    if (bytes <= MAX_PAGE_BYTES) {
      return page;
    }
    const head = document.head?.outerHTML ?? '';
    const body = document.body?.outerHTML ?? html;
    let keep = Math.floor(body.length * (MAX_PAGE_BYTES / bytes));
    let trimmed = '';
    let trimmedBytes = Infinity;
    while (trimmedBytes > MAX_PAGE_BYTES && keep > 0) {
      let start = body.slice(0, keep);
      // Never end inside a tag; the service's parser closes the ones left open.
      const tagStart = start.lastIndexOf('<');
      if (tagStart > start.lastIndexOf('>')) {
        start = start.slice(0, tagStart);
      }
      trimmed = `<html>${head}${start}</html>`;
      trimmedBytes = jsonBytes(trimmed);
      keep = Math.floor(keep * 0.9);
    }
    return { ...page, html: trimmed, sentBytes: trimmedBytes };
  }

  function jsonBytes(text) {
    return new TextEncoder().encode(JSON.stringify(text)).length;
  }
})();
