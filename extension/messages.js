// The message types the extension's parts send one another.
//
// Loaded by the service worker, by the popup and options pages, and injected into
// pages before content.js. It assigns to globalThis instead of declaring a const
// so that injecting it twice into one page replaces the value instead of throwing.
globalThis.MSG = Object.freeze({
  // service worker -> content script: score this page; `open` shows the overlay at once.
  START: 'start',
  // content script -> service worker: here is the page; answer with the score or an error.
  SCORE_PAGE: 'score-page',
  // content script -> service worker: the reader's verdict on the score shown; answer
  // with ok, or with the error.
  SEND_FEEDBACK: 'send-feedback',
  // popup -> service worker: score the given tab and open the overlay there.
  SCORE_TAB: 'score-tab',
  // popup -> service worker: what is known about the given tab.
  GET_TAB_STATE: 'get-tab-state',
});
