// After a code was sent, the "send code" button waits out the resend interval.
(function () {
  "use strict";
  var btn = document.querySelector("#sms-login button[data-countdown]");
  if (!btn) return;
  var left = parseInt(btn.getAttribute("data-countdown"), 10) || 0;
  function tick() {
    if (left <= 0) {
      btn.disabled = false;
      btn.textContent = btn.getAttribute("data-label");
      return;
    }
    btn.disabled = true;
    btn.textContent = btn.getAttribute("data-wait") + " " + left + " s";
    left -= 1;
    setTimeout(tick, 1000);
  }
  tick();
})();
