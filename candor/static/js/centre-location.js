// "Use my location" on the address form (owner: candor.centre). The browser is asked for its
// position only after the person allowed the location feature: state "granted" locates at
// once; "ask" first shows Candor's own prompt (Allow / Not now, recorded in the consent
// ledger); "off" (refused or switched off) never asks again and points to the privacy centre.
// The position goes to /api/v1/me/location/region, which answers the province and city and
// stores nothing. The strict CSP forbids inline handlers, so this file binds them.
(function () {
  "use strict";

  function csrf(box) {
    var form = box.closest("form");
    var input = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : null;
    return input ? input.value : "";
  }

  function post(box, url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(box) },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    });
  }

  function say(box, key, text) {
    var status = box.querySelector("[data-location-status]");
    status.textContent = text || status.getAttribute("data-msg-" + key) || "";
  }

  function show(box, selector, visible) {
    var node = box.querySelector(selector);
    if (node) { node.hidden = !visible; }
  }

  function setState(box, state) {
    box.setAttribute("data-state", state);
    show(box, "[data-location-prompt]", false);
    show(box, "[data-location-use]", state !== "off");
    show(box, "[data-location-off]", state === "off");
  }

  function fill(box, region) {
    var form = box.closest("form");
    ["province", "city"].forEach(function (name) {
      var input = form.querySelector("[name=" + name + "]");
      if (input) {
        input.value = region[name];
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    say(box, "done");
  }

  function locate(box) {
    if (!navigator.geolocation) { say(box, "denied"); return; }
    say(box, "locating");
    navigator.geolocation.getCurrentPosition(function (position) {
      post(box, box.getAttribute("data-region-url"), {
        latitude: position.coords.latitude,
        longitude: position.coords.longitude
      }).then(function (answer) {
        if (answer.ok) { fill(box, answer.data); return; }
        if (answer.data && answer.data.code === "consent_required") { setState(box, "off"); }
        say(box, "failed", answer.data && answer.data.message);
      }, function () { say(box, "failed"); });
    }, function () { say(box, "denied"); }, { maximumAge: 600000, timeout: 15000 });
  }

  function answer(box, accept) {
    post(box, box.getAttribute("data-prompt-url"), { accept: accept, context: "address_form" }).then(
      function (result) {
        if (!result.ok) { say(box, "failed", result.data && result.data.message); return; }
        setState(box, result.data.granted ? "granted" : "off");
        if (result.data.granted) { locate(box); }
      },
      function () { say(box, "failed"); }
    );
  }

  function bind(box) {
    setState(box, box.getAttribute("data-state"));
    box.hidden = false;
    box.addEventListener("click", function (event) {
      var target = event.target.closest("button");
      if (!target) { return; }
      if (target.hasAttribute("data-location-use")) {
        if (box.getAttribute("data-state") === "granted") { locate(box); } else { show(box, "[data-location-prompt]", true); }
      } else if (target.hasAttribute("data-location-allow")) {
        answer(box, true);
      } else if (target.hasAttribute("data-location-refuse")) {
        answer(box, false);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-centre-location]"), bind);
  });
})();
