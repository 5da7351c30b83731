// PlexSync's own page script (no inline scripts: the CSP forbids them). Small on purpose.
(() => {
  // Drag-and-drop highlight for the upload box.
  document.addEventListener('dragover', (e) => {
    const drop = e.target instanceof Element && e.target.closest('.drop');
    if (drop) drop.classList.add('over');
  });
  document.addEventListener('dragleave', (e) => {
    const drop = e.target instanceof Element && e.target.closest('.drop');
    if (drop) drop.classList.remove('over');
  });
  // Keyboard shortcuts on the review page: a = approve, s = send back, r = reject (focuses the reason).
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return;
    const form = document.querySelector('form.review');
    if (!form) return;
    if (e.key === 'a') form.querySelector('button[value=approve]')?.click();
    else if (e.key === 's') form.querySelector('button[value=send_back]')?.click();
    else if (e.key === 'r') { e.preventDefault(); form.querySelector('#reason')?.focus(); }
    else if (e.key === 'e') { e.preventDefault(); form.querySelector('input[name=invoiceNumber]')?.focus(); }
  });
})();
