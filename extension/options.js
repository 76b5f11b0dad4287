// The options form: reads the settings into it, and saves them after asking the browser
// for the host access the chosen backend and automatic scoring need.

const api = globalThis.browser ?? globalThis.chrome;

const form = document.getElementById('options');
const status = document.getElementById('status');

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

async function fill() {
  const settings = await loadSettings(api.storage);
  form.elements.backendUrl.value = settings.backendUrl;
  form.elements.apiKey.value = settings.apiKey;
  form.elements.autoScore.checked = settings.autoScore;
  form.elements.skipHosts.value = settings.skipHosts.join('\n');
  form.elements.openFrom.value = settings.openFrom;
  if (settings.autoScore && !(await api.permissions.contains({ origins: ALL_SITES }))) {
    say('Automatic scoring is on but may not read pages: save to allow it.', true);
  }
}

async function save() {
  const backendUrl = form.elements.backendUrl.value.trim().replace(/\/+$/, '');
  const autoScore = form.elements.autoScore.checked;
  let pattern;
  try {
    pattern = backendPattern(backendUrl);
  } catch {
    say('Not saved: the scoring service URL must be a full http:// or https:// address.', true);
    return;
  }
  // Asked first, while the click still counts as the user's: Firefox refuses a request
  // made after anything else has been awaited.
  const origins = autoScore ? [pattern, ...ALL_SITES] : [pattern];
  const granted = await api.permissions.request({ origins });
  if (!granted) {
    say(
      autoScore
        ? 'Not saved: automatic scoring needs access to the pages you visit.'
        : `Not saved: the extension needs access to ${new URL(backendUrl).origin}.`,
      true,
    );
    return;
  }
  const { hosts, rejected } = parseHosts(form.elements.skipHosts.value);
  await api.storage.local.set({
    backendUrl,
    apiKey: form.elements.apiKey.value.trim(),
    autoScore,
    skipHosts: hosts,
    openFrom: BANDS.includes(form.elements.openFrom.value) ? form.elements.openFrom.value : 'high',
  });
  form.elements.backendUrl.value = backendUrl;
  form.elements.skipHosts.value = hosts.join('\n');
  say(rejected.length ? `Saved. Left out, not host names: ${rejected.join(', ')}` : 'Saved.');
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  say('');
  save().catch((err) => say(`Not saved: ${err.message}`, true));
});

fill().catch((err) => say(`The settings could not be read: ${err.message}`, true));
