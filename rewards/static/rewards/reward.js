// The reward button on the article page: the same JSON API as webook clients
// (POST /articles/pub/reward {id, amt} -> {codeURL, rid}; POST /reward/detail {rid}),
// authenticated by the browser session (DRF checks the CSRF token). The QR code is an SVG the
// server draws (/reward/qr/<rid>); the dialog asks for the status until it is final.
(function () {
  "use strict";
  var box = document.querySelector("[data-reward]");
  var dialog = document.querySelector("[data-reward-dialog]");
  var open = box && box.querySelector("[data-reward-open]");
  if (!box || !dialog || !open) { return; }
  var id = parseInt(box.getAttribute("data-article-id"), 10);
  var pollMs = parseInt(box.getAttribute("data-poll-ms"), 10) || 2000;
  var csrf = (box.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var form = dialog.querySelector("[data-reward-form]");
  var payStep = dialog.querySelector("[data-reward-step=pay]");
  var error = dialog.querySelector("[data-reward-error]");
  var status = dialog.querySelector("[data-reward-status]");
  var note = box.querySelector("[data-reward-note]");
  var rid = null;
  var timer = null;

  function msg(name) { return box.getAttribute("data-msg-" + name); }

  function post(path, body) {
    return window.tinybook.postJSON(path, body, csrf, msg("login")).then(function (env) { return env.data; });
  }

  // Amounts are typed in yuan and sent in fen, as integers: "12.3" -> 1230, never a float.
  function fenOf(text) {
    var m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text || "");
    if (!m) { return NaN; }
    return parseInt(m[1], 10) * 100 + parseInt(((m[2] || "") + "00").slice(0, 2), 10);
  }

  function chosenFen() {
    var picked = form.querySelector("input[name=amount]:checked");
    if (!picked) { return NaN; }
    if (picked.value === "other") { return fenOf(form.querySelector("[data-reward-yuan]").value); }
    return parseInt(picked.value, 10);
  }

  function stop() { if (timer) { clearTimeout(timer); timer = null; } }

  function settled(data) {
    if (data === "RewardStatusPayed") {
      status.textContent = msg("paid");
      note.textContent = msg("paid");
      dialog.querySelector("[data-reward-qr]").hidden = true;
      return true;
    }
    if (data === "RewardStatusFailed") {
      status.textContent = msg("failed");
      note.textContent = msg("failed");
      return true;
    }
    return false;
  }

  function poll() {
    if (rid === null) { return; }
    post("/reward/detail", {rid: rid}).then(function (data) {
      if (!settled(data) && dialog.open) { timer = setTimeout(poll, pollMs); }
    }).catch(function (err) {
      status.textContent = err.message;
      if (dialog.open) { timer = setTimeout(poll, pollMs); }
    });
  }

  function reset() {
    stop();
    rid = null;
    form.hidden = false;
    payStep.hidden = true;
    error.textContent = "";
    status.textContent = "";
    dialog.querySelector("[data-reward-qr]").hidden = false;
  }

  open.addEventListener("click", function () { reset(); dialog.showModal(); });
  dialog.querySelectorAll("[data-reward-close]").forEach(function (b) {
    b.addEventListener("click", function () { dialog.close(); });
  });
  // When the dialog closes, one last look (what webook's client does), then stop asking.
  dialog.addEventListener("close", function () {
    stop();
    if (rid !== null) { post("/reward/detail", {rid: rid}).then(settled).catch(function () {}); }
  });
  form.querySelector("[data-reward-yuan]").addEventListener("focus", function () {
    form.querySelector("input[name=amount][value=other]").checked = true;
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var fen = chosenFen();
    if (!(fen >= 1)) { error.textContent = msg("amount"); return; }
    var pay = form.querySelector("[data-reward-pay]");
    pay.disabled = true;
    error.textContent = "";
    post("/articles/pub/reward", {id: id, amt: fen}).then(function (data) {
      rid = data.rid;
      form.hidden = true;
      payStep.hidden = false;
      payStep.querySelector("[data-reward-sum]").textContent = "¥" + (fen / 100).toFixed(2);
      payStep.querySelector("[data-reward-qr]").src = "/reward/qr/" + rid;
      // The development provider's code is a page of this site: offer it as a link too.
      var dev = payStep.querySelector("[data-reward-dev]");
      dev.hidden = !/^https?:\/\//.test(data.codeURL);
      dev.querySelector("a").href = dev.hidden ? "#" : data.codeURL;
      status.textContent = msg("waiting");
      timer = setTimeout(poll, pollMs);
    }).catch(function (err) {
      error.textContent = err.message;
    }).then(function () { pay.disabled = false; });
  });
})();
