// The document viewer of the review page: renders the invoice with pdf.js (served from the project's
// own node_modules) and draws each extracted field's box over the page. Hovering or focusing a field
// row lights its box up, and the other way round. Field boxes come from data attributes on the rows:
// data-field, data-page, data-box="x,y,width,height" in PDF points (origin bottom-left).
// A toolbar zooms (− / + / fit width), rotates by quarter turns, says which page is in view ("Page 2 of
// 3") and moves between pages. Without JavaScript the viewer is a link to the document.
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
    status?.remove();
    const view = { zoom: 1, rotation: 0 };
    const pagesBox = document.createElement('div');
    pagesBox.className = 'viewer-pages';
    const bar = toolbar(root, source.count, view, () => void draw());
    root.append(bar.element, pagesBox);
    let drawing = Promise.resolve();
    const draw = () => (drawing = drawing.then(async () => {
      pagesBox.replaceChildren();
      const width = root.clientWidth - 4;
      const pages = [];
      for (let n = 1; n <= Math.min(source.count, MAX_PAGES); n++) pages.push(await source.render(pagesBox, n, width, view));
      drawBoxes(pages);
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
  button('Zoom out', '−', () => zoomTo(ZOOMS.slice().reverse().find((z) => z < view.zoom) ?? view.zoom));
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
  const startOf = (page) => page.wrap.getBoundingClientRect().top - root.getBoundingClientRect().top + root.scrollTop - element.offsetHeight - 4;
  let moving = false;
  const go = (delta) => {
    const target = pages[current - 1 + delta];
    if (!target) return;
    moving = true;
    root.scrollTo({ top: startOf(target) });
    show(current + delta);
    requestAnimationFrame(() => { moving = false; });
  };
  // The page in view: the last one starting above the upper third, or the last page at the bottom.
  root.addEventListener('scroll', () => {
    if (moving || !pages.length) return;
    const atBottom = root.scrollTop + root.clientHeight >= root.scrollHeight - 2;
    const line = root.scrollTop + root.clientHeight / 3;
    const at = atBottom ? pages.length - 1 : Math.max(0, pages.findLastIndex((p) => startOf(p) <= line));
    if (at + 1 !== current) show(at + 1);
  });
  show(1);
  return { element, pagesChanged: (list) => { pages = list; show(Math.min(current, list.length || 1)); } };
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
    Object.assign(box.style, { left: `${css.left}px`, top: `${css.top}px`, width: `${css.width}px`, height: `${css.height}px` });
    page.layer.append(box);
    const on = () => { box.classList.add('lit'); row.classList.add('lit'); };
    const off = () => { box.classList.remove('lit'); row.classList.remove('lit'); };
    box.addEventListener('mouseenter', on);
    box.addEventListener('mouseleave', off);
    // The row's listeners are added once and act on its current box: a redraw (zoom, rotate) replaces it.
    const first = !rowBoxes.has(row);
    rowBoxes.set(row, { box, on, off });
    if (first) {
      const current = () => rowBoxes.get(row);
      row.addEventListener('mouseenter', () => current().on());
      row.addEventListener('mouseleave', () => current().off());
      row.addEventListener('focusin', () => { current().on(); current().box.scrollIntoView({ block: 'nearest' }); });
      row.addEventListener('focusout', () => current().off());
    }
  }
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
  const doc = await pdfjs.getDocument({ url: src, standardFontDataUrl: '/static/pdfjs/standard_fonts/', isEvalSupported: false }).promise;
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
      // Boxes are in PDF user space (origin bottom-left): the viewport maps them, rotation included.
      const toCss = (x, y, w, h) => {
        const [x1, y1] = viewport.convertToViewportPoint(x, y);
        const [x2, y2] = viewport.convertToViewportPoint(x + w, y + h);
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
          case 90: return [H - v, u];
          case 180: return [W - u, H - v];
          case 270: return [v, W - u];
          default: return [u, v];
        }
      };
      const toCss = (x, y, bw, bh) => {
        const [a, b] = [turn(x, H - y - bh), turn(x + bw, H - y)];
        return { left: Math.min(a[0], b[0]) * scale, top: Math.min(a[1], b[1]) * scale, width: Math.abs(b[0] - a[0]) * scale, height: Math.abs(b[1] - a[1]) * scale };
      };
      return { wrap, layer, toCss };
    },
  };
}
