// Like and collect buttons on the article page: the same JSON API as webook clients,
// authenticated by the browser session (DRF checks the CSRF token).
(function () {
  "use strict";
  var box = document.querySelector("[data-interactions]");
  if (!box) { return; }
  var id = parseInt(box.getAttribute("data-article-id"), 10);
  var csrf = (box.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var status = box.querySelector("[data-status]");

  function post(path, body) {
    return window.tinybook.postJSON(path, body, csrf, box.getAttribute("data-login-msg"));
  }

  function toggle(button, path, field) {
    var on = button.getAttribute("aria-pressed") === "true";
    var count = button.querySelector("[data-count]");
    var body = {id: id};
    body[field] = !on;
    button.disabled = true;
    post(path, body).then(function (env) {
      button.setAttribute("aria-pressed", on ? "false" : "true");
      count.textContent = Math.max(0, parseInt(count.textContent, 10) + (on ? -1 : 1));
      status.textContent = env.msg;
    }).catch(function (err) {
      status.textContent = err.message;
    }).then(function () { button.disabled = false; });
  }

  var like = box.querySelector("[data-like]");
  var collect = box.querySelector("[data-collect]");
  like.addEventListener("click", function () { toggle(like, "/articles/pub/like", "like"); });
  collect.addEventListener("click", function () { toggle(collect, "/articles/pub/collect", "collect"); });
})();
