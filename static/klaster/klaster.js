// Behaviour the pages ask for with data attributes. It lives here, not in on...= attributes
// or inline scripts, because the Content-Security-Policy runs only the site's own files.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});

// A form that takes one entry after another (check-in codes): emptied after each successful
// request, the cursor back in its first field, ready for the next.
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (!event.detail.successful || !(form instanceof HTMLFormElement)) {
    return;
  }
  if (!form.hasAttribute("data-reset-on-success")) {
    return;
  }
  form.reset();
  const first = form.querySelector("input:not([type=hidden])");
  if (first) {
    first.focus();
  }
});
