// The application form. It works the same without this script; the script adds:
// - while the resident describes what they want, published notices that may answer it;
// - focus on the error summary where the browser ignores its autofocus, and a summary
//   link that puts the cursor in its field with the field's label in view;
// - the identity document following the applicant type (居民身份证 for a person,
//   the business licence for an organisation) until the resident picks one.
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (summary) {
    if (document.activeElement !== summary) summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      var box = field.closest(".field") || field;
      box.scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  var idType = document.getElementById("id_id_type");
  if (idType) {
    // A document other than the default was picked on an earlier try: leave it alone.
    var chosenByHand = idType.value !== "resident_id";
    idType.addEventListener("change", function () { chosenByHand = true; });
    document.querySelectorAll("input[name=applicant_type]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (chosenByHand || !radio.checked) return;
        idType.value = radio.value === "person" ? "resident_id" : "licence";
      });
    });
  }

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
