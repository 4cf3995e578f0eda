// Site-wide helpers; pages add their own small scripts.
(function () {
  "use strict";
  window.tinybook = window.tinybook || {};
  window.tinybook.csrf = function () {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : "";
  };
})();
