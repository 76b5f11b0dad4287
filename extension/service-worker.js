// The extension's only door to the network: it asks the scoring service about the pages
// the content script sends, keeps the toolbar badge, and injects the content script when
// a page is to be scored (automatically, or from the popup).

if (typeof importScripts === 'function') {
  // Chromium runs this file as a service worker. Firefox runs it as a background script
  // and loads these two files before it (manifest.json, background.scripts).
  importScripts('messages.js', 'settings.js');
}

const api = globalThis.browser ?? globalThis.chrome;

const SCORE_PATH = '/api/v1/score';
const FEEDBACK_PATH = '/api/v1/feedback';
// What the service accepts as a verdict, and the longest note it keeps.
const VERDICTS = Object.freeze(['too_high', 'too_low', 'about_right']);
const MAX_NOTE_CHARS = 2000;
const REQUEST_TIMEOUT_MS = 20000;
const READER_ID_KEY = 'readerId';
const READER_ID_HEADER = 'X-Reader-Id';
const READER_ID_PATTERN = /^[0-9a-f-]{36}$/;
const BAND_COLOURS = Object.freeze({ low: '#1a7f37', medium: '#9a6700', high: '#c62828' });
const STATE_BADGES = Object.freeze({
  scoring: { text: '…', color: '#57606a' },
  'no-article': { text: '–', color: '#57606a' },
  'unsupported-language': { text: '–', color: '#57606a' },
  error: { text: '!', color: '#57606a' },
});
// The error codes that say the page is not one the scorer reads, by the tab state.
const PAGE_STATES = Object.freeze({
  no_headline: 'no-article',
  no_article: 'no-article',
  unsupported_language: 'unsupported-language',
});
// What the service may say beside its error's code and message (the page-state
// contract), passed on to the overlay as data.
const ERROR_EXTRAS = Object.freeze(['found', 'language', 'language_name']);

/** A failure the user is told about: a stable code and a sentence. */
class ServiceError extends Error {
  constructor(code, message, { status = null, retryAfter = null, url = null, extra = {} } = {}) {
    super(message);
    this.code = code;
    this.status = status;
    // Seconds the service asked us to wait (its Retry-After header), when it said.
    this.retryAfter = retryAfter;
    // The address the request went to, for the reader to check.
    this.url = url;
    this.extra = extra;
  }
}

function errorData(err) {
  if (err instanceof ServiceError) {
    return {
      ...err.extra,
      code: err.code,
      message: err.message,
      status: err.status,
      retryAfter: err.retryAfter,
      url: err.url,
    };
  }
  return {
    code: 'extension_error',
    message: String(err?.message ?? err),
    status: null,
    retryAfter: null,
  };
}

// Installation

api.runtime.onInstalled.addListener(() => {
  writeDefaults();
});

// Written once: on install every setting gets its default; an update only adds the
// settings that are new, so what the user chose is kept.
async function writeDefaults() {
  const stored = await api.storage.local.get(null);
  const missing = Object.entries(DEFAULT_SETTINGS).filter(([key]) => !(key in stored));
  await api.storage.local.set(Object.fromEntries(missing));
  await readerId();
}

// This installation's random id, made once and kept: sent as X-Reader-Id so that
// the service can rate-limit each reader within a shared API key. It names no one:
// 128 random bits, not derived from the browser, the profile or the pages read.
async function readerId() {
  const { [READER_ID_KEY]: stored } = await api.storage.local.get(READER_ID_KEY);
  if (typeof stored === 'string' && READER_ID_PATTERN.test(stored)) {
    return stored;
  }
  const made = crypto.randomUUID();
  await api.storage.local.set({ [READER_ID_KEY]: made });
  return made;
}

// Automatic scoring

api.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status === 'loading') {
    forgetTab(tabId);
  } else if (change.status === 'complete') {
    scoreIfAutomatic(tabId, tab.url);
  }
});

api.tabs.onRemoved.addListener((tabId) => {
  api.storage.session.remove(tabKey(tabId));
});

async function scoreIfAutomatic(tabId, pageUrl) {
  // tab.url is only there for pages this extension has been allowed to read.
  if (!pageUrl || !/^https?:/.test(pageUrl)) {
    return;
  }
  const settings = await loadSettings(api.storage);
  if (!settings.autoScore || isSkipped(new URL(pageUrl).hostname, settings.skipHosts)) {
    return;
  }
  try {
    await startScoring(tabId, { open: false });
  } catch {
    // A page the browser keeps extensions out of, or one closed meanwhile: nothing to do.
  }
}

// Content script

let overlayStyles = null;

function readOverlayStyles() {
  overlayStyles ??= fetch(api.runtime.getURL('overlay.css')).then((response) => response.text());
  return overlayStyles;
}

// Tells the page's content script to score the page, injecting it on first use.
async function startScoring(tabId, { open }) {
  const message = { type: MSG.START, open, styles: await readOverlayStyles() };
  try {
    await api.tabs.sendMessage(tabId, message);
  } catch {
    // Nobody listening: the content script is not in this page yet.
    await api.scripting.executeScript({
      target: { tabId },
      files: ['messages.js', 'headline-marks.js', 'overlay-views.js', 'overlay.js', 'content.js'],
    });
    await api.tabs.sendMessage(tabId, message);
  }
}

// Scoring

async function scorePage(message, tab) {
  if (!tab || typeof message.html !== 'string' || typeof message.url !== 'string') {
    return { ok: false, error: errorData(new ServiceError('bad_message', 'Not a page.')) };
  }
  await showState(tab.id, { state: 'scoring' });
  const settings = await loadSettings(api.storage);
  try {
    const result = await requestScore(settings, { html: message.html, url: message.url });
    await showState(tab.id, {
      state: 'result',
      score: result.score,
      band: result.band,
      headline: result.headline.text,
    });
    const open = BANDS.indexOf(result.band) >= BANDS.indexOf(settings.openFrom);
    return { ok: true, result, open };
  } catch (err) {
    const error = errorData(err);
    const state = PAGE_STATES[error.code] ?? 'error';
    await showState(tab.id, { state, code: error.code, message: error.message });
    return { ok: false, error };
  }
}

async function requestScore(settings, page) {
  const body = await callService(settings, SCORE_PATH, { html: page.html, url: page.url });
  if (!isScore(body)) {
    throw new ServiceError(
      'bad_answer',
      `The scoring service at ${serviceBase(settings)} sent no score.`,
    );
  }
  return body;
}

function serviceBase(settings) {
  return settings.backendUrl.replace(/\/+$/, '');
}

// POSTs `payload` as JSON to the service and returns its JSON answer, or throws a
// ServiceError saying what went wrong in words the overlay can show.
async function callService(settings, path, payload) {
  const base = serviceBase(settings);
  let pattern;
  try {
    pattern = backendPattern(base);
  } catch {
    throw new ServiceError('bad_backend', `The backend URL "${base}" is not an http(s) address.`);
  }
  if (!(await api.permissions.contains({ origins: [pattern] }))) {
    throw new ServiceError(
      'no_permission',
      `The extension has not been allowed to contact ${base}: save it again in the options.`,
    );
  }
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (settings.apiKey) {
    headers['X-API-Key'] = settings.apiKey;
  }
  headers[READER_ID_HEADER] = await readerId();
  const url = base + path;
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(payload),
      credentials: 'omit',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    if (err.name === 'TimeoutError') {
      throw new ServiceError(
        'timeout',
        `The scoring service at ${url} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s.`,
        { url },
      );
    }
    // The browser says no more than "Failed to fetch" (Chromium) or "NetworkError"
    // (Firefox): most often nothing listens at the address.
    throw new ServiceError('unreachable', `Nothing answered at ${url} (${err.message}).`, {
      url,
    });
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const said = body?.error ?? {};
    const extra = Object.fromEntries(
      ERROR_EXTRAS.filter((name) => Object.hasOwn(said, name)).map((name) => [name, said[name]]),
    );
    throw new ServiceError(
      typeof said.code === 'string' ? said.code : `http_${response.status}`,
      typeof said.message === 'string'
        ? said.message
        : `The scoring service answered ${response.status}.`,
      {
        status: response.status,
        retryAfter: retryAfterSeconds(response.headers.get('Retry-After')),
        url,
        extra,
      },
    );
  }
  return body;
}

// Retry-After is either a number of seconds or an HTTP date.
function retryAfterSeconds(value) {
  if (value === null) {
    return null;
  }
  if (/^\s*\d+\s*$/.test(value)) {
    return Number(value);
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function isScore(body) {
  return (
    Number.isInteger(body?.score) &&
    BANDS.includes(body.band) &&
    typeof body.headline?.text === 'string' &&
    Array.isArray(body.reasons) &&
    Array.isArray(body.highlights)
  );
}

// Feedback: the reader's verdict on a score, sent only when they click for it.

async function sendFeedback(message, tab) {
  try {
    if (!tab) {
      throw new ServiceError('bad_message', 'Not a page.');
    }
    const feedback = feedbackBody(message);
    const settings = await loadSettings(api.storage);
    const body = await callService(settings, FEEDBACK_PATH, feedback);
    if (body?.status !== 'stored') {
      throw new ServiceError(
        'bad_answer',
        `The scoring service at ${serviceBase(settings)} did not store the feedback.`,
      );
    }
    return { ok: true, id: body.id };
  } catch (err) {
    return { ok: false, error: errorData(err) };
  }
}

// The request body, built field by field from the content script's message: exactly
// what the service stores, and nothing else the message may carry.
function feedbackBody(message) {
  const refuse = (why) => {
    throw new ServiceError('bad_message', why);
  };
  let url;
  try {
    url = new URL(message.url);
  } catch {
    refuse('Not a page.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    refuse('Feedback can only be sent about http(s) pages.');
  }
  // The fragment never reaches a web server and can hold a page's private state; a
  // user name or password has no business leaving the browser.
  url.hash = '';
  url.username = '';
  url.password = '';
  if (typeof message.headline !== 'string' || !message.headline.trim()) {
    refuse('There is no headline to give feedback on.');
  }
  const score = message.score_seen;
  if (!Number.isInteger(score) || score < 0 || score > 100) {
    refuse('There is no score to give feedback on.');
  }
  if (!VERDICTS.includes(message.verdict)) {
    refuse(`Not a verdict: ${message.verdict}.`);
  }
  const body = {
    url: url.href,
    headline: message.headline,
    score_seen: score,
    verdict: message.verdict,
  };
  const note = typeof message.note === 'string' ? message.note.trim() : '';
  // Counted as the service counts, by code point; the note field stops typing sooner.
  if (Array.from(note).length > MAX_NOTE_CHARS) {
    refuse(`The note is longer than ${MAX_NOTE_CHARS.toLocaleString('en')} characters.`);
  }
  if (note) {
    body.note = note;
  }
  return body;
}

// What each tab shows: the badge, and the state the popup reads.

function tabKey(tabId) {
  return `tab:${tabId}`;
}

async function showState(tabId, state) {
  const badge =
    state.state === 'result'
      ? { text: String(state.score), color: BAND_COLOURS[state.band] }
      : STATE_BADGES[state.state];
  await Promise.all([
    api.action.setBadgeText({ tabId, text: badge.text }),
    api.action.setBadgeBackgroundColor({ tabId, color: badge.color }),
    api.action.setBadgeTextColor?.({ tabId, color: '#ffffff' }),
    api.storage.session.set({ [tabKey(tabId)]: state }),
  ]);
}

async function forgetTab(tabId) {
  await Promise.all([
    api.action.setBadgeText({ tabId, text: '' }),
    api.storage.session.remove(tabKey(tabId)),
  ]);
}

async function tabState(tabId) {
  const key = tabKey(tabId);
  const [stored, settings] = await Promise.all([
    api.storage.session.get(key),
    loadSettings(api.storage),
  ]);
  return { ok: true, state: stored[key] ?? null, autoScore: settings.autoScore };
}

async function scoreTab(tabId) {
  try {
    await startScoring(tabId, { open: true });
    return { ok: true };
  } catch (err) {
    return {
      ok: false,
      error: { code: 'cannot_score', message: `This page cannot be scored: ${err.message}` },
    };
  }
}

// Messages: content scripts send pages and feedback; the extension's own pages ask
// about tabs.

function fromExtensionPage(sender) {
  return sender.url?.startsWith(api.runtime.getURL('')) ?? false;
}

const handlers = Object.freeze({
  [MSG.SCORE_PAGE]: (message, sender) =>
    fromExtensionPage(sender) ? null : scorePage(message, sender.tab),
  [MSG.SEND_FEEDBACK]: (message, sender) =>
    fromExtensionPage(sender) ? null : sendFeedback(message, sender.tab),
  [MSG.SCORE_TAB]: (message, sender) =>
    fromExtensionPage(sender) ? scoreTab(message.tabId) : null,
  [MSG.GET_TAB_STATE]: (message, sender) =>
    fromExtensionPage(sender) ? tabState(message.tabId) : null,
});

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const answer = handlers[message?.type]?.(message, sender);
  if (!answer) {
    return false;
  }
  answer.then(sendResponse, (err) => sendResponse({ ok: false, error: errorData(err) }));
  return true; // the answer comes later
});
