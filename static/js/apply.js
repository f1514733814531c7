// While the resident describes what they want, show published notices that may
// already answer it. The form works the same without this script.
(function () {
  "use strict";
  var box = document.getElementById("suggestions");
  var input = document.querySelector("[data-suggest]");
  if (!box || !input || !window.fetch) return;
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 2) { box.textContent = ""; return; }
      fetch(box.dataset.url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          box.textContent = "";
          if (!data.results.length) return;
          var p = document.createElement("p");
          p.textContent = box.dataset.heading;
          var ul = document.createElement("ul");
          data.results.forEach(function (item) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = item.url; a.textContent = item.title; a.target = "_blank"; a.rel = "noopener";
            li.appendChild(a); ul.appendChild(li);
          });
          box.appendChild(p); box.appendChild(ul);
        })
        .catch(function () { box.textContent = ""; });
    }, 300);
  });
})();
