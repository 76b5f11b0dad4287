// The user's settings: defaults, reading, and the host permission a backend needs.
// Loaded by the service worker and the options and popup pages.

const DEFAULT_SETTINGS = Object.freeze({
  backendUrl: 'http://127.0.0.1:5000',
  apiKey: '',
  autoScore: false,
  skipHosts: [],
  openFrom: 'high',
});

const BANDS = Object.freeze(['low', 'medium', 'high']);

// What automatic scoring needs: to read the pages the user visits.
const ALL_SITES = Object.freeze(['http://*/*', 'https://*/*']);

async function loadSettings(storage) {
  const stored = await storage.local.get(Object.keys(DEFAULT_SETTINGS));
  return { ...DEFAULT_SETTINGS, ...stored };
}

// The match pattern covering a backend URL's host on any port, or throws on a bad URL.
function backendPattern(backendUrl) {
  const url = new URL(backendUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error('the backend URL must start with http:// or https://');
  }
  return `${url.protocol}//${url.hostname}/*`;
}

// A skip entry covers the host itself and its subdomains: "example.com" skips
// "www.example.com". An IP address has no subdomains: "0.0.1" does not skip "127.0.0.1".
function isSkipped(hostname, skipHosts) {
  const host = hostname.toLowerCase();
  const isAddress = /^[\d.]+$/.test(host) || host.startsWith('[');
  return skipHosts.some((entry) => host === entry || (!isAddress && host.endsWith(`.${entry}`)));
}

// One host per line, as typed or pasted; a scheme, port or path is dropped. Lines that
// are no host name come back in `rejected` so the options page can say so.
function parseHosts(text) {
  const hosts = [];
  const rejected = [];
  for (const line of text.split('\n')) {
    const entry = line.trim();
    if (entry === '') {
      continue;
    }
    let hostname = '';
    try {
      hostname = new URL(entry.includes('://') ? entry : `http://${entry}`).hostname;
    } catch {
      // Reported below with the other lines that are no host name.
    }
    if (hostname === '' || /\s/.test(entry)) {
      rejected.push(entry);
    } else if (!hosts.includes(hostname)) {
      hosts.push(hostname);
    }
  }
  return { hosts, rejected };
}
