// Guest site: small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The language menu switches as soon as a language is picked.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // A button that submits once: a double click sends the form one time (the server is safe either way).
  document.querySelectorAll("[data-once]").forEach(function (button) {
    button.form && button.form.addEventListener("submit", function () {
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });

  // The hold countdown: minutes and seconds left, then a reload shows that the hold lapsed.
  document.querySelectorAll("[data-countdown]").forEach(function (el) {
    var until = Date.parse(el.getAttribute("data-countdown"));
    if (isNaN(until)) { return; }
    function tick() {
      var left = Math.max(0, Math.round((until - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      el.textContent = "(" + m + ":" + (s < 10 ? "0" : "") + s + ")";
      if (left === 0) { window.clearInterval(timer); window.setTimeout(function () { window.location.reload(); }, 1500); }
    }
    var timer = window.setInterval(tick, 1000);
    tick();
  });
})();
