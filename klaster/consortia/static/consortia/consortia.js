// Sections of the consortium builder re-rendered with a form error come back as 400 and must
// be swapped in all the same, or the reader never sees why nothing happened. htmx reads only
// the first htmx-config meta of a page (base.html's), so a second one here had no effect.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
