// The toolbar popup: what is known about the current tab, and a button to score it.

const api = globalThis.browser ?? globalThis.chrome;

const summary = document.getElementById('summary');
const scoreButton = document.getElementById('score');
const auto = document.getElementById('auto');

function describe(state) {
  if (!state) {
    return 'This page has not been scored.';
  }
  if (state.state === 'result') {
    return `Scored ${state.score}/100 (${state.band}): “${state.headline}”`;
  }
  if (state.state === 'scoring') {
    return 'Scoring this page…';
  }
  if (state.state === 'no-article') {
    return `Not an article: ${state.message}`;
  }
  if (state.state === 'unsupported-language') {
    return `Not scored: ${state.message}`;
  }
  if (state.code === 'unreachable') {
    return `The scoring service is not running: ${state.message} If it runs on this computer, start it with “sensationalism serve”.`;
  }
  return `Could not score this page: ${state.message}`;
}

async function show() {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  const answer = await api.runtime.sendMessage({ type: MSG.GET_TAB_STATE, tabId: tab.id });
  summary.textContent = describe(answer.state);
  auto.textContent = answer.autoScore
    ? 'Automatic scoring is on.'
    : 'Automatic scoring is off: pages are scored when you ask.';
  scoreButton.textContent =
    answer.state?.state === 'result' ? 'Show the score on the page' : 'Score this page';
  scoreButton.hidden = false;
  scoreButton.addEventListener('click', async () => {
    scoreButton.disabled = true;
    const result = await api.runtime.sendMessage({ type: MSG.SCORE_TAB, tabId: tab.id });
    if (result.ok) {
      window.close();
    } else {
      summary.textContent = result.error.message;
      scoreButton.disabled = false;
    }
  });
}

document.getElementById('options').addEventListener('click', () => {
  api.runtime.openOptionsPage();
  window.close();
});

show().catch((err) => {
  summary.textContent = `Something went wrong: ${err.message}`;
});
