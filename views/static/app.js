// PlexSync's own page script (no inline scripts: the CSP forbids them). Small on purpose.
(() => {
  const csrf = () => {
    try {
      return JSON.parse(document.body.getAttribute('hx-headers') || '{}')['X-CSRF-Token'];
    } catch {
      return undefined;
    }
  };

  // Upload: drop files anywhere on the drop box; each file is sent on its own with a progress bar,
  // and its result (accepted, duplicate, refused with the reason) replaces the bar.
  const form = document.querySelector('#upload-form');
  const results = document.querySelector('#upload-results');
  const input = document.querySelector('#files');
  if (form && results && input) {
    const drop = form.querySelector('.drop');
    drop?.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
    drop?.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop?.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      if (e.dataTransfer?.files.length) void uploadAll([...e.dataTransfer.files]);
    });
    form.addEventListener('submit', (e) => {
      if (!input.files?.length) return;
      e.preventDefault();
      void uploadAll([...input.files]).then(() => {
        input.value = '';
      });
    });
  }

  async function uploadAll(files) {
    const queue = files.map((file) => ({ file, item: pendingItem(file) }));
    const workers = Array.from({ length: Math.min(3, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await uploadOne(next.file, next.item);
    });
    await Promise.all(workers);
  }

  function pendingItem(file) {
    const li = document.createElement('li');
    li.className = 'pending';
    const label = document.createElement('span');
    label.textContent = `${file.name} `;
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', `Uploading ${file.name}`);
    li.append(label, bar);
    results.prepend(li);
    return li;
  }

  function uploadOne(file, li) {
    return new Promise((resolve) => {
      const body = new FormData();
      body.append('files', file, file.name);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/upload');
      xhr.setRequestHeader('HX-Request', 'true');
      const token = csrf();
      if (token) xhr.setRequestHeader('X-CSRF-Token', token);
      xhr.upload.addEventListener('progress', (e) => {
        if (e.lengthComputable) li.querySelector('progress').value = Math.round((e.loaded / e.total) * 100);
      });
      xhr.addEventListener('load', () => {
        const tpl = document.createElement('template');
        tpl.innerHTML = xhr.status === 401 ? '' : xhr.responseText;
        const result = tpl.content.querySelector('li');
        if (result) {
          li.replaceWith(result);
          window.htmx?.process(result);
        } // it follows its invoice's status
        else {
          li.className = 'error';
          li.textContent = `${file.name}: upload failed (${xhr.status}).`;
        }
        resolve();
      });
      xhr.addEventListener('error', () => {
        li.className = 'error';
        li.textContent = `${file.name}: network error, try again.`;
        resolve();
      });
      xhr.send(body);
    });
  }

  // Queue: j/k move through the rows in the order shown (Enter opens); the order is remembered so j/k on an
  // invoice opened from the queue go on in that same order. The 5-s refresh keeps focus and scroll.
  const queueLinks = () => [...document.querySelectorAll('#queue-rows tr[data-invoice] a.open')];
  const rememberOrder = () => {
    const ids = queueLinks().map((a) => a.closest('tr').dataset.invoice);
    if (ids.length)
      try {
        sessionStorage.setItem('plexsync.queue', JSON.stringify(ids));
      } catch {
        /* storage off */
      }
  };
  if (document.querySelector('#queue-rows')) {
    rememberOrder();
    let keep;
    document.body.addEventListener('htmx:beforeSwap', (e) => {
      if (e.detail.target?.id !== 'queue-rows') return;
      keep = {
        id: document.activeElement?.closest?.('#queue-rows tr[data-invoice]')?.dataset.invoice,
        x: scrollX,
        y: scrollY,
      };
    });
    document.body.addEventListener('htmx:afterSettle', () => {
      if (!keep) return;
      rememberOrder();
      if (keep.id)
        document
          .querySelector(`#queue-rows tr[data-invoice="${CSS.escape(keep.id)}"] a.open`)
          ?.focus({ preventScroll: true });
      scrollTo(keep.x, keep.y);
      keep = undefined;
    });
  }
  const queueStep = (delta) => {
    const links = queueLinks();
    if (links.length) {
      const at = links.findIndex((a) => a.closest('tr').contains(document.activeElement));
      links[Math.max(0, Math.min(links.length - 1, at < 0 ? 0 : at + delta))].focus();
      return true;
    }
    const m = /^\/invoices\/([^/]+)$/.exec(location.pathname);
    let ids = [];
    try {
      ids = JSON.parse(sessionStorage.getItem('plexsync.queue') || '[]');
    } catch {
      /* storage off */
    }
    const at = m ? ids.indexOf(decodeURIComponent(m[1])) : -1;
    if (at < 0 || !ids[at + delta]) return false;
    location.assign(`/invoices/${encodeURIComponent(ids[at + delta])}`);
    return true;
  };

  // Keyboard shortcuts on the review page: a = approve, s = send back, r = reject (focuses the reason),
  // e = edit the invoice number, u = undo the approval just made, j/k = next/previous invoice in the queue.
  // Esc leaves a field so the shortcuts apply again; Enter in a correction field decides nothing.
  // A user who turned them off (Preferences) gets none: single keys then only type.
  document.addEventListener('keydown', (e) => {
    if (document.body.dataset.shortcuts === 'off') return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) {
      if (e.key === 'Escape' && t.closest('form.review-approve, form.review-reject')) t.blur();
      return;
    }
    const review = document.querySelector('form.review-approve');
    const go = (rel) => document.querySelector(`a[rel=${rel}][data-shortcut]`)?.click();
    if (e.key === 'j') {
      if (!queueStep(1)) go('next');
    } else if (e.key === 'k') {
      if (!queueStep(-1)) go('prev');
    } else if (e.key === 'u') document.querySelector('form.undo [data-shortcut=u]')?.click();
    if (!review) return;
    if (e.key === 'a') review.querySelector('button[value=approve]')?.click();
    else if (e.key === 's') review.querySelector('button[value=send_back]')?.click();
    else if (e.key === 'r') {
      e.preventDefault();
      document.querySelector('form.review-reject #reason')?.focus();
    } else if (e.key === 'e') {
      e.preventDefault();
      review.querySelector('input[name=invoiceNumber]')?.select();
    }
  });

  // A table that scrolls sideways (on a phone) takes keyboard focus, so it can be scrolled with the arrow
  // keys (WCAG 2.1.1); one that fits is left out of the tab order.
  const scrollables = () => {
    for (const el of document.querySelectorAll('main table, main .table-scroll')) {
      if (el.scrollWidth > el.clientWidth + 1) el.tabIndex = 0;
      else if (el.tabIndex === 0 && !el.matches('tr, [data-field]')) el.removeAttribute('tabindex');
    }
  };
  scrollables();
  window.addEventListener('resize', scrollables);
  document.addEventListener('htmx:afterSettle', scrollables);
})();
