// Page-view beacon (owner: candor.cookies). No inline script is allowed (CSP), so the server
// tells this file whether the visitor has accepted analytics, in the data-analytics attribute
// of its own <script> tag. Without "1" nothing is sent, ever; the server checks again and
// refuses a beacon without consent. Only paths are sent: the page's, and the previous page's
// when it is one of ours — never a query string, never another site's address.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || script.getAttribute("data-analytics") !== "1") return;
  if (!navigator.sendBeacon || !window.URLSearchParams) return;
  var endpoint = script.getAttribute("data-beacon");
  var token = script.getAttribute("data-csrf") || "";
  if (!endpoint) return;

  function referrerPath() {
    try {
      var previous = new URL(document.referrer);
      return previous.origin === window.location.origin ? previous.pathname : "";
    } catch (error) {
      return "";
    }
  }

  function send() {
    var body = new URLSearchParams();
    body.append("path", window.location.pathname);
    body.append("referrer", referrerPath());
    body.append("csrfmiddlewaretoken", token);
    navigator.sendBeacon(endpoint, body);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", send);
  } else {
    send();
  }
})();
