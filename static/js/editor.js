// Rich-text editor for the article form: Quill 2.0.3 (static/vendor/quill/) in place of the
// content textarea, whose data-* attributes (articles/forms.py) carry the settings and every
// translated word the editor shows (docs/ui.md). The textarea stays the form field: it is
// filled with the editor's HTML on submit, and the server sanitizes it as before. Without
// JavaScript the textarea takes HTML.
(function () {
  "use strict";
  var textarea = document.querySelector("textarea[data-editor]");
  if (!textarea || !window.Quill) return;
  var ds = textarea.dataset;
  var form = textarea.form;
  var TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"];
  var maxBytes = parseInt(ds.maxBytes, 10) || 5 * 1024 * 1024;
  var imageBase = new URL(ds.imageBase, location.href).href; // MEDIA_URL: "/media/" or the CDN
  var Delta = Quill.import("delta");

  var box = document.createElement("div");
  var status = document.createElement("p");
  status.className = "help editor-status";
  status.setAttribute("role", "status");
  textarea.parentNode.insertBefore(box, textarea);
  textarea.parentNode.insertBefore(status, textarea.nextSibling);
  textarea.hidden = true;

  var quill = new Quill(box, {
    theme: "snow",
    placeholder: ds.placeholder || "",
    // Only what the sanitizer keeps as it is: no colours, fonts, alignment (class/style).
    formats: ["header", "bold", "italic", "code", "link", "blockquote", "code-block", "list", "indent", "image"],
    modules: {
      toolbar: [
        [{ header: [2, 3, false] }],
        ["bold", "italic", "code", "link"],
        ["blockquote", "code-block"],
        [{ list: "ordered" }, { list: "bullet" }],
        ["image"],
        ["clean"],
      ],
      // One hook for the toolbar's image button, pasted files and dropped files.
      uploader: { mimetypes: TYPES, handler: uploadFiles },
    },
  });
  box.parentNode.classList.add("has-editor");
  translate(box.parentNode, JSON.parse(ds.labels || "{}"));

  // The label names the editor; a click on it focuses the editor.
  var label = textarea.id && document.querySelector('label[for="' + textarea.id + '"]');
  if (label) {
    label.id = label.id || textarea.id + "_label";
    quill.root.setAttribute("aria-labelledby", label.id);
    label.addEventListener("click", function () { quill.focus(); });
  }
  quill.root.setAttribute("role", "textbox");
  quill.root.setAttribute("aria-multiline", "true");

  // Pasted HTML may carry images from elsewhere (or data: URLs); the server would drop them,
  // so the editor drops them too and shows what will be saved.
  quill.clipboard.addMatcher("IMG", function (node, delta) {
    return isOwnImage(node.getAttribute("src")) ? delta : new Delta();
  });

  // The stored (sanitized) HTML back into the editor.
  if (textarea.value.trim()) {
    quill.setContents(quill.clipboard.convert({ html: textarea.value }), "silent");
    quill.history.clear();
  }

  var pending = 0;
  form.addEventListener("submit", function (event) {
    if (pending) {
      event.preventDefault();
      say(ds.msgWait);
      return;
    }
    textarea.value = editorHTML();
  });

  function editorHTML() {
    var empty = quill.getLength() <= 1;
    if (empty) return "";
    // getSemanticHTML: <ul>/<ol>, <pre>, <h2> ... without Quill's classes and data-list,
    // so nh3's default allowlist keeps it as it is. Quill 2.0.3 writes every space as &nbsp;
    // (upstream issue 4509): lines would not wrap for readers. <pre> is not affected, and a
    // literal "&nbsp;" typed by the author is escaped as &amp;nbsp; so it is left alone.
    return quill.getSemanticHTML().replace(/&nbsp;/g, " ");
  }

  function isOwnImage(src) {
    if (!src) return false;
    try {
      return new URL(src, location.href).href.indexOf(imageBase) === 0 && !/^data:/i.test(src);
    } catch (e) {
      return false;
    }
  }

  function uploadFiles(range, files) {
    var index = range.index;
    if (range.length) quill.deleteText(range.index, range.length, "user");
    files.reduce(function (previous, file) {
      return previous.then(function () {
        return upload(file).then(
          function (url) {
            index = insertImage(index, url);
            quill.setSelection(index, 0, "silent");
          },
          function (error) { say(ds.msgFailed.replace("%(reason)s", error.message)); }
        );
      });
    }, Promise.resolve());
  }

  // A picture gets a line of its own (a paragraph, not a heading), as on Medium or Zhihu.
  // Returns the index just after it.
  function insertImage(index, url) {
    if (quill.getLine(index)[1] > 0) {
      quill.insertText(index, "\n", "user");
      index += 1;
    }
    quill.insertEmbed(index, "image", url, "user");
    quill.formatLine(index, 1, { header: false, "code-block": false }, "user");
    index += 1;
    // the line break ending the picture's line, and a line after it for the cursor
    if (quill.getText(index, 1) !== "\n" || index + 1 >= quill.getLength()) quill.insertText(index, "\n", "user");
    return index + 1;
  }

  function upload(file) {
    if (file.size > maxBytes) return Promise.reject(new Error(ds.msgTooLarge));
    var body = new FormData();
    body.append("file", file, file.name || "image");
    pending += 1;
    say(ds.msgUploading);
    return fetch(ds.uploadUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    })
      .then(
        function (response) {
          if (response.status === 401 || response.status === 403) throw new Error(ds.msgLogin);
          // Every other answer is the envelope (a refusal, 429, 500: its msg is translated).
          return response.json().catch(function () { throw new Error("HTTP " + response.status); });
        },
        function () { throw new Error(ds.msgNetwork); } // the browser's own words are not ours
      )
      .then(function (envelope) {
        if (envelope.code !== 0) throw new Error(envelope.msg);
        return envelope.data.url;
      })
      .finally(function () {
        pending -= 1;
        if (!pending && status.textContent === ds.msgUploading) say("");
      });
  }

  // The form's own token ({% csrf_token %}); the cookie (site.js) when there is none.
  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    return window.tinybook && window.tinybook.csrf ? window.tinybook.csrf() : "";
  }

  // Quill's own words are English, in its CSS and attributes: the page's language instead.
  function translate(field, labels) {
    field.querySelectorAll(".ql-toolbar button").forEach(function (button) {
      var name = button.className.replace(/^ql-/, "").split(" ")[0];
      var key = button.value ? name + "-" + button.value : name;
      if (labels[key]) {
        button.title = labels[key];
        button.setAttribute("aria-label", labels[key]);
      }
    });
    var picker = field.querySelector(".ql-picker.ql-header");
    if (picker) {
      var names = { "": labels.normal, "2": labels.h2, "3": labels.h3 };
      picker.querySelectorAll(".ql-picker-item").forEach(function (item) {
        var text = names[item.getAttribute("data-value") || ""];
        if (text) item.setAttribute("data-label", text);
      });
      var shown = picker.querySelector(".ql-picker-item.ql-selected") || picker.querySelector(".ql-picker-item:not([data-value])");
      var pickerLabel = picker.querySelector(".ql-picker-label");
      if (shown && shown.hasAttribute("data-label")) pickerLabel.setAttribute("data-label", shown.getAttribute("data-label"));
      if (labels.header) {
        pickerLabel.title = labels.header;
        pickerLabel.setAttribute("aria-label", labels.header);
      }
    }
    // The link tooltip's words are CSS content (editor.css reads these properties).
    ["visit", "enter_link", "edit", "save", "remove"].forEach(function (key) {
      if (labels[key]) field.style.setProperty("--editor-" + key.replace("_", "-"), JSON.stringify(labels[key]));
    });
  }

  function say(text) {
    status.textContent = text || "";
  }

  window.tinybook = window.tinybook || {};
  window.tinybook.editor = quill; // for tests
})();
