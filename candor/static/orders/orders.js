// Order pages (owner: candor.orders). No inline script is allowed (CSP), so the small
// behaviours live here; every page works without them.
//  - form[data-confirm]: ask before a step that cannot be undone (cancel, delete).
//  - form[data-autosubmit]: send the buyer on to the payment institution at once; the form's
//    own button does the same without JavaScript.
//  - form[data-submit-once]: disable the button after the first click (the page's idempotency
//    key already makes a second submission place nothing new).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-submit-once")) {
      if (form.getAttribute("data-submitted")) {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-submitted", "1");
    }
  });
  // A page restored by the back button may be submitted again (the key makes it harmless).
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      form.removeAttribute("data-submitted");
    });
  });
  function autosubmit() {
    var form = document.querySelector("form[data-autosubmit]");
    if (form) form.submit();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", autosubmit);
  } else {
    autosubmit();
  }
})();
