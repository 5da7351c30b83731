// The document viewer of the review page: renders the invoice with pdf.js (served from the project's
// own node_modules) and draws each extracted field's box over the page. Hovering or focusing a field
// row lights its box up, and the other way round. Field boxes come from data attributes on the rows:
// data-field, data-page, data-box="x,y,width,height" in PDF points (origin bottom-left).
function start() {
  const viewer = document.querySelector('#doc-viewer');
  if (!viewer || viewer.dataset.rendered) return;
  viewer.dataset.rendered = '1';
  void render(viewer);
}
start();
// The page refreshes itself with htmx while the workflow works: render the swapped-in viewer too.
document.addEventListener('htmx:afterSettle', start);

async function render(root) {
  const src = root.dataset.src;
  const status = root.querySelector('.viewer-status');
  const progress = status?.querySelector('.viewer-progress');
  if (progress) progress.textContent = '(loading it here…)';
  const rows = [...document.querySelectorAll('[data-field][data-box]')];
  try {
    let pages;
    if (root.dataset.kind === 'pdf') {
      const pdfjs = await import('/static/pdfjs/pdf.min.mjs');
      pdfjs.GlobalWorkerOptions.workerSrc = '/static/pdfjs/pdf.worker.min.mjs';
      const doc = await pdfjs.getDocument({ url: src, standardFontDataUrl: '/static/pdfjs/standard_fonts/', isEvalSupported: false }).promise;
      pages = [];
      for (let n = 1; n <= Math.min(doc.numPages, 20); n++) pages.push(await renderPdfPage(root, await doc.getPage(n), n));
    } else {
      pages = [await renderImage(root, src)];
    }
    status?.remove();
    for (const row of rows) {
      const page = pages[Number(row.dataset.page) - 1];
      if (!page) continue;
      const [x, y, w, h] = row.dataset.box.split(',').map(Number);
      const box = document.createElement('div');
      box.className = `field-box conf-${row.dataset.band ?? 'none'}`;
      box.dataset.field = row.dataset.field;
      box.title = `${row.dataset.label ?? row.dataset.field}${row.dataset.source ? ` (${row.dataset.source})` : ''}`;
      // PDF points, origin bottom-left → CSS pixels, origin top-left (2 pt padding for legibility).
      box.style.left = `${(x - 2) * page.scale}px`;
      box.style.top = `${(page.heightPt - y - h - 2) * page.scale}px`;
      box.style.width = `${(w + 4) * page.scale}px`;
      box.style.height = `${(h + 4) * page.scale}px`;
      page.layer.append(box);
      const on = () => { box.classList.add('lit'); row.classList.add('lit'); };
      const off = () => { box.classList.remove('lit'); row.classList.remove('lit'); };
      for (const el of [row, box]) {
        el.addEventListener('mouseenter', on);
        el.addEventListener('mouseleave', off);
      }
      row.addEventListener('focusin', () => { on(); box.scrollIntoView({ block: 'nearest' }); });
      row.addEventListener('focusout', off);
    }
  } catch (err) {
    if (progress) progress.textContent = `(it could not be shown here: ${err?.message ?? err})`;
  }
}

function pageShell(root, widthPx, heightPx) {
  const wrap = document.createElement('div');
  wrap.className = 'viewer-page';
  wrap.style.width = `${widthPx}px`;
  wrap.style.height = `${heightPx}px`;
  const layer = document.createElement('div');
  layer.className = 'viewer-layer';
  wrap.append(layer);
  root.append(wrap);
  return { wrap, layer };
}

async function renderPdfPage(root, page, n) {
  const base = page.getViewport({ scale: 1 });
  const scale = Math.min(1.5, (root.clientWidth - 4) / base.width);
  const viewport = page.getViewport({ scale });
  const { wrap, layer } = pageShell(root, viewport.width, viewport.height);
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
  return { layer, scale, heightPt: base.height };
}

async function renderImage(root, src) {
  const img = new Image();
  img.alt = 'The invoice image';
  img.src = src;
  await img.decode();
  const scale = Math.min(1, (root.clientWidth - 4) / img.naturalWidth);
  const { wrap, layer } = pageShell(root, img.naturalWidth * scale, img.naturalHeight * scale);
  img.style.width = '100%';
  wrap.prepend(img);
  // Image boxes are in pixels with the origin top-left: treat the image height as the page height.
  return { layer, scale, heightPt: img.naturalHeight };
}
