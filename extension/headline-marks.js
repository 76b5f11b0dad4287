// Marks the words that drove the score in the page's own headline.
//
// The service reports the headline's text (whitespace collapsed) and the highlighted
// words as code-point offsets into it. This finds the page element showing that text,
// and wraps each highlighted run of its text nodes in a <mark>, using DOM calls only:
// the page's text stays text, whatever it contains. The marks only colour and
// underline, so the page's layout does not move; clear() takes them out again and
// joins the text nodes back.
//
// Injected before content.js, which drives it through globalThis.sensationalismMarks.
// Assigned to globalThis rather than declared, so that a second injection keeps the
// first (and the marks it knows about).

globalThis.sensationalismMarks ??= (() => {
  const MARK_ATTRIBUTE = 'data-sensationalism-mark';
  // Where a headline is most likely to be, tried in order before any other element.
  const LIKELY = 'h1, [itemprop~="headline"], h2, h3, [role="heading"], header *';
  // The colours of the overlay's own marks (overlay.css): warm raises, cool lowers.
  const WARM = '230 81 0';
  const COOL = '9 105 218';

  let marked = [];

  function normalise(text) {
    return text.replace(/\s+/g, ' ').trim();
  }

  // The element showing the headline: the first visible one among the likely places,
  // else the innermost element anywhere in the body, whose text is the headline's.
  function find(text) {
    const wanted = normalise(text);
    if (!wanted || !document.body) {
      return null;
    }
    // Text many times longer than the headline cannot be it, however much white space
    // it holds: not normalising it keeps a search of a megabyte page quick.
    const longest = 50 * wanted.length + 5000;
    const matches = (element) => {
      const text = element.textContent ?? '';
      return (
        text.length >= wanted.length &&
        text.length <= longest &&
        !element.closest('sensationalism-overlay') &&
        normalise(text) === wanted &&
        element.getClientRects().length > 0
      );
    };
    const likely = Array.from(document.body.querySelectorAll(LIKELY)).find(matches);
    if (likely) {
      return likely;
    }
    // The innermost match is the last one in document order among those that contain
    // each other.
    let found = null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.localName === 'script' || node.localName === 'style') {
        continue;
      }
      if (matches(node)) {
        found = node;
      }
    }
    return found;
  }

  // Each character of the element's text, as the service counts them (by code point,
  // runs of white space as one space, none at either end), mapped to its text node
  // and UTF-16 offset there.
  function characters(element) {
    const chars = [];
    let pendingSpace = null;
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      let offset = 0;
      for (const char of node.data) {
        if (/\s/.test(char)) {
          pendingSpace ??= { node, offset, length: char.length };
        } else {
          if (pendingSpace && chars.length) {
            chars.push(pendingSpace);
          }
          pendingSpace = null;
          chars.push({ node, offset, length: char.length });
        }
        offset += char.length;
      }
    }
    return chars;
  }

  // What the tooltip says about a word: the reason that names it, else its weight.
  function cue(span, reasons) {
    const raises = span.weight > 0;
    const word = `"${span.text ?? ''}"`.toLowerCase();
    const named = reasons.find(
      (item) =>
        typeof item?.message === 'string' &&
        item.message.toLowerCase().includes(word) &&
        item.weight > 0 === raises,
    );
    const sign = `${raises ? '+' : '−'}${Math.abs(span.weight).toFixed(2)}`;
    const what = raises ? 'Raises the sensationalism score' : 'Lowers the sensationalism score';
    return named ? `${what}: ${named.message} (${sign})` : `${what} (${sign})`;
  }

  function markElement(span, strength, reasons) {
    const mark = document.createElement('mark');
    mark.setAttribute(MARK_ATTRIBUTE, span.weight > 0 ? 'raises' : 'lowers');
    mark.title = cue(span, reasons);
    // Inline and important, so no page rule reaches it: the text keeps the page's
    // font, colour and spacing (everything unset inherits or resets to nothing), and
    // only a background and an underline are added, neither of which takes room.
    const colour = span.weight > 0 ? WARM : COOL;
    const alpha = ((span.weight > 0 ? 0.45 : 0.35) * strength).toFixed(2);
    const styles = {
      all: 'unset',
      'background-color': `rgb(${colour} / ${alpha})`,
      'text-decoration-line': 'underline',
      'text-decoration-style': span.weight > 0 ? 'solid' : 'dotted',
      'text-decoration-color': `rgb(${colour})`,
      'text-decoration-thickness': '2px',
      'text-decoration-skip-ink': 'none',
      'box-decoration-break': 'clone',
    };
    for (const [name, value] of Object.entries(styles)) {
      mark.style.setProperty(name, value, 'important');
    }
    return mark;
  }

  // Marks the highlighted words in `element`, whose text is `text`; returns how many
  // words were marked, or null if the element's text is not `text` (the offsets would
  // point at the wrong words). Spans that do not fit the text are left out.
  function mark(element, text, highlights, reasons = []) {
    clear();
    const chars = characters(element);
    const wanted = Array.from(normalise(text));
    if (chars.length !== wanted.length) {
      return null;
    }
    const spans = highlights.filter(
      (span) =>
        Number.isInteger(span?.start) &&
        Number.isInteger(span?.end) &&
        span.start >= 0 &&
        span.end > span.start &&
        span.end <= chars.length &&
        typeof span.weight === 'number' &&
        span.weight !== 0,
    );
    const strongest = Math.max(0, ...spans.map((span) => Math.abs(span.weight)));
    // Each span may cross text nodes (a word half in <em>): one piece per text node.
    const pieces = new Map();
    let words = 0;
    let end = -1;
    for (const span of [...spans].sort((a, b) => a.start - b.start)) {
      if (span.start < end) {
        continue; // overlapping spans: the first one is marked
      }
      end = span.end;
      words += 1;
      const strength = 0.35 + (0.65 * Math.abs(span.weight)) / strongest;
      for (let i = span.start; i < span.end; i += 1) {
        const { node, offset, length } = chars[i];
        const list = pieces.get(node) ?? [];
        const last = list.at(-1);
        if (last && last.span === span && last.end === offset) {
          last.end = offset + length;
        } else {
          list.push({ span, strength, start: offset, end: offset + length });
        }
        pieces.set(node, list);
      }
    }
    for (const [node, list] of pieces) {
      // From the last piece back: splitText keeps the text before it in `node`.
      for (const piece of list.reverse()) {
        node.splitText(piece.end);
        const inside = node.splitText(piece.start);
        const wrapper = markElement(piece.span, piece.strength, reasons);
        inside.replaceWith(wrapper);
        wrapper.append(inside);
        marked.push(wrapper);
      }
    }
    return words;
  }

  // Takes every mark out, leaving the page's text as it was.
  function clear() {
    const parents = new Set();
    for (const wrapper of marked) {
      const parent = wrapper.parentNode;
      if (parent) {
        wrapper.replaceWith(...wrapper.childNodes);
        parents.add(parent);
      }
    }
    for (const parent of parents) {
      parent.normalize();
    }
    marked = [];
  }

  return Object.freeze({ find, mark, clear, attribute: MARK_ATTRIBUTE });
})();
