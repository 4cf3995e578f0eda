// Site-wide helpers; pages add their own small scripts.
(function () {
  "use strict";
  window.tinybook = window.tinybook || {};
  window.tinybook.csrf = function () {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : "";
  };
  // POST a JSON body to the API as the logged-in browser (session + CSRF token). Resolves to the
  // envelope when its code is 0; rejects with an Error carrying its msg otherwise, or loginMessage
  // when the session is gone (401/403).
  window.tinybook.postJSON = function (path, body, csrf, loginMessage) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(body)
    }).then(function (r) {
      if (r.status === 401 || r.status === 403) { throw new Error(loginMessage); }
      return r.json();
    }).then(function (env) {
      if (env.code !== 0) { throw new Error(env.msg); }
      return env;
    });
  };
})();
