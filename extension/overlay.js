// The overlay: a panel beside the page's headline, collapsible to a badge and
// movable, showing what overlay-views.js renders for the score or the state.
//
// It lives in a shadow root so that the page's CSS cannot reach it and its CSS cannot
// reach the page. Every node is made with createElement and filled with textContent:
// nothing from the page or the service is ever parsed as HTML.
//
// Injected after overlay-views.js and before content.js, which drives it through globalThis.sensationalismOverlay.
// Assigned to globalThis rather than declared, so that a second injection keeps the
// first overlay instead of throwing.

globalThis.sensationalismOverlay ??= (() => {
  const HOST_TAG = 'sensationalism-overlay';
  const { el, render, errorState } = globalThis.sensationalismViews;
  // Where the panel sits: this wide at most, this far from the headline and the edges.
  const PANEL_WIDTH = 380;
  const GAP = 12;
  const EDGE = 16;
  // How far an arrow key moves the panel (with Shift, further).
  const STEP = 16;
  const BIG_STEP = 64;

  let styles = '';
  let overlay = null;
  let closed = () => {};
  // The element the panel keeps clear of (the page's headline), if there is one.
  let anchor = null;
  // Where the reader moved the panel, from where it would sit, and whether they
  // collapsed it: remembered per site.
  let placed = { dx: 0, dy: 0, collapsed: false };
  const storage = (globalThis.browser ?? globalThis.chrome)?.storage?.local;
  const placeKey = () => `place:${location.origin}`;

  function mount() {
    const host = document.createElement(HOST_TAG);
    // Inline and important: no page rule can hide, move or restyle the host.
    host.style.setProperty('all', 'initial', 'important');
    // Open, not closed: the page gains nothing it could not read from its own DOM (its
    // headline, and a score it can already guess the extension shows), closed mode is
    // no security boundary, and an open root lets tests and assistive tools see in.
    const root = host.attachShadow({ mode: 'open' });
    const button = (className, label, title, text) =>
      el('button', { type: 'button', class: className, 'aria-label': label, title, text });
    const handle = button(
      'handle',
      'Move the sensationalism panel',
      'Drag, or focus and use the arrow keys, to move it (Home puts it back)',
      'Sensationalism',
    );
    const collapse = button(
      'collapse',
      'Collapse the sensationalism panel',
      'Collapse to a small badge',
      '–',
    );
    const dismiss = button(
      'dismiss',
      'Dismiss the sensationalism score',
      'Dismiss (Esc)',
      '×',
    );
    const status = el('p', { class: 'visually-hidden', role: 'status' });
    const content = el('div', { class: 'content' });
    const panel = el(
      'section',
      {
        class: 'panel',
        role: 'region',
        'aria-label': 'Sensationalism score',
        tabindex: '-1',
        lang: 'en',
      },
      [el('header', { class: 'top' }, [handle, collapse, dismiss]), status, content],
    );
    const pill = el('button', {
      type: 'button',
      class: 'pill',
      'aria-label': 'Show the sensationalism score',
      'aria-expanded': 'false',
    });
    const frame = el('div', { class: 'frame' }, [pill, panel]);
    root.append(el('style', { text: styles }), frame);
    dismiss.addEventListener('click', close);
    collapse.addEventListener('click', () => setCollapsed(true, { remember: true }));
    pill.addEventListener('click', () => setCollapsed(false, { remember: true }));
    frame.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        close();
      }
    });
    movable(handle);
    const replace = () => place();
    window.addEventListener('resize', replace);
    document.documentElement.append(host);
    return {
      host,
      frame,
      pill,
      panel,
      status,
      content,
      replace,
      returnFocus: document.activeElement,
    };
  }

  // Drag the handle with the mouse (or a finger), or focus it and press the arrow keys;
  // Home puts the panel back where it sits by itself. Remembered for the site.
  function movable(handle) {
    let start = null;
    handle.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) {
        return;
      }
      start = { x: event.clientX, y: event.clientY, dx: placed.dx, dy: placed.dy };
      handle.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    handle.addEventListener('pointermove', (event) => {
      if (start) {
        moveTo(start.dx + event.clientX - start.x, start.dy + event.clientY - start.y);
      }
    });
    const drop = () => {
      if (start) {
        start = null;
        remember();
      }
    };
    handle.addEventListener('pointerup', drop);
    handle.addEventListener('pointercancel', drop);
    handle.addEventListener('keydown', (event) => {
      const step = event.shiftKey ? BIG_STEP : STEP;
      const moves = {
        ArrowLeft: [-step, 0],
        ArrowRight: [step, 0],
        ArrowUp: [0, -step],
        ArrowDown: [0, step],
      };
      if (event.key === 'Home') {
        moveTo(0, 0);
      } else if (Object.hasOwn(moves, event.key)) {
        const [x, y] = moves[event.key];
        moveTo(placed.dx + x, placed.dy + y);
      } else {
        return;
      }
      event.preventDefault();
      remember();
    });
  }

  function moveTo(dx, dy) {
    placed = { ...placed, dx: Math.round(dx), dy: Math.round(dy) };
    place();
  }

  function remember() {
    storage?.set({ [placeKey()]: placed }).catch(() => {});
  }

  async function recall({ keepOpen }) {
    try {
      const stored = (await storage?.get(placeKey()))?.[placeKey()];
      if (Number.isFinite(stored?.dx) && Number.isFinite(stored?.dy)) {
        placed = { dx: stored.dx, dy: stored.dy, collapsed: stored.collapsed === true };
      }
    } catch {
      // No storage (a page the extension cannot store for): the panel sits by itself.
    }
    if (overlay) {
      setCollapsed(placed.collapsed && !keepOpen);
    }
  }

  function setCollapsed(collapsed, { remember: keep = false } = {}) {
    placed = { ...placed, collapsed };
    if (!overlay) {
      return;
    }
    const { frame, pill, panel } = overlay;
    const hadFocus = frame.matches(':focus-within');
    frame.dataset.collapsed = String(collapsed);
    pill.setAttribute('aria-expanded', String(!collapsed));
    panel.hidden = collapsed;
    pill.hidden = !collapsed;
    place();
    if (hadFocus) {
      (collapsed ? pill : panel).focus({ preventScroll: true });
    }
    if (keep) {
      remember();
    }
  }

  // Puts the panel beside the headline when there is room on its right, else below it,
  // so that it never covers it; with no headline, at the window's top right. Then moves
  // it by as much as the reader moved it.
  function place() {
    if (!overlay) {
      return;
    }
    const { frame } = overlay;
    const viewport = document.documentElement.clientWidth || window.innerWidth;
    const width = Math.max(0, Math.min(PANEL_WIDTH, viewport - 2 * EDGE));
    frame.style.setProperty('--width', `${width}px`);
    const box = anchor?.isConnected ? anchor.getBoundingClientRect() : null;
    let x = viewport - width - EDGE;
    let y = EDGE;
    if (box && box.width > 0) {
      if (box.right + GAP + width <= viewport - EDGE) {
        x = box.right + GAP;
        y = box.top;
      } else {
        x = Math.min(Math.max(box.left, EDGE), viewport - width - EDGE);
        y = box.bottom + GAP;
      }
    }
    // Beside a headline the panel scrolls with it; without one it stays in view.
    frame.dataset.anchored = String(Boolean(box && box.width > 0));
    x += placed.dx;
    y += placed.dy;
    frame.style.left = `${x}px`;
    frame.style.top = `${y}px`;
    if (frame.dataset.anchored === 'true') {
      // Absolute positions count from the page's containing block, wherever the
      // page's CSS put it: measure where the frame landed and correct by the difference.
      const landed = frame.getBoundingClientRect();
      frame.style.left = `${2 * x - landed.left}px`;
      frame.style.top = `${2 * y - landed.top}px`;
    }
  }

  function close() {
    if (!overlay) {
      return;
    }
    const { host, frame, replace, returnFocus } = overlay;
    const hadFocus = frame.matches(':focus-within');
    overlay = null;
    window.removeEventListener('resize', replace);
    host.remove();
    closed();
    if (hadFocus && returnFocus?.isConnected) {
      returnFocus.focus({ preventScroll: true });
    }
  }

  function show(view, { focus }) {
    const opening = overlay === null;
    overlay ??= mount();
    const { frame, pill, panel, status, content } = overlay;
    let state = view.kind === 'error' ? errorState(view.error) : view.kind;
    if (view.kind === 'result' && view.result.body_check?.status === 'could_not_check') {
      state = 'could-not-check';
    }
    panel.dataset.state = state;
    frame.dataset.state = state;
    panel.setAttribute('aria-busy', String(view.kind === 'scoring'));
    const [parts, said, short] = render(view);
    content.replaceChildren(...parts);
    status.textContent = said;
    pill.textContent = short;
    pill.dataset.band = view.kind === 'result' ? view.result.band : '';
    // Asked for from the popup, the panel opens even where it was left collapsed.
    setCollapsed(focus ? false : placed.collapsed);
    if (opening) {
      recall({ keepOpen: focus });
    }
    if (focus) {
      frame.scrollIntoView?.({ block: 'nearest' });
      (placed.collapsed ? pill : panel).focus({ preventScroll: true });
    }
  }

  return Object.freeze({
    // The text of overlay.css, which the service worker reads and passes on.
    useStyles(text) {
      styles = text;
    },
    // Draws a view: { kind: 'scoring' }, { kind: 'result', result, page, feedback,
    // marked }, or { kind: 'error', error }, opening the overlay if it is closed.
    // `feedback` (see feedback() above) is null where no feedback can be sent; `marked`
    // is how many words were marked in the page's headline, null if it was not found.
    show,
    // The page element the panel keeps clear of (its headline), or null.
    keepClearOf(element) {
      anchor = element;
      place();
    },
    isOpen: () => overlay !== null,
    // The host element as it serialises in the page's HTML (without its shadow root).
    hostMarkup: () => overlay?.host.outerHTML ?? null,
    onClose(callback) {
      closed = callback;
    },
  });
})();