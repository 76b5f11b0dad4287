// What the overlay shows in each state: the score, the reasons, the article check,
// the feedback buttons, the details, and a panel for each error. Builds nodes with
// createElement and textContent only: nothing from the page or the service is ever
// parsed as HTML.
//
// Injected before overlay.js, which puts what render() returns into its panel.
// Assigned to globalThis rather than declared, so that a second injection keeps the
// first instead of throwing.

globalThis.sensationalismViews ??= (() => {
  const TOP_REASONS = 3;
  const BAND_NAMES = Object.freeze({ low: 'Low', medium: 'Medium', high: 'High' });
  // The body check's verdicts and evidence roles, in the words of model/stance.py.
  const STANCES = Object.freeze({
    agree: 'The article backs the headline.',
    disagree: 'The article disputes or refutes the headline.',
    discuss: 'The article reports the claim without confirming it.',
    unrelated: 'The article is not about what the headline says.',
  });
  const ROLES = Object.freeze({
    answers_question: 'where it answers the question',
    missing: 'the closest it comes',
    hedges: 'where it hedges',
    denies: 'where it denies it',
    contradicts: 'where it contradicts it',
    supports: 'where it backs it',
    discusses: 'where it discusses it',
  });

  // Each error code's panel: its state (the panel's data-state), a title, and what the
  // reader can do. Codes not listed get `default`.
  const CHECK_OPTIONS = 'Check the scoring service URL in the extension’s options.';
  const ERRORS = Object.freeze({
    no_headline: ['no-article', 'Not an article', 'No headline was found on this page.'],
    no_article: [
      'no-article',
      'Not an article',
      'This looks like a front page, a listing or a search page: open an article to score it.',
    ],
    unsupported_language: [
      'unsupported-language',
      'Language not supported',
      'No score is given: the models were trained on English news only.',
    ],
    too_large: ['too-large', 'This page is too large to score', null],
    unreachable: ['service-down', 'The scoring service is not running', null],
    timeout: [
      'timeout',
      'The scoring service took too long',
      'Try again; a long page takes longer to score.',
    ],
    no_permission: ['error', 'The scoring service is out of reach', CHECK_OPTIONS],
    bad_backend: ['error', 'The scoring service is out of reach', CHECK_OPTIONS],
    unauthorized: [
      'error',
      'The scoring service wants an API key',
      'Set the API key in the extension’s options.',
    ],
    too_many_requests: ['error', 'The scoring service is busy', 'Try again in a minute.'],
    default: ['error', 'The scoring service could not score it', CHECK_OPTIONS],
  });
  // The command that starts the service (see the project's README).
  const SERVE_COMMAND = 'sensationalism serve';

  // The reader's verdicts on a score, as the service names them, and their buttons.
  const VERDICTS = Object.freeze([
    ['too_high', 'Too high'],
    ['too_low', 'Too low'],
    ['about_right', 'About right'],
  ]);
  // What the feedback line says when the service did not store a verdict, by its status.
  const FEEDBACK_ERRORS = Object.freeze({
    400: (error) => `Not sent: the scoring service refused it (${error.message}).`,
    401: () =>
      'Not sent: the scoring service wants an API key. Set it in the extension’s options.',
    429: (error) =>
      Number.isInteger(error.retryAfter)
        ? `Not sent: the scoring service is busy; try again in ${error.retryAfter} s.`
        : 'Not sent: the scoring service is busy; try again in a minute.',
    503: () => 'Not sent: the scoring service cannot store feedback just now; try again later.',
  });
  const MAX_NOTE_CHARS = 2000;

  function el(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'text') {
        node.textContent = value;
      } else {
        node.setAttribute(name, value);
      }
    }
    node.append(...children);
    return node;
  }


  function render(view) {
    if (view.kind === 'scoring') {
      return [
        [
          el('p', { class: 'message', text: 'Scoring this page…' }),
          el('div', { class: 'progress' }),
        ],
        'Scoring this page.',
        'Scoring…',
      ];
    }
    if (view.kind === 'error') {
      return renderError(view.error);
    }
    return renderResult(view.result, view.page, view.feedback, view.marked);
  }

  function errorEntry(error) {
    return Object.hasOwn(ERRORS, error.code) ? ERRORS[error.code] : ERRORS.default;
  }

  function errorState(error) {
    return errorEntry(error)[0];
  }

  function renderError(error) {
    const [state, title, hint] = errorEntry(error);
    const parts = [
      el('p', { class: 'message', text: title }),
      el('p', { class: 'reason', 'data-field': 'reason', text: error.message ?? '' }),
    ];
    if (state === 'no-article' && error.found && typeof error.found === 'object') {
      parts.push(found(error.found));
    }
    if (state === 'service-down') {
      parts.push(
        el('p', { class: 'hint', 'data-field': 'start' }, [
          el('span', { text: 'If it runs on this computer, start it with ' }),
          el('code', { text: SERVE_COMMAND }),
          el('span', { text: ' in a terminal, then score the page again.' }),
        ]),
        el('p', { class: 'hint', text: CHECK_OPTIONS }),
      );
    } else if (hint) {
      parts.push(el('p', { class: 'hint', text: hint }));
    }
    const next = state === 'service-down' ? `Start it with ${SERVE_COMMAND}.` : hint;
    const said = [title, error.message, next];
    const short = { 'no-article': 'Not an article', 'unsupported-language': 'Not English' };
    return [parts, said.filter(Boolean).join('. '), short[state] ?? '!'];
  }

  // What the service found on a page that is not an article.
  function found(what) {
    const facts = [
      ['Headline', typeof what.headline === 'string' ? what.headline : 'none', 'found-headline'],
      ['Words of article text', String(Number(what.body_words) || 0), 'found-words'],
      ['Links', String(Number(what.links) || 0), 'found-links'],
    ];
    const list = el('dl', { class: 'facts found' });
    for (const [name, value, field] of facts) {
      list.append(el('dt', { text: name }), el('dd', { 'data-field': field, text: value }));
    }
    return list;
  }

  function renderResult(result, page, offer, marked) {
    const band = BAND_NAMES[result.band];
    const gauge = el(
      'div',
      {
        class: 'gauge',
        role: 'meter',
        'aria-label': 'Sensationalism score',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-valuenow': String(result.score),
        'aria-valuetext': `${result.score} out of 100: ${band.toLowerCase()}`,
        'data-band': result.band,
      },
      [
        el('p', { class: 'reading' }, [
          el('span', { class: 'score', 'data-field': 'score', text: String(result.score) }),
          el('span', { class: 'out-of', text: '/100' }),
          el('span', { class: 'band', 'data-field': 'band', text: band }),
        ]),
        el('div', { class: 'track' }, [el('div', { class: 'fill' })]),
      ],
    );
    gauge.style.setProperty('--score', String(result.score));
    const reasons = result.reasons.slice(0, TOP_REASONS);
    const checkStatus = result.body_check?.status;
    const parts = [];
    if (checkStatus === 'could_not_check') {
      parts.push(
        el('div', { class: 'notice', 'data-field': 'body-status' }, [
          el('p', { class: 'message', text: 'The article could not be checked' }),
          el('p', {
            class: 'reason',
            text:
              result.body_check.status_message ??
              'Its text did not match its headline; the extraction may have gone wrong.',
          }),
          el('p', { class: 'hint', text: 'The score below is the headline’s alone.' }),
        ]),
      );
    }
    parts.push(
      gauge,
      headline(result.headline.text, result.highlights),
      pageMarks(marked, result.highlights.length),
      el('p', {
        class: 'label',
        text: reasons.length ? 'Why' : 'Nothing in the wording stands out.',
      }),
      el('ul', { class: 'reasons' }, reasons.map(reason)),
    );
    if (result.body_check && checkStatus !== 'could_not_check') {
      parts.push(bodyCheck(result.body_check));
    }
    // No feedback where the service would refuse it (a page that is not http(s)).
    const note = offer ? noteField() : null;
    if (offer) {
      parts.push(feedback(offer, note.querySelector('textarea')));
    }
    parts.push(details(result, page, note));
    return [
      parts,
      `Sensationalism score ${result.score} out of 100: ${band.toLowerCase()}.`,
      `${result.score} ${band}`,
    ];
  }

  // Whether the words are marked in the page's own headline too, or why not.
  function pageMarks(marked, words) {
    let text;
    if (marked === null || marked === undefined) {
      text = 'This headline was not found as such on the page, so its words are marked here only.';
    } else if (words === 0) {
      text = 'No word in the page’s headline stands out enough to mark.';
    } else {
      text = 'The same words are marked in the page’s headline.';
    }
    const found = marked === null || marked === undefined ? 'false' : 'true';
    return el('p', { class: 'page-marks', 'data-field': 'page-marks', 'data-found': found, text });
  }

  // The headline, with the words that drove the score marked: warm for words that raise
  // it, cool for words that lower it, stronger the more they weigh.
  function headline(text, highlights) {
    const node = el('p', { class: 'headline', 'data-field': 'headline' });
    if (document.documentElement.lang) {
      node.lang = document.documentElement.lang;
    }
    // The service counts characters as Python does, by code point.
    const chars = Array.from(text);
    const strongest = Math.max(0, ...highlights.map((span) => Math.abs(span.weight)));
    let at = 0;
    for (const span of [...highlights].sort((a, b) => a.start - b.start)) {
      if (span.start < at || span.end > chars.length || span.end <= span.start || !span.weight) {
        continue;
      }
      node.append(document.createTextNode(chars.slice(at, span.start).join('')));
      const raises = span.weight > 0;
      const mark = el('mark', {
        class: raises ? 'raises' : 'lowers',
        title: `${raises ? 'Raises' : 'Lowers'} the score (${signed(span.weight)})`,
        'data-weight': String(span.weight),
        text: chars.slice(span.start, span.end).join(''),
      });
      mark.style.setProperty(
        '--strength',
        (0.25 + (0.75 * Math.abs(span.weight)) / strongest).toFixed(2),
      );
      node.append(mark);
      at = span.end;
    }
    node.append(document.createTextNode(chars.slice(at).join('')));
    return node;
  }

  function reason(item) {
    const raises = item.weight >= 0;
    return el('li', { class: raises ? 'raises' : 'lowers', 'data-code': item.code }, [
      el('span', { class: 'sign', 'aria-hidden': 'true', text: raises ? '▲' : '▼' }),
      el('span', {
        class: 'visually-hidden',
        text: raises ? 'Raises the score: ' : 'Lowers the score: ',
      }),
      el('span', { class: 'text', text: item.message }),
    ]);
  }

  function bodyCheck(check) {
    const stance = String(check.stance ?? '');
    const section = el('div', { class: 'body-check', 'data-stance': stance }, [
      el('p', { class: 'label', text: 'Does the article back it?' }),
      // The service's verdict is the finding its first evidence quote belongs to.
      el('p', {
        class: 'verdict',
        'data-field': 'verdict',
        text: typeof check.verdict === 'string' ? check.verdict : (STANCES[stance] ?? stance),
      }),
    ]);
    if (check.status === 'short' && typeof check.status_message === 'string') {
      section.append(el('p', { class: 'hint', 'data-field': 'body-status', text: check.status_message }));
    }
    const quoted = (Array.isArray(check.evidence) ? check.evidence : []).find(
      (item) => item?.sentence,
    );
    if (quoted) {
      const role = Object.hasOwn(ROLES, quoted.role) ? ROLES[quoted.role] : quoted.role;
      const source = role ? `From the article, ${role}:` : 'From the article:';
      section.append(
        el('p', { class: 'quote-source', text: source }),
        el('blockquote', { class: 'evidence', 'data-field': 'evidence', text: quoted.sentence }),
      );
    }
    return section;
  }

  // The three verdict buttons and the line that says how sending went. `offer` comes
  // from content.js: send(verdict, note) sends one, and `earlier` is the one already
  // sent about this score, if any, so that drawing the overlay again cannot send twice.
  function feedback(offer, noteInput) {
    const status = el('p', {
      class: 'feedback-status',
      'aria-live': 'polite',
      tabindex: '-1',
      'data-field': 'feedback-status',
    });
    const buttons = VERDICTS.map(([verdict, label]) =>
      el('button', {
        type: 'button',
        class: 'feedback-button',
        'data-verdict': verdict,
        text: label,
      }),
    );
    const section = el(
      'div',
      { class: 'feedback', role: 'group', 'aria-labelledby': 'feedback-label' },
      [
        el('p', { class: 'label', id: 'feedback-label', text: 'Is this score right?' }),
        el('div', { class: 'feedback-buttons' }, buttons),
        status,
      ],
    );
    let busy = false;

    function enable(on) {
      for (const button of buttons) {
        button.disabled = !on;
      }
      noteInput.disabled = !on;
    }

    async function follow({ verdict, answer }) {
      busy = true;
      const root = section.getRootNode();
      // A disabled button drops the focus; keep it in the overlay, on what happens next.
      const hadFocus = buttons.includes(root.activeElement);
      const chosen = buttons.find((button) => button.dataset.verdict === verdict);
      enable(false);
      status.dataset.state = 'sending';
      status.textContent = 'Sending…';
      if (hadFocus) {
        status.focus({ preventScroll: true });
      }
      const result = await answer;
      if (!section.isConnected) {
        return; // the overlay was closed or drawn again meanwhile
      }
      if (result?.ok) {
        chosen?.setAttribute('data-chosen', '');
        status.dataset.state = 'sent';
        status.textContent = 'Thanks — sent.';
        return;
      }
      busy = false;
      enable(true);
      status.dataset.state = 'error';
      status.textContent = feedbackError(result?.error ?? {});
      if (root.activeElement === status) {
        chosen?.focus({ preventScroll: true });
      }
    }

    for (const button of buttons) {
      button.addEventListener('click', (event) => {
        // The shadow root is open, so page script can reach these buttons:
        // only a reader's own click or key press may send a verdict.
        if (!event.isTrusted) {
          return;
        }
        if (!busy) {
          follow(offer.send(button.dataset.verdict, noteInput.value.trim()));
        }
      });
    }
    if (offer.earlier) {
      follow(offer.earlier);
    }
    return section;
  }

  function feedbackError(error) {
    const say = FEEDBACK_ERRORS[error.status];
    return say ? say(error) : `Not sent: ${error.message ?? 'something went wrong'}`;
  }

  // An optional note to go with the verdict; it lives in the details, out of the way.
  function noteField() {
    return el('div', { class: 'note' }, [
      el('label', {
        class: 'label',
        for: 'feedback-note',
        text: 'A note to send with your verdict (optional)',
      }),
      el('textarea', {
        id: 'feedback-note',
        rows: '2',
        maxlength: String(MAX_NOTE_CHARS),
        'data-field': 'feedback-note',
      }),
    ]);
  }

  function details(result, page, note) {
    const facts = [
      [
        'Headline score',
        `${result.headline.score}/100 (probability ${(result.headline.probability * 100).toFixed(1)} %)`,
        'headline-score',
      ],
      ['Headline found in', result.article?.headline?.source ?? 'unknown', 'headline-source'],
      ['Site', result.article?.site_name ?? 'unknown', 'site'],
      ['Model', result.model?.version ?? 'unknown', 'model'],
      [
        'Page sent',
        page.sentBytes < page.bytes
          ? `the first ${size(page.sentBytes)} of ${size(page.bytes)}`
          : `all of it (${size(page.bytes)})`,
        'sent',
      ],
      ['Answer', result.cached ? 'from the service’s cache' : 'freshly scored', 'cached'],
    ];
    const probabilities = result.body_check?.probabilities;
    if (probabilities && typeof probabilities === 'object') {
      const listed = Object.entries(probabilities).map(
        ([name, p]) => `${name} ${(Number(p) * 100).toFixed(0)} %`,
      );
      facts.push(['Article check', listed.join(', '), 'stance-probabilities']);
    }
    if (typeof result.body_check?.support === 'number') {
      facts.push(['Article support', signed(result.body_check.support), 'support']);
    }
    const list = el('dl', { class: 'facts' });
    for (const [name, value, field] of facts) {
      list.append(el('dt', { text: name }), el('dd', { 'data-field': field, text: value }));
    }
    const allReasons = el('ul', { class: 'all-reasons' }, result.reasons.map(weighedReason));
    const parts = [
      el('summary', { text: 'Details' }),
      list,
      el('p', { class: 'label', text: 'Every reason, with its weight' }),
      allReasons,
    ];
    const bodyReasons = Array.isArray(result.body_check?.reasons) ? result.body_check.reasons : [];
    if (bodyReasons.length) {
      parts.push(
        el('p', { class: 'label', text: 'The article check' }),
        el('ul', { class: 'body-reasons' }, bodyReasons.map(weighedReason)),
      );
    }
    parts.push(
      el('p', { class: 'legend' }, [
        el('mark', { class: 'raises sample', text: 'Warm' }),
        el('span', { text: ' words raise the score, ' }),
        el('mark', { class: 'lowers sample', text: 'cool' }),
        el('span', { text: ' words lower it; the stronger the colour, the more they weigh.' }),
      ]),
    );
    if (note) {
      parts.push(note);
    }
    return el('details', { class: 'details' }, parts);
  }

  function weighedReason(item) {
    return el('li', { class: item.weight >= 0 ? 'raises' : 'lowers', 'data-code': item.code }, [
      el('span', { class: 'text', text: item.message }),
      el('span', { class: 'weight', text: ` ${signed(item.weight)}` }),
    ]);
  }

  function signed(weight) {
    return `${weight >= 0 ? '+' : '−'}${Math.abs(weight).toFixed(2)}`;
  }

  function size(bytes) {
    return bytes < 1_000_000
      ? `${Math.ceil(bytes / 1000)} kB`
      : `${(bytes / 1_000_000).toFixed(1)} MB`;
  }

  return Object.freeze({
    el,
    // [the panel's nodes, a sentence for screen readers, the collapsed badge's text]
    render,
    // The panel's data-state for an error: no-article, service-down, timeout, ...
    errorState,
  });
})();
