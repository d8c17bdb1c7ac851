// The shipping label page's "Print" button (a static file: the CSP allows no inline script).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
