// The document viewer of the review page: renders the invoice with pdf.js (served from the project's
// own node_modules) and draws each extracted field's box over the page. Hovering or focusing a field
// row lights its box up, and the other way round. Field boxes come from data attributes on the rows:
// data-field, data-page, data-box="x,y,width,height" in PDF points (origin bottom-left).
// A toolbar zooms (− / + / fit width), rotates by quarter turns, says which page is in view ("Page 2 of
// 3") and moves between pages. Without JavaScript the viewer is a link to the document.
// Picking: while a correction input of the review form has focus, the document's words (from
// data-words, fetched once) lie over the page as click targets. A click fills the focused field with the
// word, shift-click adds words, a drag takes the words inside the box; the box becomes the field's highlight
// and its provenance (the hidden `provenance.<field>` input). Typing in the field drops the picked box.
// The targets are for pointers only (aria-hidden): the input stays the way in, and keyboard users lose nothing.
const MAX_PAGES = 20;
const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

function start() {
  const viewer = document.querySelector('#doc-viewer');
  if (!viewer || viewer.dataset.rendered) return;
  viewer.dataset.rendered = '1';
  void open(viewer);
}
start();
// The page refreshes itself with htmx while the workflow works: render the swapped-in viewer too.
document.addEventListener('htmx:afterSettle', start);

async function open(root) {
  const src = root.dataset.src;
  const status = root.querySelector('.viewer-status');
  const progress = status?.querySelector('.viewer-progress');
  if (progress) progress.textContent = '(loading it here…)';
  try {
    const source = root.dataset.kind === 'pdf' ? await pdfSource(src) : await imageSource(src);
    const picker = startPicker(root);
    status?.remove();
    const view = { zoom: 1, rotation: 0 };
    const pagesBox = document.createElement('div');
    pagesBox.className = 'viewer-pages';
    const bar = toolbar(root, source.count, view, () => void draw());
    root.append(bar.element, pagesBox);
    let drawing = Promise.resolve();
    const draw = () =>
      (drawing = drawing.then(async () => {
        pagesBox.replaceChildren();
        const width = root.clientWidth - 4;
        const pages = [];
        for (let n = 1; n <= Math.min(source.count, MAX_PAGES); n++)
          pages.push(await source.render(pagesBox, n, width, view));
        drawBoxes(pages);
        picker?.pagesChanged(pages);
        bar.pagesChanged(pages);
      }));
    await draw();
  } catch (err) {
    if (progress?.isConnected) progress.textContent = `(it could not be shown here: ${err?.message ?? err})`;
    else console.error('The document viewer failed:', err);
  }
}

/** Zoom, fit, rotate and page buttons, and the page indicator that follows the scroll position. */
function toolbar(root, count, view, redraw) {
  const element = document.createElement('div');
  element.className = 'viewer-toolbar';
  element.setAttribute('role', 'toolbar');
  element.setAttribute('aria-label', 'Document view');
  const button = (label, text, onClick) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.setAttribute('aria-label', label);
    b.title = label;
    b.addEventListener('click', onClick);
    element.append(b);
    return b;
  };
  const zoomTo = (zoom) => {
    view.zoom = zoom;
    zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
    redraw();
  };
  button('Zoom out', '−', () =>
    zoomTo(
      ZOOMS.slice()
        .reverse()
        .find((z) => z < view.zoom) ?? view.zoom,
    ),
  );
  const zoomLabel = document.createElement('span');
  zoomLabel.className = 'viewer-zoom';
  zoomLabel.textContent = '100%';
  element.append(zoomLabel);
  button('Zoom in', '+', () => zoomTo(ZOOMS.find((z) => z > view.zoom) ?? view.zoom));
  button('Fit width', 'Fit', () => zoomTo(1));
  button('Rotate clockwise', '⟳', () => {
    view.rotation = (view.rotation + 90) % 360;
    redraw();
  });
  const prev = button('Previous page', '‹', () => go(-1));
  const indicator = document.createElement('span');
  indicator.className = 'viewer-page-number';
  indicator.setAttribute('aria-live', 'polite');
  element.append(indicator);
  const next = button('Next page', '›', () => go(1));
  let pages = [];
  let current = 1;
  const show = (n) => {
    current = n;
    indicator.textContent = `Page ${n} of ${count}${count > MAX_PAGES ? ` (first ${MAX_PAGES} shown)` : ''}`;
    prev.disabled = n <= 1;
    next.disabled = n >= Math.min(count, MAX_PAGES);
  };
  // Where a page starts in the viewer's scrolled content, below the sticky toolbar.
  const startOf = (page) =>
    page.wrap.getBoundingClientRect().top -
    root.getBoundingClientRect().top +
    root.scrollTop -
    element.offsetHeight -
    4;
  let moving = false;
  const go = (delta) => {
    const target = pages[current - 1 + delta];
    if (!target) return;
    moving = true;
    root.scrollTo({ top: startOf(target) });
    show(current + delta);
    requestAnimationFrame(() => {
      moving = false;
    });
  };
  // The page in view: the last one starting above the upper third, or the last page at the bottom.
  root.addEventListener('scroll', () => {
    if (moving || !pages.length) return;
    const atBottom = root.scrollTop + root.clientHeight >= root.scrollHeight - 2;
    const line = root.scrollTop + root.clientHeight / 3;
    const at = atBottom
      ? pages.length - 1
      : Math.max(
          0,
          pages.findLastIndex((p) => startOf(p) <= line),
        );
    if (at + 1 !== current) show(at + 1);
  });
  show(1);
  return {
    element,
    pagesChanged: (list) => {
      pages = list;
      show(Math.min(current, list.length || 1));
    },
  };
}

const rowBoxes = new WeakMap();

/** Each field row's box on its page, lit together with the row. */
function drawBoxes(pages) {
  for (const row of document.querySelectorAll('[data-field][data-box]')) {
    const page = pages[Number(row.dataset.page) - 1];
    if (!page) continue;
    const [x, y, w, h] = row.dataset.box.split(',').map(Number);
    const box = document.createElement('div');
    box.className = `field-box conf-${row.dataset.band ?? 'none'}`;
    box.dataset.field = row.dataset.field;
    box.title = `${row.dataset.label ?? row.dataset.field}${row.dataset.source ? ` (${row.dataset.source})` : ''}`;
    // 2 pt padding for legibility, then into CSS pixels of the page as shown (zoomed and rotated).
    const css = page.toCss(x - 2, y - 2, w + 4, h + 4);
    Object.assign(box.style, {
      left: `${css.left}px`,
      top: `${css.top}px`,
      width: `${css.width}px`,
      height: `${css.height}px`,
    });
    page.layer.append(box);
    const on = () => {
      box.classList.add('lit');
      row.classList.add('lit');
    };
    const off = () => {
      box.classList.remove('lit');
      row.classList.remove('lit');
    };
    box.addEventListener('mouseenter', on);
    box.addEventListener('mouseleave', off);
    // The row's listeners are added once and act on its current box: a redraw (zoom, rotate) replaces it.
    const first = !rowBoxes.has(row);
    rowBoxes.set(row, { box, on, off });
    if (first) {
      const current = () => rowBoxes.get(row);
      row.addEventListener('mouseenter', () => current().on());
      row.addEventListener('mouseleave', () => current().off());
      row.addEventListener('focusin', () => {
        current().on();
        current().box.scrollIntoView({ block: 'nearest' });
      });
      row.addEventListener('focusout', () => current().off());
    }
  }
}

/** Picking values off the document for the review form's corrections (see the top of the file). */
function startPicker(root) {
  const form = document.querySelector('form[data-words]');
  if (!form) return null;
  const inputs = () => [...form.querySelectorAll('input[data-pick]')];
  const hiddenOf = (name) => form.querySelector(`input[data-picked="${name}"]`);
  let pages = [];
  let words = null; // per page number: [{ text, box: [x, y, w, h], index }]
  let loading = null;
  let active = null; // the correction input being filled
  const picks = new Map(); // field name → { page, box: [x, y, w, h], words: [word] }
  let dragged = false;

  const load = () =>
    (loading ??= fetch(form.dataset.words, { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : { pages: [] }))
      .then((body) => {
        words = new Map(body.pages.map((p) => [p.page, p.words.map((w, index) => ({ ...w, index, page: p.page }))]));
        if ([...words.values()].some((list) => list.length > 0))
          document.querySelector('#pick-hint')?.removeAttribute('hidden');
        draw();
      })
      .catch((err) => console.error('The document words could not be loaded:', err)));

  const setActive = (input) => {
    active = input;
    root.classList.toggle('picking', Boolean(input));
    if (input) void load();
  };
  form.addEventListener('focusin', (e) => {
    if (e.target.matches?.('input[data-pick]')) setActive(e.target);
  });
  form.addEventListener('focusout', (e) => {
    if (e.relatedTarget?.matches?.('input[data-pick]')) return;
    setActive(null);
  });
  // Typing replaces a picked value: the box no longer says where the value is.
  form.addEventListener('input', (e) => {
    const name = e.target.dataset?.pick;
    if (!name || !picks.has(name)) return;
    picks.delete(name);
    hiddenOf(name).value = '';
    draw();
  });

  /** Put the chosen words (one page) into the active field, and their box into its provenance. */
  const choose = (chosen) => {
    if (!active || chosen.length === 0) return;
    chosen.sort((a, b) => a.index - b.index);
    const name = active.dataset.pick;
    const box = union(chosen.map((w) => w.box));
    const text = chosen.map((w) => w.text).join(' ');
    active.value = normalise(active.dataset.pickKind, text);
    picks.set(name, { page: chosen[0].page, box, words: chosen });
    hiddenOf(name).value = [chosen[0].page, ...box.map((n) => n.toFixed(1))].join(',');
    active.dispatchEvent(new Event('change', { bubbles: true }));
    draw();
  };

  function draw() {
    for (const page of pages) {
      page.layer.querySelectorAll('.word-target, .field-box.picked').forEach((el) => el.remove());
      const n = Number(page.wrap.dataset.page);
      for (const [name, pick] of picks) {
        if (pick.page !== n) continue;
        const box = document.createElement('div');
        box.className = 'field-box picked';
        box.dataset.field = name;
        box.title = `Picked for ${name}`;
        place(box, page.toCss(pick.box[0] - 1, pick.box[1] - 1, pick.box[2] + 2, pick.box[3] + 2));
        page.layer.append(box);
      }
      for (const word of words?.get(n) ?? []) {
        const target = document.createElement('span');
        target.className = 'word-target';
        target.setAttribute('aria-hidden', 'true');
        target.dataset.text = word.text;
        target.title = word.text;
        place(target, page.toCss(...word.box));
        target.addEventListener('click', (e) => {
          if (dragged) return;
          const pick = active && picks.get(active.dataset.pick);
          const add = e.shiftKey && pick && pick.page === n && !pick.words.includes(word);
          choose(add ? [...pick.words, word] : [word]);
        });
        word.target = target;
        page.layer.append(target);
      }
    }
  }

  // Dragging a box over the page: the words whose middle lies in it. Pressing the mouse on the page never
  // takes the focus from the field being filled.
  root.addEventListener('mousedown', (e) => {
    if (!active || e.button !== 0) return;
    const wrap = e.target.closest?.('.viewer-page');
    if (!wrap) return;
    e.preventDefault();
    const layer = wrap.querySelector('.viewer-layer');
    const origin = layer.getBoundingClientRect();
    const [x0, y0] = [e.clientX - origin.left, e.clientY - origin.top];
    let band = null;
    const rect = (ev) => {
      const [x1, y1] = [ev.clientX - origin.left, ev.clientY - origin.top];
      return { left: Math.min(x0, x1), top: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) };
    };
    const move = (ev) => {
      const r = rect(ev);
      if (!band && r.width + r.height < 6) return;
      if (!band) {
        band = document.createElement('div');
        band.className = 'pick-band';
        layer.append(band);
      }
      place(band, r);
    };
    const up = (ev) => {
      document.removeEventListener('mousemove', move);
      document.removeEventListener('mouseup', up);
      if (!band) return; // a click: the word's own handler fills the field
      band.remove();
      const r = rect(ev);
      const n = Number(wrap.dataset.page);
      const inside = (words?.get(n) ?? []).filter((w) => {
        const t = w.target?.getBoundingClientRect();
        if (!t) return false;
        const [cx, cy] = [t.left + t.width / 2 - origin.left, t.top + t.height / 2 - origin.top];
        return cx >= r.left && cx <= r.left + r.width && cy >= r.top && cy <= r.top + r.height;
      });
      // The click that ends a drag (if the mouse came up on a word) is not that word's click.
      dragged = true;
      setTimeout(() => {
        dragged = false;
        choose(inside);
      }, 0);
    };
    document.addEventListener('mousemove', move);
    document.addEventListener('mouseup', up);
  });

  return {
    pagesChanged: (list) => {
      pages = list;
      draw();
    },
  };
}

const place = (el, css) =>
  Object.assign(el.style, {
    left: `${css.left}px`,
    top: `${css.top}px`,
    width: `${css.width}px`,
    height: `${css.height}px`,
  });

function union(boxes) {
  const x0 = Math.min(...boxes.map((b) => b[0]));
  const y0 = Math.min(...boxes.map((b) => b[1]));
  const x1 = Math.max(...boxes.map((b) => b[0] + b[2]));
  const y1 = Math.max(...boxes.map((b) => b[1] + b[3]));
  return [x0, y0, x1 - x0, y1 - y0];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const SYMBOLS = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY' };

/** Picked text as the server parses the field (amounts "1234.56", dates YYYY-MM-DD); the text itself when unsure. */
function normalise(kind, raw) {
  const text = raw.trim();
  if (kind === 'amount') return amountOf(text) ?? text;
  if (kind === 'date') return dateOf(text) ?? text;
  if (kind === 'currency') {
    const code = /\b[A-Z]{3}\b/.exec(text)?.[0] ?? Object.entries(SYMBOLS).find(([s]) => text.includes(s))?.[1];
    return code ?? text;
  }
  // A code or a name: without the punctuation that ends a label's line ("INV-1001," → "INV-1001").
  return text.replace(/^[#:]\s*/, '').replace(/[,;:]$/, '');
}

/** extract/normalize.ts parseAmount's rule: one separator followed by three digits groups thousands. */
function amountOf(printed) {
  let text = printed
    .replace(/\b[A-Z]{3}\b|[$€£¥]/g, '')
    .trim()
    .replace(/−/g, '-');
  let negative = false;
  if (/^\(.*\)$/.test(text)) [negative, text] = [true, text.slice(1, -1).trim()];
  if (/^-/.test(text)) [negative, text] = [true, text.slice(1).trim()];
  else if (/-$/.test(text)) [negative, text] = [true, text.slice(0, -1).trim()];
  if (!/^\d[\d.,  \u00a0\u202f'’]*$/.test(text) || /[.,]{2}|[.,]$/.test(text)) return null;
  const separators = [...text.matchAll(/[.,]/g)].map((m) => ({ char: m[0], at: m.index }));
  const last = separators.at(-1);
  let [integer, fraction] = [text, ''];
  if (last) {
    const digitsAfter = text.length - last.at - 1;
    const sameKind = separators.filter((s) => s.char === last.char).length;
    const mixed = separators.some((s) => s.char !== last.char);
    if (mixed || (sameKind === 1 && (digitsAfter !== 3 || /^0[.,]/.test(text))))
      [integer, fraction] = [text.slice(0, last.at), text.slice(last.at + 1)];
  }
  const groups = integer.split(/[.,  \u00a0\u202f'’]/);
  if (groups.length > 1 && !groups.every((g, i) => (i === 0 ? /^\d{1,3}$/ : /^\d{3}$/).test(g))) return null;
  const digits = integer.replace(/[^\d]/g, '').replace(/^0+(?=\d)/, '');
  if (!digits || !/^\d*$/.test(fraction)) return null;
  return `${negative && /[1-9]/.test(digits + fraction) ? '-' : ''}${digits}.${fraction.padEnd(2, '0')}`;
}

function dateOf(text) {
  const iso = (y, m, d) => {
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
      ? date.toISOString().slice(0, 10)
      : null;
  };
  const year = (y) => (y.length === 2 ? 2000 + Number(y) : Number(y));
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  // 05.04.2026 is day first wherever it is printed.
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(text);
  if (m) return iso(year(m[3]), Number(m[2]), Number(m[1]));
  // 05/04/2026: only when one of the two cannot be a month.
  m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$/.exec(text);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    if (a > 12 && b <= 12) return iso(year(m[3]), b, a);
    if (b > 12 && a <= 12) return iso(year(m[3]), a, b);
    return a === b ? iso(year(m[3]), a, b) : null;
  }
  const month = (word) => {
    const i = MONTHS.indexOf(word.slice(0, 3).toLowerCase());
    return i >= 0 ? i + 1 : null;
  };
  m = /^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(text);
  if (m && month(m[1])) return iso(Number(m[3]), month(m[1]), Number(m[2]));
  m = /^(\d{1,2})\.?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$/.exec(text);
  if (m && month(m[2])) return iso(Number(m[3]), month(m[2]), Number(m[1]));
  return null;
}

function pageShell(parent, widthPx, heightPx, n) {
  const wrap = document.createElement('div');
  wrap.className = 'viewer-page';
  wrap.dataset.page = String(n);
  wrap.style.width = `${widthPx}px`;
  wrap.style.height = `${heightPx}px`;
  const layer = document.createElement('div');
  layer.className = 'viewer-layer';
  wrap.append(layer);
  parent.append(wrap);
  return { wrap, layer };
}

async function pdfSource(src) {
  const pdfjs = await import('/static/pdfjs/pdf.min.mjs');
  pdfjs.GlobalWorkerOptions.workerSrc = '/static/pdfjs/pdf.worker.min.mjs';
  const doc = await pdfjs.getDocument({
    url: src,
    standardFontDataUrl: '/static/pdfjs/standard_fonts/',
    isEvalSupported: false,
  }).promise;
  return {
    count: doc.numPages,
    async render(parent, n, widthPx, view) {
      const page = await doc.getPage(n);
      const rotation = (page.rotate + view.rotation) % 360;
      const base = page.getViewport({ scale: 1, rotation });
      const scale = Math.min(1.5, widthPx / base.width) * view.zoom;
      const viewport = page.getViewport({ scale, rotation });
      const { wrap, layer } = pageShell(parent, viewport.width, viewport.height, n);
      const canvas = document.createElement('canvas');
      const ratio = window.devicePixelRatio || 1;
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      canvas.style.width = `${viewport.width}px`;
      canvas.style.height = `${viewport.height}px`;
      canvas.setAttribute('aria-label', `Page ${n} of the invoice`);
      canvas.setAttribute('role', 'img');
      wrap.prepend(canvas);
      await page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] }).promise;
      // Boxes are in points on the page as it is shown (its own rotation applied, origin bottom-left): back to
      // PDF user space through the page's own viewport, then the view's viewport maps them, its turn included.
      const shown = page.getViewport({ scale: 1 });
      const toUser = (x, y) => shown.convertToPdfPoint(x, shown.height - y);
      const toCss = (x, y, w, h) => {
        const [x1, y1] = viewport.convertToViewportPoint(...toUser(x, y));
        const [x2, y2] = viewport.convertToViewportPoint(...toUser(x + w, y + h));
        return { left: Math.min(x1, x2), top: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
      };
      return { wrap, layer, toCss };
    },
  };
}

async function imageSource(src) {
  const img = new Image();
  img.alt = 'The invoice image';
  img.src = src;
  await img.decode();
  const [W, H] = [img.naturalWidth, img.naturalHeight];
  return {
    count: 1,
    async render(parent, n, widthPx, view) {
      const quarter = view.rotation % 180 !== 0;
      const scale = Math.min(1, widthPx / (quarter ? H : W)) * view.zoom;
      const [w, h] = quarter ? [H * scale, W * scale] : [W * scale, H * scale];
      const { wrap, layer } = pageShell(parent, w, h, n);
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(w);
      canvas.height = Math.round(h);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
      canvas.setAttribute('aria-label', img.alt);
      canvas.setAttribute('role', 'img');
      const ctx = canvas.getContext('2d');
      ctx.translate(w / 2, h / 2);
      ctx.rotate((view.rotation * Math.PI) / 180);
      ctx.drawImage(img, (-W * scale) / 2, (-H * scale) / 2, W * scale, H * scale);
      wrap.prepend(canvas);
      // Image boxes are in pixels with the origin top-left (y measured from the bottom like PDF points, over
      // the image height): turn each corner with the image.
      const turn = (u, v) => {
        switch (view.rotation) {
          case 90:
            return [H - v, u];
          case 180:
            return [W - u, H - v];
          case 270:
            return [v, W - u];
          default:
            return [u, v];
        }
      };
      const toCss = (x, y, bw, bh) => {
        const [a, b] = [turn(x, H - y - bh), turn(x + bw, H - y)];
        return {
          left: Math.min(a[0], b[0]) * scale,
          top: Math.min(a[1], b[1]) * scale,
          width: Math.abs(b[0] - a[0]) * scale,
          height: Math.abs(b[1] - a[1]) * scale,
        };
      };
      return { wrap, layer, toCss };
    },
  };
}
