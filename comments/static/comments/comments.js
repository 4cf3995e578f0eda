// The article page's comments: "more replies" loads a thread's next replies from the JSON API
// (/comments/replies); every text goes in with textContent, never as HTML. Delete asks first.
(function () {
  "use strict";
  var box = document.querySelector("[data-comments]");
  if (!box) { return; }
  var viewer = parseInt(box.getAttribute("data-viewer-id"), 10) || 0;
  var moderator = box.getAttribute("data-moderator") === "1";
  var csrf = (box.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function userLink(u, cls) {
    var a = el("a", cls, u.name);
    a.href = "/u/" + encodeURIComponent(u.id);
    return a;
  }

  function render(c) {
    var li = el("li");
    li.id = "c" + c.id;
    var div = el("div", "comment");
    var meta = el("p", "meta");
    meta.appendChild(userLink(c.user, "author"));
    if (c.replyTo) {
      var to = el("span", "reply-to", " " + box.getAttribute("data-reply-to") + " ");
      to.appendChild(userLink(c.replyTo, null));
      meta.appendChild(to);
    }
    var time = el("time", null, " · " + c.ctime.slice(0, 16).replace("T", " "));
    time.setAttribute("datetime", c.ctime);
    meta.appendChild(time);
    div.appendChild(meta);
    div.appendChild(el("div", "comment-text", c.content));
    if (viewer && csrf && (moderator || c.user.id === viewer)) {
      var form = el("form", "inline");
      form.method = "post";
      form.action = "/comments/remove";
      form.setAttribute("data-delete-form", "");
      [["csrfmiddlewaretoken", csrf], ["id", c.id], ["next", box.getAttribute("data-next")]].forEach(function (f) {
        var input = el("input");
        input.type = "hidden";
        input.name = f[0];
        input.value = f[1];
        form.appendChild(input);
      });
      var button = el("button", "link danger", box.getAttribute("data-delete"));
      button.type = "submit";
      form.appendChild(button);
      var actions = el("div", "comment-actions");
      actions.appendChild(form);
      div.appendChild(actions);
    }
    li.appendChild(div);
    return li;
  }

  box.addEventListener("click", function (event) {
    var button = event.target.closest("[data-more-replies]");
    if (!button) { return; }
    var root = button.getAttribute("data-root-id");
    var list = box.querySelector('[data-replies="' + root + '"]');
    button.disabled = true;
    fetch("/comments/replies?rootId=" + encodeURIComponent(root) + "&after=" +
          encodeURIComponent(button.getAttribute("data-after")) + "&limit=50",
          {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (env) {
        if (env.code !== 0) { throw new Error(env.msg); }
        env.data.forEach(function (c) {
          if (!document.getElementById("c" + c.id)) { list.appendChild(render(c)); }
        });
        if (env.data.length < 50) {
          button.remove();
        } else {
          button.setAttribute("data-after", env.data[env.data.length - 1].id);
          button.disabled = false;
        }
      })
      .catch(function () {
        button.disabled = false;
        button.textContent = box.getAttribute("data-failed");
      });
  });

  box.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-delete-form") && !window.confirm(box.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
