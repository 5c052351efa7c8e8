/* storypath search: filters stories and roles as you type, from the site's
   search index (search.json, loaded once, on first use). The form is hidden
   in the HTML and shown here, so without JavaScript the page is simply the
   full list. Results are built with textContent: nothing from the index is
   read as HTML. */
(function () {
  "use strict";
  var form = document.querySelector("form.search[data-index]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[type=search]");
  var status = form.querySelector(".search-status");
  var list = form.querySelector(".search-results");
  var index = null;
  var loading = null;
  form.hidden = false;

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index"))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var items = [];
          (data.stories || []).forEach(function (s) {
            items.push({ kind: "Story", title: s.title, detail: s.name + ", " + s.role, url: s.url,
              text: fold([s.title, s.name, s.role, s.excerpt].concat(s.topics || []).join(" ")) });
          });
          (data.roles || []).forEach(function (r) {
            items.push({ kind: "Role", title: r.title, detail: r.track, url: r.url,
              text: fold([r.title, r.track, r.summary].concat(r.skills || []).join(" ")) });
          });
          index = items;
        });
    }
    return loading;
  }

  function show() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) {
      status.textContent = "";
      return;
    }
    var found = index.filter(function (item) {
      return words.every(function (w) { return item.text.indexOf(w) !== -1; });
    });
    found.slice(0, 20).forEach(function (item) {
      var li = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = item.kind;
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title;
      var detail = document.createElement("span");
      detail.className = "muted";
      detail.textContent = item.detail ? " · " + item.detail : "";
      li.appendChild(kind);
      li.appendChild(a);
      li.appendChild(detail);
      list.appendChild(li);
    });
    var n = found.length;
    status.textContent = n === 0 ? "Nothing matches." :
      (n === 1 ? "1 match" : n + " matches") + (n > 20 ? ", the first 20 shown." : ".");
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", function () { load().then(show); });
  form.addEventListener("submit", function (e) { e.preventDefault(); load().then(show); });
})();
